# lw: rd = mem32[rs1 + sext(imm12)], little-endian
# Aligned accesses here (misaligned ones are in misaligned.S): every position of a 32-byte table
# of edge bytes, positive and negative offsets, the largest offsets, rd == rs1 and rd = x0.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every aligned position, from the start of the table.
        TEST_LD_OP 2, lw, 0x00ff7f80, 0, tdat
        TEST_LD_OP 3, lw, 0x3412fe01, 4, tdat
        TEST_LD_OP 4, lw, 0xbc9a7856, 8, tdat
        TEST_LD_OP 5, lw, 0x8000f0de, 12, tdat
        TEST_LD_OP 6, lw, 0x80000000, 16, tdat
        TEST_LD_OP 7, lw, 0x7fffffff, 20, tdat
        TEST_LD_OP 8, lw, 0xffffffff, 24, tdat
        TEST_LD_OP 9, lw, 0x00000000, 28, tdat

        # Negative offsets from the end of the table.
        TEST_LD_OP 10, lw, 0x00ff7f80, -32, tend
        TEST_LD_OP 11, lw, 0x3412fe01, -28, tend
        TEST_LD_OP 12, lw, 0xbc9a7856, -24, tend
        TEST_LD_OP 13, lw, 0x8000f0de, -20, tend
        TEST_LD_OP 14, lw, 0x80000000, -16, tend
        TEST_LD_OP 15, lw, 0x7fffffff, -12, tend
        TEST_LD_OP 16, lw, 0xffffffff, -8, tend
        TEST_LD_OP 17, lw, 0x00000000, -4, tend

        # The largest offsets, 2047 and -2048 (rounded to the width's alignment).
        TEST_LD_OP 18, lw, 0x00ff7f80, 2044, tdat+0-2044
        TEST_LD_OP 19, lw, 0x00ff7f80, -2048, tdat+0+2048
        TEST_LD_OP 20, lw, 0x3412fe01, 2044, tdat+4-2044
        TEST_LD_OP 21, lw, 0x3412fe01, -2048, tdat+4+2048
        TEST_LD_OP 22, lw, 0x80000000, 2044, tdat+16-2044
        TEST_LD_OP 23, lw, 0x80000000, -2048, tdat+16+2048

        # rd == rs1: the address is used before rd is written.
        TEST_BEGIN 24
        la x1, tdat
        lw x1, 0(x1)
        TEST_END x1, 0x00ff7f80
        TEST_BEGIN 25
        la x1, tdat
        lw x1, 20(x1)
        TEST_END x1, 0x7fffffff

        # rd = x0: the value is discarded.
        TEST_LD_ZERODEST 26, lw, 0, tdat
        TEST_LD_ZERODEST 27, lw, 20, tdat

        # Every register as base and destination (x5..x31 minus x7, the expected-value register).
        TEST_BEGIN 28
        la x5, tdat
        lw x5, 4(x5)
        TEST_END x5, 0x3412fe01
        TEST_BEGIN 29
        la x6, tdat
        lw x6, 4(x6)
        TEST_END x6, 0x3412fe01
        TEST_BEGIN 30
        la x8, tdat
        lw x8, 4(x8)
        TEST_END x8, 0x3412fe01
        TEST_BEGIN 31
        la x9, tdat
        lw x9, 4(x9)
        TEST_END x9, 0x3412fe01
        TEST_BEGIN 32
        la x10, tdat
        lw x10, 4(x10)
        TEST_END x10, 0x3412fe01
        TEST_BEGIN 33
        la x11, tdat
        lw x11, 4(x11)
        TEST_END x11, 0x3412fe01
        TEST_BEGIN 34
        la x12, tdat
        lw x12, 4(x12)
        TEST_END x12, 0x3412fe01
        TEST_BEGIN 35
        la x13, tdat
        lw x13, 4(x13)
        TEST_END x13, 0x3412fe01
        TEST_BEGIN 36
        la x14, tdat
        lw x14, 4(x14)
        TEST_END x14, 0x3412fe01
        TEST_BEGIN 37
        la x15, tdat
        lw x15, 4(x15)
        TEST_END x15, 0x3412fe01
        TEST_BEGIN 38
        la x16, tdat
        lw x16, 4(x16)
        TEST_END x16, 0x3412fe01
        TEST_BEGIN 39
        la x17, tdat
        lw x17, 4(x17)
        TEST_END x17, 0x3412fe01
        TEST_BEGIN 40
        la x18, tdat
        lw x18, 4(x18)
        TEST_END x18, 0x3412fe01
        TEST_BEGIN 41
        la x19, tdat
        lw x19, 4(x19)
        TEST_END x19, 0x3412fe01
        TEST_BEGIN 42
        la x20, tdat
        lw x20, 4(x20)
        TEST_END x20, 0x3412fe01
        TEST_BEGIN 43
        la x21, tdat
        lw x21, 4(x21)
        TEST_END x21, 0x3412fe01
        TEST_BEGIN 44
        la x22, tdat
        lw x22, 4(x22)
        TEST_END x22, 0x3412fe01
        TEST_BEGIN 45
        la x23, tdat
        lw x23, 4(x23)
        TEST_END x23, 0x3412fe01
        TEST_BEGIN 46
        la x24, tdat
        lw x24, 4(x24)
        TEST_END x24, 0x3412fe01
        TEST_BEGIN 47
        la x25, tdat
        lw x25, 4(x25)
        TEST_END x25, 0x3412fe01
        TEST_BEGIN 48
        la x26, tdat
        lw x26, 4(x26)
        TEST_END x26, 0x3412fe01
        TEST_BEGIN 49
        la x27, tdat
        lw x27, 4(x27)
        TEST_END x27, 0x3412fe01
        TEST_BEGIN 50
        la x28, tdat
        lw x28, 4(x28)
        TEST_END x28, 0x3412fe01
        TEST_BEGIN 51
        la x29, tdat
        lw x29, 4(x29)
        TEST_END x29, 0x3412fe01
        TEST_BEGIN 52
        la x30, tdat
        lw x30, 4(x30)
        TEST_END x30, 0x3412fe01
        TEST_BEGIN 53
        la x31, tdat
        lw x31, 4(x31)
        TEST_END x31, 0x3412fe01
        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
        # 32 bytes of edge values; tdat is 32-byte aligned.
tdat:   .byte 0x80, 0x7f, 0xff, 0x00, 0x01, 0xfe, 0x12, 0x34
        .byte 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x00, 0x80
        .word 0x80000000, 0x7fffffff, 0xffffffff, 0x00000000
tend:
