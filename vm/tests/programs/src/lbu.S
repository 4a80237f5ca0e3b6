# lbu: rd = zext(mem8[rs1 + sext(imm12)])
# Aligned accesses here (misaligned ones are in misaligned.S): every position of a 32-byte table
# of edge bytes, positive and negative offsets, the largest offsets, rd == rs1 and rd = x0.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every aligned position, from the start of the table.
        TEST_LD_OP 2, lbu, 0x00000080, 0, tdat
        TEST_LD_OP 3, lbu, 0x0000007f, 1, tdat
        TEST_LD_OP 4, lbu, 0x000000ff, 2, tdat
        TEST_LD_OP 5, lbu, 0x00000000, 3, tdat
        TEST_LD_OP 6, lbu, 0x00000001, 4, tdat
        TEST_LD_OP 7, lbu, 0x000000fe, 5, tdat
        TEST_LD_OP 8, lbu, 0x00000012, 6, tdat
        TEST_LD_OP 9, lbu, 0x00000034, 7, tdat
        TEST_LD_OP 10, lbu, 0x00000056, 8, tdat
        TEST_LD_OP 11, lbu, 0x00000078, 9, tdat
        TEST_LD_OP 12, lbu, 0x0000009a, 10, tdat
        TEST_LD_OP 13, lbu, 0x000000bc, 11, tdat
        TEST_LD_OP 14, lbu, 0x000000de, 12, tdat
        TEST_LD_OP 15, lbu, 0x000000f0, 13, tdat
        TEST_LD_OP 16, lbu, 0x00000000, 14, tdat
        TEST_LD_OP 17, lbu, 0x00000080, 15, tdat
        TEST_LD_OP 18, lbu, 0x00000000, 16, tdat
        TEST_LD_OP 19, lbu, 0x00000000, 17, tdat
        TEST_LD_OP 20, lbu, 0x00000000, 18, tdat
        TEST_LD_OP 21, lbu, 0x00000080, 19, tdat
        TEST_LD_OP 22, lbu, 0x000000ff, 20, tdat
        TEST_LD_OP 23, lbu, 0x000000ff, 21, tdat
        TEST_LD_OP 24, lbu, 0x000000ff, 22, tdat
        TEST_LD_OP 25, lbu, 0x0000007f, 23, tdat
        TEST_LD_OP 26, lbu, 0x000000ff, 24, tdat
        TEST_LD_OP 27, lbu, 0x000000ff, 25, tdat
        TEST_LD_OP 28, lbu, 0x000000ff, 26, tdat
        TEST_LD_OP 29, lbu, 0x000000ff, 27, tdat
        TEST_LD_OP 30, lbu, 0x00000000, 28, tdat
        TEST_LD_OP 31, lbu, 0x00000000, 29, tdat
        TEST_LD_OP 32, lbu, 0x00000000, 30, tdat
        TEST_LD_OP 33, lbu, 0x00000000, 31, tdat

        # Negative offsets from the end of the table.
        TEST_LD_OP 34, lbu, 0x00000080, -32, tend
        TEST_LD_OP 35, lbu, 0x000000ff, -30, tend
        TEST_LD_OP 36, lbu, 0x00000001, -28, tend
        TEST_LD_OP 37, lbu, 0x00000012, -26, tend
        TEST_LD_OP 38, lbu, 0x00000056, -24, tend
        TEST_LD_OP 39, lbu, 0x0000009a, -22, tend
        TEST_LD_OP 40, lbu, 0x000000de, -20, tend
        TEST_LD_OP 41, lbu, 0x00000000, -18, tend
        TEST_LD_OP 42, lbu, 0x00000000, -16, tend
        TEST_LD_OP 43, lbu, 0x00000000, -14, tend
        TEST_LD_OP 44, lbu, 0x000000ff, -12, tend
        TEST_LD_OP 45, lbu, 0x000000ff, -10, tend
        TEST_LD_OP 46, lbu, 0x000000ff, -8, tend
        TEST_LD_OP 47, lbu, 0x000000ff, -6, tend
        TEST_LD_OP 48, lbu, 0x00000000, -4, tend
        TEST_LD_OP 49, lbu, 0x00000000, -2, tend

        # The largest offsets, 2047 and -2048 (rounded to the width's alignment).
        TEST_LD_OP 50, lbu, 0x00000080, 2047, tdat+0-2047
        TEST_LD_OP 51, lbu, 0x00000080, -2048, tdat+0+2048
        TEST_LD_OP 52, lbu, 0x00000001, 2047, tdat+4-2047
        TEST_LD_OP 53, lbu, 0x00000001, -2048, tdat+4+2048
        TEST_LD_OP 54, lbu, 0x00000000, 2047, tdat+16-2047
        TEST_LD_OP 55, lbu, 0x00000000, -2048, tdat+16+2048

        # rd == rs1: the address is used before rd is written.
        TEST_BEGIN 56
        la x1, tdat
        lbu x1, 0(x1)
        TEST_END x1, 0x00000080
        TEST_BEGIN 57
        la x1, tdat
        lbu x1, 20(x1)
        TEST_END x1, 0x000000ff

        # rd = x0: the value is discarded.
        TEST_LD_ZERODEST 58, lbu, 0, tdat
        TEST_LD_ZERODEST 59, lbu, 20, tdat

        # Every register as base and destination (x5..x31 minus x7, the expected-value register).
        TEST_BEGIN 60
        la x5, tdat
        lbu x5, 4(x5)
        TEST_END x5, 0x00000001
        TEST_BEGIN 61
        la x6, tdat
        lbu x6, 4(x6)
        TEST_END x6, 0x00000001
        TEST_BEGIN 62
        la x8, tdat
        lbu x8, 4(x8)
        TEST_END x8, 0x00000001
        TEST_BEGIN 63
        la x9, tdat
        lbu x9, 4(x9)
        TEST_END x9, 0x00000001
        TEST_BEGIN 64
        la x10, tdat
        lbu x10, 4(x10)
        TEST_END x10, 0x00000001
        TEST_BEGIN 65
        la x11, tdat
        lbu x11, 4(x11)
        TEST_END x11, 0x00000001
        TEST_BEGIN 66
        la x12, tdat
        lbu x12, 4(x12)
        TEST_END x12, 0x00000001
        TEST_BEGIN 67
        la x13, tdat
        lbu x13, 4(x13)
        TEST_END x13, 0x00000001
        TEST_BEGIN 68
        la x14, tdat
        lbu x14, 4(x14)
        TEST_END x14, 0x00000001
        TEST_BEGIN 69
        la x15, tdat
        lbu x15, 4(x15)
        TEST_END x15, 0x00000001
        TEST_BEGIN 70
        la x16, tdat
        lbu x16, 4(x16)
        TEST_END x16, 0x00000001
        TEST_BEGIN 71
        la x17, tdat
        lbu x17, 4(x17)
        TEST_END x17, 0x00000001
        TEST_BEGIN 72
        la x18, tdat
        lbu x18, 4(x18)
        TEST_END x18, 0x00000001
        TEST_BEGIN 73
        la x19, tdat
        lbu x19, 4(x19)
        TEST_END x19, 0x00000001
        TEST_BEGIN 74
        la x20, tdat
        lbu x20, 4(x20)
        TEST_END x20, 0x00000001
        TEST_BEGIN 75
        la x21, tdat
        lbu x21, 4(x21)
        TEST_END x21, 0x00000001
        TEST_BEGIN 76
        la x22, tdat
        lbu x22, 4(x22)
        TEST_END x22, 0x00000001
        TEST_BEGIN 77
        la x23, tdat
        lbu x23, 4(x23)
        TEST_END x23, 0x00000001
        TEST_BEGIN 78
        la x24, tdat
        lbu x24, 4(x24)
        TEST_END x24, 0x00000001
        TEST_BEGIN 79
        la x25, tdat
        lbu x25, 4(x25)
        TEST_END x25, 0x00000001
        TEST_BEGIN 80
        la x26, tdat
        lbu x26, 4(x26)
        TEST_END x26, 0x00000001
        TEST_BEGIN 81
        la x27, tdat
        lbu x27, 4(x27)
        TEST_END x27, 0x00000001
        TEST_BEGIN 82
        la x28, tdat
        lbu x28, 4(x28)
        TEST_END x28, 0x00000001
        TEST_BEGIN 83
        la x29, tdat
        lbu x29, 4(x29)
        TEST_END x29, 0x00000001
        TEST_BEGIN 84
        la x30, tdat
        lbu x30, 4(x30)
        TEST_END x30, 0x00000001
        TEST_BEGIN 85
        la x31, tdat
        lbu x31, 4(x31)
        TEST_END x31, 0x00000001
        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
        # 32 bytes of edge values; tdat is 32-byte aligned.
tdat:   .byte 0x80, 0x7f, 0xff, 0x00, 0x01, 0xfe, 0x12, 0x34
        .byte 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x00, 0x80
        .word 0x80000000, 0x7fffffff, 0xffffffff, 0x00000000
tend:
