# sw: mem32[rs1 + sext(imm12)] = rs2, little-endian
# Aligned accesses here (misaligned ones are in misaligned.S): a store at every position of a
# 32-byte buffer, reading back the value and the whole word around it (neighbours untouched),
# negative and largest offsets, rs1 == rs2, storing x0.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Each position: store, read back sign-extended (TEST_ST_OP), then check the whole word.
        TEST_ST_OP 2, lw, sw, 0xffffffff, 0, buf
        TEST_LD_OP 3, lw, 0xffffffff, 0, buf
        TEST_ST_OP 4, lw, sw, 0x00000000, 4, buf
        TEST_LD_OP 5, lw, 0x00000000, 4, buf
        TEST_ST_OP 6, lw, sw, 0x80000000, 8, buf
        TEST_LD_OP 7, lw, 0x80000000, 8, buf
        TEST_ST_OP 8, lw, sw, 0x7fffffff, 12, buf
        TEST_LD_OP 9, lw, 0x7fffffff, 12, buf
        TEST_ST_OP 10, lw, sw, 0x12345678, 16, buf
        TEST_LD_OP 11, lw, 0x12345678, 16, buf
        TEST_ST_OP 12, lw, sw, 0xdeadbeef, 20, buf
        TEST_LD_OP 13, lw, 0xdeadbeef, 20, buf
        TEST_ST_OP 14, lw, sw, 0x000000ff, 24, buf
        TEST_LD_OP 15, lw, 0x000000ff, 24, buf
        TEST_ST_OP 16, lw, sw, 0x0000ff00, 28, buf
        TEST_LD_OP 17, lw, 0x0000ff00, 28, buf

        # Only the low bytes of rs2 are stored; read back zero-extended.
        TEST_BEGIN 18
        la x1, buf
        li x2, 0x12345678
        sw x2, 0(x1)
        lw x14, 0(x1)
        TEST_END x14, 0x12345678
        TEST_LD_OP 19, lw, 0x12345678, 0, buf
        TEST_BEGIN 20
        la x1, buf
        li x2, 0x8badf00d
        sw x2, 8(x1)
        lw x14, 8(x1)
        TEST_END x14, 0x8badf00d
        TEST_LD_OP 21, lw, 0x8badf00d, 8, buf
        TEST_BEGIN 22
        la x1, buf
        li x2, 0xffffffff
        sw x2, 28(x1)
        lw x14, 28(x1)
        TEST_END x14, 0xffffffff
        TEST_LD_OP 23, lw, 0xffffffff, 28, buf

        # Negative offsets from the end of the buffer.
        TEST_ST_OP 24, lw, sw, 0x01020304, -32, bend
        TEST_LD_OP 25, lw, 0x01020304, 0, buf
        TEST_ST_OP 26, lw, sw, 0xf0e0d0c0, -16, bend
        TEST_LD_OP 27, lw, 0xf0e0d0c0, 16, buf
        TEST_ST_OP 28, lw, sw, 0x55aa55aa, -4, bend
        TEST_LD_OP 29, lw, 0x55aa55aa, 28, buf

        # The largest offsets, 2047 and -2048 (rounded to the width's alignment).
        TEST_BEGIN 30
        la x1, buf+4-(2044)
        li x2, 0x13579bdf
        sw x2, 2044(x1)
        TEST_END x0, 0
        TEST_LD_OP 31, lw, 0x13579bdf, 4, buf
        TEST_BEGIN 32
        la x1, buf+12-(-2048)
        li x2, 0x2468ace0
        sw x2, -2048(x1)
        TEST_END x0, 0
        TEST_LD_OP 33, lw, 0x2468ace0, 12, buf

        # Storing x0 writes zeros.
        TEST_BEGIN 34
        la x1, buf
        sw x0, 8(x1)
        TEST_END x0, 0
        TEST_LD_OP 35, lw, 0x00000000, 8, buf

        # rs2 == rs1: the address itself is stored.
        TEST_BEGIN 36
        la x1, buf
        sw x1, 24(x1)
        lw x14, 24(x1)
        li x7, 0xffffffff
        and x7, x1, x7
        CHECK_EQ x14, x7

        # The guard word after the buffer was never touched.
        TEST_LD_OP 37, lw, 0x5a5a5a5a, 0, bend
        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
        # A 32-byte buffer of known bytes (0xa0 + i); buf is 32-byte aligned.
buf:    .byte 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf
        .byte 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf
bend:
        .word 0x5a5a5a5a        # guard word after the buffer
