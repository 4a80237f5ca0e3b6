# jalr: t = (rs1 + sext(imm12)) & ~1; rd = pc + 4; pc = t. Covers positive and negative
# offsets, bit 0 of the target cleared (odd rs1 or odd rs1 + imm), rd == rs1 (the target uses the
# old rs1), rd = x0, and the link value.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"

.macro LA_ABS rd, sym, off=0
        lui \rd, %hi(\sym + \off)
        addi \rd, \rd, %lo(\sym + \off)
.endm

        RVTEST_CODE_BEGIN

        # Plain indirect call, link checked.
        TEST_BEGIN 2
        LA_ABS x6, 1f
        jalr x5, 0(x6)
2:      j fail
1:      LA_ABS x7, 2b
        CHECK_EQ x5, x7

        # Positive offset.
        TEST_BEGIN 3
        LA_ABS x6, 1f, -16
        jalr x5, 16(x6)
        j fail
1:

        # Negative offset.
        TEST_BEGIN 4
        LA_ABS x6, 1f, 2000
        jalr x5, -2000(x6)
        j fail
1:

        # Largest offsets: 2047 and -2048 (the odd one relies on bit 0 being cleared).
        TEST_BEGIN 5
        LA_ABS x6, 1f, -2047
        jalr x5, 2047(x6)
        j fail
1:
        TEST_BEGIN 6
        LA_ABS x6, 1f, 2048
        jalr x5, -2048(x6)
        j fail
1:

        # Odd register value: bit 0 of the target is cleared.
        TEST_BEGIN 7
        LA_ABS x6, 1f, 1
        jalr x5, 0(x6)
        j fail
1:

        # Odd immediate on an even register.
        TEST_BEGIN 8
        LA_ABS x6, 1f, -1
        jalr x5, 1(x6)
        j fail
1:
        TEST_BEGIN 9
        LA_ABS x6, 1f, 2
        jalr x5, -1(x6)
        j fail
1:

        # rd == rs1: the target comes from the old value, rd gets the link.
        TEST_BEGIN 10
        LA_ABS x1, 1f
        jalr x1, 0(x1)
2:      j fail
1:      LA_ABS x7, 2b
        CHECK_EQ x1, x7

        TEST_BEGIN 11
        LA_ABS x1, 1f, 5
        jalr x1, -4(x1)         # target (1f + 1) & ~1 = 1f
2:      j fail
1:      LA_ABS x7, 2b
        CHECK_EQ x1, x7

        # rd = x0: a plain jump (ret).
        TEST_BEGIN 12
        LA_ABS x6, 1f
        jalr x0, 0(x6)
        j fail
1:      TEST_END x0, 0

        # Call and return through a function.
        TEST_BEGIN 13
        li x14, 0
        LA_ABS x6, func
        jalr ra, 0(x6)
        TEST_END x14, 0x42

        # Backwards.
        TEST_BEGIN 14
        li x14, 0
        j 2f
1:      li x14, 9
        j 3f
2:      LA_ABS x6, 1b
        jalr x5, 0(x6)
        j fail
3:      TEST_END x14, 9

        RVTEST_CODE_END

func:
        li x14, 0x42
        jalr x0, 0(ra)
