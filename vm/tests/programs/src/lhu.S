# lhu: rd = zext(mem16[rs1 + sext(imm12)]), little-endian
# Aligned accesses here (misaligned ones are in misaligned.S): every position of a 32-byte table
# of edge bytes, positive and negative offsets, the largest offsets, rd == rs1 and rd = x0.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every aligned position, from the start of the table.
        TEST_LD_OP 2, lhu, 0x00007f80, 0, tdat
        TEST_LD_OP 3, lhu, 0x000000ff, 2, tdat
        TEST_LD_OP 4, lhu, 0x0000fe01, 4, tdat
        TEST_LD_OP 5, lhu, 0x00003412, 6, tdat
        TEST_LD_OP 6, lhu, 0x00007856, 8, tdat
        TEST_LD_OP 7, lhu, 0x0000bc9a, 10, tdat
        TEST_LD_OP 8, lhu, 0x0000f0de, 12, tdat
        TEST_LD_OP 9, lhu, 0x00008000, 14, tdat
        TEST_LD_OP 10, lhu, 0x00000000, 16, tdat
        TEST_LD_OP 11, lhu, 0x00008000, 18, tdat
        TEST_LD_OP 12, lhu, 0x0000ffff, 20, tdat
        TEST_LD_OP 13, lhu, 0x00007fff, 22, tdat
        TEST_LD_OP 14, lhu, 0x0000ffff, 24, tdat
        TEST_LD_OP 15, lhu, 0x0000ffff, 26, tdat
        TEST_LD_OP 16, lhu, 0x00000000, 28, tdat
        TEST_LD_OP 17, lhu, 0x00000000, 30, tdat

        # Negative offsets from the end of the table.
        TEST_LD_OP 18, lhu, 0x00007f80, -32, tend
        TEST_LD_OP 19, lhu, 0x0000fe01, -28, tend
        TEST_LD_OP 20, lhu, 0x00007856, -24, tend
        TEST_LD_OP 21, lhu, 0x0000f0de, -20, tend
        TEST_LD_OP 22, lhu, 0x00000000, -16, tend
        TEST_LD_OP 23, lhu, 0x0000ffff, -12, tend
        TEST_LD_OP 24, lhu, 0x0000ffff, -8, tend
        TEST_LD_OP 25, lhu, 0x00000000, -4, tend

        # The largest offsets, 2047 and -2048 (rounded to the width's alignment).
        TEST_LD_OP 26, lhu, 0x00007f80, 2046, tdat+0-2046
        TEST_LD_OP 27, lhu, 0x00007f80, -2048, tdat+0+2048
        TEST_LD_OP 28, lhu, 0x0000fe01, 2046, tdat+4-2046
        TEST_LD_OP 29, lhu, 0x0000fe01, -2048, tdat+4+2048
        TEST_LD_OP 30, lhu, 0x00000000, 2046, tdat+16-2046
        TEST_LD_OP 31, lhu, 0x00000000, -2048, tdat+16+2048

        # rd == rs1: the address is used before rd is written.
        TEST_BEGIN 32
        la x1, tdat
        lhu x1, 0(x1)
        TEST_END x1, 0x00007f80
        TEST_BEGIN 33
        la x1, tdat
        lhu x1, 20(x1)
        TEST_END x1, 0x0000ffff

        # rd = x0: the value is discarded.
        TEST_LD_ZERODEST 34, lhu, 0, tdat
        TEST_LD_ZERODEST 35, lhu, 20, tdat

        # Every register as base and destination (x5..x31 minus x7, the expected-value register).
        TEST_BEGIN 36
        la x5, tdat
        lhu x5, 4(x5)
        TEST_END x5, 0x0000fe01
        TEST_BEGIN 37
        la x6, tdat
        lhu x6, 4(x6)
        TEST_END x6, 0x0000fe01
        TEST_BEGIN 38
        la x8, tdat
        lhu x8, 4(x8)
        TEST_END x8, 0x0000fe01
        TEST_BEGIN 39
        la x9, tdat
        lhu x9, 4(x9)
        TEST_END x9, 0x0000fe01
        TEST_BEGIN 40
        la x10, tdat
        lhu x10, 4(x10)
        TEST_END x10, 0x0000fe01
        TEST_BEGIN 41
        la x11, tdat
        lhu x11, 4(x11)
        TEST_END x11, 0x0000fe01
        TEST_BEGIN 42
        la x12, tdat
        lhu x12, 4(x12)
        TEST_END x12, 0x0000fe01
        TEST_BEGIN 43
        la x13, tdat
        lhu x13, 4(x13)
        TEST_END x13, 0x0000fe01
        TEST_BEGIN 44
        la x14, tdat
        lhu x14, 4(x14)
        TEST_END x14, 0x0000fe01
        TEST_BEGIN 45
        la x15, tdat
        lhu x15, 4(x15)
        TEST_END x15, 0x0000fe01
        TEST_BEGIN 46
        la x16, tdat
        lhu x16, 4(x16)
        TEST_END x16, 0x0000fe01
        TEST_BEGIN 47
        la x17, tdat
        lhu x17, 4(x17)
        TEST_END x17, 0x0000fe01
        TEST_BEGIN 48
        la x18, tdat
        lhu x18, 4(x18)
        TEST_END x18, 0x0000fe01
        TEST_BEGIN 49
        la x19, tdat
        lhu x19, 4(x19)
        TEST_END x19, 0x0000fe01
        TEST_BEGIN 50
        la x20, tdat
        lhu x20, 4(x20)
        TEST_END x20, 0x0000fe01
        TEST_BEGIN 51
        la x21, tdat
        lhu x21, 4(x21)
        TEST_END x21, 0x0000fe01
        TEST_BEGIN 52
        la x22, tdat
        lhu x22, 4(x22)
        TEST_END x22, 0x0000fe01
        TEST_BEGIN 53
        la x23, tdat
        lhu x23, 4(x23)
        TEST_END x23, 0x0000fe01
        TEST_BEGIN 54
        la x24, tdat
        lhu x24, 4(x24)
        TEST_END x24, 0x0000fe01
        TEST_BEGIN 55
        la x25, tdat
        lhu x25, 4(x25)
        TEST_END x25, 0x0000fe01
        TEST_BEGIN 56
        la x26, tdat
        lhu x26, 4(x26)
        TEST_END x26, 0x0000fe01
        TEST_BEGIN 57
        la x27, tdat
        lhu x27, 4(x27)
        TEST_END x27, 0x0000fe01
        TEST_BEGIN 58
        la x28, tdat
        lhu x28, 4(x28)
        TEST_END x28, 0x0000fe01
        TEST_BEGIN 59
        la x29, tdat
        lhu x29, 4(x29)
        TEST_END x29, 0x0000fe01
        TEST_BEGIN 60
        la x30, tdat
        lhu x30, 4(x30)
        TEST_END x30, 0x0000fe01
        TEST_BEGIN 61
        la x31, tdat
        lhu x31, 4(x31)
        TEST_END x31, 0x0000fe01
        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
        # 32 bytes of edge values; tdat is 32-byte aligned.
tdat:   .byte 0x80, 0x7f, 0xff, 0x00, 0x01, 0xfe, 0x12, 0x34
        .byte 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x00, 0x80
        .word 0x80000000, 0x7fffffff, 0xffffffff, 0x00000000
tend:
