# auipc: rd = pc + (imm20 << 12), wrapping. Expected addresses are built with lui/addi of the
# absolute label address, which does not involve auipc.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"

# rd <- absolute address of sym + off, without auipc.
.macro LA_ABS rd, sym, off=0
        lui \rd, %hi(\sym + \off)
        addi \rd, \rd, %lo(\sym + \off)
.endm

        RVTEST_CODE_BEGIN

        TEST_BEGIN 2
1:      auipc x14, 0
        LA_ABS x7, 1b
        CHECK_EQ x14, x7

        TEST_BEGIN 3
1:      auipc x14, 1
        LA_ABS x7, 1b, 0x1000
        CHECK_EQ x14, x7

        TEST_BEGIN 4
1:      auipc x14, 0x12345
        LA_ABS x7, 1b, 0x12345000
        CHECK_EQ x14, x7

        # imm20 = 0xfffff is -4096.
        TEST_BEGIN 5
1:      auipc x14, 0xfffff
        LA_ABS x7, 1b, -0x1000
        CHECK_EQ x14, x7

        # imm20 = 0x80000 adds 0x80000000.
        TEST_BEGIN 6
1:      auipc x14, 0x80000
        LA_ABS x7, 1b, 0x80000000
        CHECK_EQ x14, x7

        TEST_BEGIN 7
1:      auipc x14, 0x7ffff
        LA_ABS x7, 1b, 0x7ffff000
        CHECK_EQ x14, x7

        # Each auipc sees its own pc: two in a row differ by 4.
        TEST_BEGIN 8
        auipc x1, 0
        auipc x2, 0
        sub x14, x2, x1
        TEST_END x14, 4

        # auipc + jalr reaches a label (the call sequence).
        TEST_BEGIN 9
        li x14, 0
1:      auipc x1, %pcrel_hi(2f)
        jalr x0, %pcrel_lo(1b)(x1)
        j fail
2:      li x14, 1
        TEST_END x14, 1

        # auipc + lw reads data.
        TEST_BEGIN 10
1:      auipc x1, %pcrel_hi(word)
        lw x14, %pcrel_lo(1b)(x1)
        TEST_END x14, 0x89abcdef

        # rd = x0 discards the value.
        TEST_BEGIN 11
        auipc x0, 0x12345
        TEST_END x0, 0

        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
word:   .word 0x89abcdef
