# lh: rd = sext(mem16[rs1 + sext(imm12)]), little-endian
# Aligned accesses here (misaligned ones are in misaligned.S): every position of a 32-byte table
# of edge bytes, positive and negative offsets, the largest offsets, rd == rs1 and rd = x0.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every aligned position, from the start of the table.
        TEST_LD_OP 2, lh, 0x00007f80, 0, tdat
        TEST_LD_OP 3, lh, 0x000000ff, 2, tdat
        TEST_LD_OP 4, lh, 0xfffffe01, 4, tdat
        TEST_LD_OP 5, lh, 0x00003412, 6, tdat
        TEST_LD_OP 6, lh, 0x00007856, 8, tdat
        TEST_LD_OP 7, lh, 0xffffbc9a, 10, tdat
        TEST_LD_OP 8, lh, 0xfffff0de, 12, tdat
        TEST_LD_OP 9, lh, 0xffff8000, 14, tdat
        TEST_LD_OP 10, lh, 0x00000000, 16, tdat
        TEST_LD_OP 11, lh, 0xffff8000, 18, tdat
        TEST_LD_OP 12, lh, 0xffffffff, 20, tdat
        TEST_LD_OP 13, lh, 0x00007fff, 22, tdat
        TEST_LD_OP 14, lh, 0xffffffff, 24, tdat
        TEST_LD_OP 15, lh, 0xffffffff, 26, tdat
        TEST_LD_OP 16, lh, 0x00000000, 28, tdat
        TEST_LD_OP 17, lh, 0x00000000, 30, tdat

        # Negative offsets from the end of the table.
        TEST_LD_OP 18, lh, 0x00007f80, -32, tend
        TEST_LD_OP 19, lh, 0xfffffe01, -28, tend
        TEST_LD_OP 20, lh, 0x00007856, -24, tend
        TEST_LD_OP 21, lh, 0xfffff0de, -20, tend
        TEST_LD_OP 22, lh, 0x00000000, -16, tend
        TEST_LD_OP 23, lh, 0xffffffff, -12, tend
        TEST_LD_OP 24, lh, 0xffffffff, -8, tend
        TEST_LD_OP 25, lh, 0x00000000, -4, tend

        # The largest offsets, 2047 and -2048 (rounded to the width's alignment).
        TEST_LD_OP 26, lh, 0x00007f80, 2046, tdat+0-2046
        TEST_LD_OP 27, lh, 0x00007f80, -2048, tdat+0+2048
        TEST_LD_OP 28, lh, 0xfffffe01, 2046, tdat+4-2046
        TEST_LD_OP 29, lh, 0xfffffe01, -2048, tdat+4+2048
        TEST_LD_OP 30, lh, 0x00000000, 2046, tdat+16-2046
        TEST_LD_OP 31, lh, 0x00000000, -2048, tdat+16+2048

        # rd == rs1: the address is used before rd is written.
        TEST_BEGIN 32
        la x1, tdat
        lh x1, 0(x1)
        TEST_END x1, 0x00007f80
        TEST_BEGIN 33
        la x1, tdat
        lh x1, 20(x1)
        TEST_END x1, 0xffffffff

        # rd = x0: the value is discarded.
        TEST_LD_ZERODEST 34, lh, 0, tdat
        TEST_LD_ZERODEST 35, lh, 20, tdat

        # Every register as base and destination (x5..x31 minus x7, the expected-value register).
        TEST_BEGIN 36
        la x5, tdat
        lh x5, 4(x5)
        TEST_END x5, 0xfffffe01
        TEST_BEGIN 37
        la x6, tdat
        lh x6, 4(x6)
        TEST_END x6, 0xfffffe01
        TEST_BEGIN 38
        la x8, tdat
        lh x8, 4(x8)
        TEST_END x8, 0xfffffe01
        TEST_BEGIN 39
        la x9, tdat
        lh x9, 4(x9)
        TEST_END x9, 0xfffffe01
        TEST_BEGIN 40
        la x10, tdat
        lh x10, 4(x10)
        TEST_END x10, 0xfffffe01
        TEST_BEGIN 41
        la x11, tdat
        lh x11, 4(x11)
        TEST_END x11, 0xfffffe01
        TEST_BEGIN 42
        la x12, tdat
        lh x12, 4(x12)
        TEST_END x12, 0xfffffe01
        TEST_BEGIN 43
        la x13, tdat
        lh x13, 4(x13)
        TEST_END x13, 0xfffffe01
        TEST_BEGIN 44
        la x14, tdat
        lh x14, 4(x14)
        TEST_END x14, 0xfffffe01
        TEST_BEGIN 45
        la x15, tdat
        lh x15, 4(x15)
        TEST_END x15, 0xfffffe01
        TEST_BEGIN 46
        la x16, tdat
        lh x16, 4(x16)
        TEST_END x16, 0xfffffe01
        TEST_BEGIN 47
        la x17, tdat
        lh x17, 4(x17)
        TEST_END x17, 0xfffffe01
        TEST_BEGIN 48
        la x18, tdat
        lh x18, 4(x18)
        TEST_END x18, 0xfffffe01
        TEST_BEGIN 49
        la x19, tdat
        lh x19, 4(x19)
        TEST_END x19, 0xfffffe01
        TEST_BEGIN 50
        la x20, tdat
        lh x20, 4(x20)
        TEST_END x20, 0xfffffe01
        TEST_BEGIN 51
        la x21, tdat
        lh x21, 4(x21)
        TEST_END x21, 0xfffffe01
        TEST_BEGIN 52
        la x22, tdat
        lh x22, 4(x22)
        TEST_END x22, 0xfffffe01
        TEST_BEGIN 53
        la x23, tdat
        lh x23, 4(x23)
        TEST_END x23, 0xfffffe01
        TEST_BEGIN 54
        la x24, tdat
        lh x24, 4(x24)
        TEST_END x24, 0xfffffe01
        TEST_BEGIN 55
        la x25, tdat
        lh x25, 4(x25)
        TEST_END x25, 0xfffffe01
        TEST_BEGIN 56
        la x26, tdat
        lh x26, 4(x26)
        TEST_END x26, 0xfffffe01
        TEST_BEGIN 57
        la x27, tdat
        lh x27, 4(x27)
        TEST_END x27, 0xfffffe01
        TEST_BEGIN 58
        la x28, tdat
        lh x28, 4(x28)
        TEST_END x28, 0xfffffe01
        TEST_BEGIN 59
        la x29, tdat
        lh x29, 4(x29)
        TEST_END x29, 0xfffffe01
        TEST_BEGIN 60
        la x30, tdat
        lh x30, 4(x30)
        TEST_END x30, 0xfffffe01
        TEST_BEGIN 61
        la x31, tdat
        lh x31, 4(x31)
        TEST_END x31, 0xfffffe01
        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
        # 32 bytes of edge values; tdat is 32-byte aligned.
tdat:   .byte 0x80, 0x7f, 0xff, 0x00, 0x01, 0xfe, 0x12, 0x34
        .byte 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x00, 0x80
        .word 0x80000000, 0x7fffffff, 0xffffffff, 0x00000000
tend:
