# sb: mem8[rs1 + sext(imm12)] = rs2 & 0xff
# Aligned accesses here (misaligned ones are in misaligned.S): a store at every position of a
# 32-byte buffer, reading back the value and the whole word around it (neighbours untouched),
# negative and largest offsets, rs1 == rs2, storing x0.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Each position: store, read back sign-extended (TEST_ST_OP), then check the whole word.
        TEST_ST_OP 2, lb, sb, 0xffffffff, 0, buf
        TEST_LD_OP 3, lw, 0xa3a2a1ff, 0, buf
        TEST_ST_OP 4, lb, sb, 0x00000000, 1, buf
        TEST_LD_OP 5, lw, 0xa3a200ff, 0, buf
        TEST_ST_OP 6, lb, sb, 0x00000000, 2, buf
        TEST_LD_OP 7, lw, 0xa30000ff, 0, buf
        TEST_ST_OP 8, lb, sb, 0xffffffff, 3, buf
        TEST_LD_OP 9, lw, 0xff0000ff, 0, buf
        TEST_ST_OP 10, lb, sb, 0x00000078, 4, buf
        TEST_LD_OP 11, lw, 0xa7a6a578, 4, buf
        TEST_ST_OP 12, lb, sb, 0xffffffef, 5, buf
        TEST_LD_OP 13, lw, 0xa7a6ef78, 4, buf
        TEST_ST_OP 14, lb, sb, 0xffffffff, 6, buf
        TEST_LD_OP 15, lw, 0xa7ffef78, 4, buf
        TEST_ST_OP 16, lb, sb, 0x00000000, 7, buf
        TEST_LD_OP 17, lw, 0x00ffef78, 4, buf
        TEST_ST_OP 18, lb, sb, 0x0000007f, 8, buf
        TEST_LD_OP 19, lw, 0xabaaa97f, 8, buf
        TEST_ST_OP 20, lb, sb, 0xffffffff, 9, buf
        TEST_LD_OP 21, lw, 0xabaaff7f, 8, buf
        TEST_ST_OP 22, lb, sb, 0x00000000, 10, buf
        TEST_LD_OP 23, lw, 0xab00ff7f, 8, buf
        TEST_ST_OP 24, lb, sb, 0x00000000, 11, buf
        TEST_LD_OP 25, lw, 0x0000ff7f, 8, buf
        TEST_ST_OP 26, lb, sb, 0xffffffff, 12, buf
        TEST_LD_OP 27, lw, 0xafaeadff, 12, buf
        TEST_ST_OP 28, lb, sb, 0x00000078, 13, buf
        TEST_LD_OP 29, lw, 0xafae78ff, 12, buf
        TEST_ST_OP 30, lb, sb, 0xffffffef, 14, buf
        TEST_LD_OP 31, lw, 0xafef78ff, 12, buf
        TEST_ST_OP 32, lb, sb, 0xffffffff, 15, buf
        TEST_LD_OP 33, lw, 0xffef78ff, 12, buf
        TEST_ST_OP 34, lb, sb, 0x00000000, 16, buf
        TEST_LD_OP 35, lw, 0xb3b2b100, 16, buf
        TEST_ST_OP 36, lb, sb, 0x0000007f, 17, buf
        TEST_LD_OP 37, lw, 0xb3b27f00, 16, buf
        TEST_ST_OP 38, lb, sb, 0xffffffff, 18, buf
        TEST_LD_OP 39, lw, 0xb3ff7f00, 16, buf
        TEST_ST_OP 40, lb, sb, 0x00000000, 19, buf
        TEST_LD_OP 41, lw, 0x00ff7f00, 16, buf
        TEST_ST_OP 42, lb, sb, 0x00000000, 20, buf
        TEST_LD_OP 43, lw, 0xb7b6b500, 20, buf
        TEST_ST_OP 44, lb, sb, 0xffffffff, 21, buf
        TEST_LD_OP 45, lw, 0xb7b6ff00, 20, buf
        TEST_ST_OP 46, lb, sb, 0x00000078, 22, buf
        TEST_LD_OP 47, lw, 0xb778ff00, 20, buf
        TEST_ST_OP 48, lb, sb, 0xffffffef, 23, buf
        TEST_LD_OP 49, lw, 0xef78ff00, 20, buf
        TEST_ST_OP 50, lb, sb, 0xffffffff, 24, buf
        TEST_LD_OP 51, lw, 0xbbbab9ff, 24, buf
        TEST_ST_OP 52, lb, sb, 0x00000000, 25, buf
        TEST_LD_OP 53, lw, 0xbbba00ff, 24, buf
        TEST_ST_OP 54, lb, sb, 0x0000007f, 26, buf
        TEST_LD_OP 55, lw, 0xbb7f00ff, 24, buf
        TEST_ST_OP 56, lb, sb, 0xffffffff, 27, buf
        TEST_LD_OP 57, lw, 0xff7f00ff, 24, buf
        TEST_ST_OP 58, lb, sb, 0x00000000, 28, buf
        TEST_LD_OP 59, lw, 0xbfbebd00, 28, buf
        TEST_ST_OP 60, lb, sb, 0x00000000, 29, buf
        TEST_LD_OP 61, lw, 0xbfbe0000, 28, buf
        TEST_ST_OP 62, lb, sb, 0xffffffff, 30, buf
        TEST_LD_OP 63, lw, 0xbfff0000, 28, buf
        TEST_ST_OP 64, lb, sb, 0x00000078, 31, buf
        TEST_LD_OP 65, lw, 0x78ff0000, 28, buf

        # Only the low bytes of rs2 are stored; read back zero-extended.
        TEST_BEGIN 66
        la x1, buf
        li x2, 0x12345678
        sb x2, 0(x1)
        lbu x14, 0(x1)
        TEST_END x14, 0x00000078
        TEST_LD_OP 67, lw, 0xff000078, 0, buf
        TEST_BEGIN 68
        la x1, buf
        li x2, 0x8badf00d
        sb x2, 8(x1)
        lbu x14, 8(x1)
        TEST_END x14, 0x0000000d
        TEST_LD_OP 69, lw, 0x0000ff0d, 8, buf
        TEST_BEGIN 70
        la x1, buf
        li x2, 0xffffffff
        sb x2, 28(x1)
        lbu x14, 28(x1)
        TEST_END x14, 0x000000ff
        TEST_LD_OP 71, lw, 0x78ff00ff, 28, buf

        # Negative offsets from the end of the buffer.
        TEST_ST_OP 72, lbu, sb, 0x00000004, -32, bend
        TEST_LD_OP 73, lw, 0xff000004, 0, buf
        TEST_ST_OP 74, lbu, sb, 0x000000c0, -16, bend
        TEST_LD_OP 75, lw, 0x00ff7fc0, 16, buf
        TEST_ST_OP 76, lbu, sb, 0x000000aa, -1, bend
        TEST_LD_OP 77, lw, 0xaaff00ff, 28, buf

        # The largest offsets, 2047 and -2048 (rounded to the width's alignment).
        TEST_BEGIN 78
        la x1, buf+4-(2047)
        li x2, 0x13579bdf
        sb x2, 2047(x1)
        TEST_END x0, 0
        TEST_LD_OP 79, lw, 0x00ffefdf, 4, buf
        TEST_BEGIN 80
        la x1, buf+12-(-2048)
        li x2, 0x2468ace0
        sb x2, -2048(x1)
        TEST_END x0, 0
        TEST_LD_OP 81, lw, 0xffef78e0, 12, buf

        # Storing x0 writes zeros.
        TEST_BEGIN 82
        la x1, buf
        sb x0, 8(x1)
        TEST_END x0, 0
        TEST_LD_OP 83, lw, 0x0000ff00, 8, buf

        # rs2 == rs1: the address itself is stored.
        TEST_BEGIN 84
        la x1, buf
        sb x1, 24(x1)
        lbu x14, 24(x1)
        li x7, 0xff
        and x7, x1, x7
        CHECK_EQ x14, x7

        # The guard word after the buffer was never touched.
        TEST_LD_OP 85, lw, 0x5a5a5a5a, 0, bend
        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
        # A 32-byte buffer of known bytes (0xa0 + i); buf is 32-byte aligned.
buf:    .byte 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf
        .byte 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf
bend:
        .word 0x5a5a5a5a        # guard word after the buffer
