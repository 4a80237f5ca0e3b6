# sh: mem16[rs1 + sext(imm12)] = rs2 & 0xffff, little-endian
# Aligned accesses here (misaligned ones are in misaligned.S): a store at every position of a
# 32-byte buffer, reading back the value and the whole word around it (neighbours untouched),
# negative and largest offsets, rs1 == rs2, storing x0.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Each position: store, read back sign-extended (TEST_ST_OP), then check the whole word.
        TEST_ST_OP 2, lh, sh, 0xffffffff, 0, buf
        TEST_LD_OP 3, lw, 0xa3a2ffff, 0, buf
        TEST_ST_OP 4, lh, sh, 0x00000000, 2, buf
        TEST_LD_OP 5, lw, 0x0000ffff, 0, buf
        TEST_ST_OP 6, lh, sh, 0x00000000, 4, buf
        TEST_LD_OP 7, lw, 0xa7a60000, 4, buf
        TEST_ST_OP 8, lh, sh, 0xffffffff, 6, buf
        TEST_LD_OP 9, lw, 0xffff0000, 4, buf
        TEST_ST_OP 10, lh, sh, 0x00005678, 8, buf
        TEST_LD_OP 11, lw, 0xabaa5678, 8, buf
        TEST_ST_OP 12, lh, sh, 0xffffbeef, 10, buf
        TEST_LD_OP 13, lw, 0xbeef5678, 8, buf
        TEST_ST_OP 14, lh, sh, 0x000000ff, 12, buf
        TEST_LD_OP 15, lw, 0xafae00ff, 12, buf
        TEST_ST_OP 16, lh, sh, 0xffffff00, 14, buf
        TEST_LD_OP 17, lw, 0xff0000ff, 12, buf
        TEST_ST_OP 18, lh, sh, 0xffff807f, 16, buf
        TEST_LD_OP 19, lw, 0xb3b2807f, 16, buf
        TEST_ST_OP 20, lh, sh, 0xffffffff, 18, buf
        TEST_LD_OP 21, lw, 0xffff807f, 16, buf
        TEST_ST_OP 22, lh, sh, 0x00000000, 20, buf
        TEST_LD_OP 23, lw, 0xb7b60000, 20, buf
        TEST_ST_OP 24, lh, sh, 0x00000000, 22, buf
        TEST_LD_OP 25, lw, 0x00000000, 20, buf
        TEST_ST_OP 26, lh, sh, 0xffffffff, 24, buf
        TEST_LD_OP 27, lw, 0xbbbaffff, 24, buf
        TEST_ST_OP 28, lh, sh, 0x00005678, 26, buf
        TEST_LD_OP 29, lw, 0x5678ffff, 24, buf
        TEST_ST_OP 30, lh, sh, 0xffffbeef, 28, buf
        TEST_LD_OP 31, lw, 0xbfbebeef, 28, buf
        TEST_ST_OP 32, lh, sh, 0x000000ff, 30, buf
        TEST_LD_OP 33, lw, 0x00ffbeef, 28, buf

        # Only the low bytes of rs2 are stored; read back zero-extended.
        TEST_BEGIN 34
        la x1, buf
        li x2, 0x12345678
        sh x2, 0(x1)
        lhu x14, 0(x1)
        TEST_END x14, 0x00005678
        TEST_LD_OP 35, lw, 0x00005678, 0, buf
        TEST_BEGIN 36
        la x1, buf
        li x2, 0x8badf00d
        sh x2, 8(x1)
        lhu x14, 8(x1)
        TEST_END x14, 0x0000f00d
        TEST_LD_OP 37, lw, 0xbeeff00d, 8, buf
        TEST_BEGIN 38
        la x1, buf
        li x2, 0xffffffff
        sh x2, 28(x1)
        lhu x14, 28(x1)
        TEST_END x14, 0x0000ffff
        TEST_LD_OP 39, lw, 0x00ffffff, 28, buf

        # Negative offsets from the end of the buffer.
        TEST_ST_OP 40, lhu, sh, 0x00000304, -32, bend
        TEST_LD_OP 41, lw, 0x00000304, 0, buf
        TEST_ST_OP 42, lhu, sh, 0x0000d0c0, -16, bend
        TEST_LD_OP 43, lw, 0xffffd0c0, 16, buf
        TEST_ST_OP 44, lhu, sh, 0x000055aa, -2, bend
        TEST_LD_OP 45, lw, 0x55aaffff, 28, buf

        # The largest offsets, 2047 and -2048 (rounded to the width's alignment).
        TEST_BEGIN 46
        la x1, buf+4-(2046)
        li x2, 0x13579bdf
        sh x2, 2046(x1)
        TEST_END x0, 0
        TEST_LD_OP 47, lw, 0xffff9bdf, 4, buf
        TEST_BEGIN 48
        la x1, buf+12-(-2048)
        li x2, 0x2468ace0
        sh x2, -2048(x1)
        TEST_END x0, 0
        TEST_LD_OP 49, lw, 0xff00ace0, 12, buf

        # Storing x0 writes zeros.
        TEST_BEGIN 50
        la x1, buf
        sh x0, 8(x1)
        TEST_END x0, 0
        TEST_LD_OP 51, lw, 0xbeef0000, 8, buf

        # rs2 == rs1: the address itself is stored.
        TEST_BEGIN 52
        la x1, buf
        sh x1, 24(x1)
        lhu x14, 24(x1)
        li x7, 0xffff
        and x7, x1, x7
        CHECK_EQ x14, x7

        # The guard word after the buffer was never touched.
        TEST_LD_OP 53, lw, 0x5a5a5a5a, 0, bend
        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
        # A 32-byte buffer of known bytes (0xa0 + i); buf is 32-byte aligned.
buf:    .byte 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf
        .byte 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf
bend:
        .word 0x5a5a5a5a        # guard word after the buffer
