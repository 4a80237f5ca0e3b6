# x0 is hardwired to zero: writes to it are discarded by every kind of instruction, and it reads
# as 0 as a source (in arithmetic, as a base address, as a stored value, in branches).
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"

# Jumps to fail unless x0 reads zero, both directly and through an add.
.macro CHECK_X0
        CHECK_REG x0, 0
        add x14, x0, x0
        CHECK_REG x14, 0
        addi x14, x0, 0
        CHECK_REG x14, 0
.endm

        RVTEST_CODE_BEGIN
        li x1, 0x7fffffff
        li x2, 0x80000000
        la x8, word

        TEST_BEGIN 2
        lui x0, 0xfffff
        CHECK_X0
        TEST_BEGIN 3
        auipc x0, 0x12345
        CHECK_X0
        TEST_BEGIN 4
        jal x0, 1f
1:      CHECK_X0
        TEST_BEGIN 5
        la x5, 1f
        jalr x0, 0(x5)
1:      CHECK_X0
        TEST_BEGIN 6
        lw x0, 0(x8)
        CHECK_X0
        TEST_BEGIN 7
        lb x0, 0(x8)
        lbu x0, 1(x8)
        lh x0, 2(x8)
        lhu x0, 2(x8)
        CHECK_X0
        TEST_BEGIN 8
        addi x0, x1, 1
        slti x0, x2, 1
        sltiu x0, x2, -1
        xori x0, x1, -1
        ori x0, x1, 1
        andi x0, x2, -1
        slli x0, x1, 1
        srli x0, x2, 1
        srai x0, x2, 1
        CHECK_X0
        TEST_BEGIN 9
        add x0, x1, x2
        sub x0, x1, x2
        sll x0, x1, x2
        slt x0, x2, x1
        sltu x0, x1, x2
        xor x0, x1, x2
        srl x0, x2, x1
        sra x0, x2, x1
        or x0, x1, x2
        and x0, x1, x1
        CHECK_X0
        TEST_BEGIN 10
        mul x0, x1, x1
        mulh x0, x1, x1
        mulhsu x0, x2, x2
        mulhu x0, x2, x2
        div x0, x2, x1
        divu x0, x2, x1
        rem x0, x2, x1
        remu x0, x1, x2
        div x0, x1, x0          # division by zero into x0
        CHECK_X0

        # x0 as a source: stored value, operand, branch operand.
        TEST_BEGIN 11
        sw x0, 0(x8)
        lw x14, 0(x8)
        TEST_END x14, 0
        # x0 as an operand is zero: as a factor and as a divisor.
        TEST_BEGIN 12
        mul x14, x1, x0
        CHECK_REG x14, 0
        divu x14, x1, x0
        CHECK_REG x14, 0xffffffff
        remu x14, x1, x0
        TEST_END x14, 0x7fffffff
        TEST_BEGIN 13
        beq x0, x0, 1f
        j fail
1:      bne x0, x0, fail_far
        blt x0, x0, fail_far
        bltu x0, x0, fail_far
        bge x0, x0, 2f
        j fail
2:      TEST_END x0, 0

        # A long run of writes to x0 mixed with reads.
        TEST_BEGIN 14
        li x14, 0
        li x15, 20
3:      addi x0, x0, 1
        add x14, x14, x0
        addi x14, x14, 1
        addi x15, x15, -1
        bnez x15, 3b
        TEST_END x14, 20

        RVTEST_CODE_END
fail_far:
        j fail

        RVTEST_DATA_BEGIN
word:   .word 0xdeadbeef
