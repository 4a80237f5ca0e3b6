# srli: rd = rs1 >>u shamt (0..31)
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values and immediates (12-bit immediates are sign-extended).
        TEST_IMM_OP 2, srli, 0x00000000, 0x00000000, 0
        TEST_IMM_OP 3, srli, 0x00000000, 0x00000000, 1
        TEST_IMM_OP 4, srli, 0x00000000, 0x00000000, 7
        TEST_IMM_OP 5, srli, 0x00000000, 0x00000000, 14
        TEST_IMM_OP 6, srli, 0x00000000, 0x00000000, 20
        TEST_IMM_OP 7, srli, 0x00000000, 0x00000000, 31
        TEST_IMM_OP 8, srli, 0x00000001, 0x00000001, 0
        TEST_IMM_OP 9, srli, 0x00000000, 0x00000001, 1
        TEST_IMM_OP 10, srli, 0x00000000, 0x00000001, 7
        TEST_IMM_OP 11, srli, 0x00000000, 0x00000001, 14
        TEST_IMM_OP 12, srli, 0x00000000, 0x00000001, 20
        TEST_IMM_OP 13, srli, 0x00000000, 0x00000001, 31
        TEST_IMM_OP 14, srli, 0xffffffff, 0xffffffff, 0
        TEST_IMM_OP 15, srli, 0x7fffffff, 0xffffffff, 1
        TEST_IMM_OP 16, srli, 0x01ffffff, 0xffffffff, 7
        TEST_IMM_OP 17, srli, 0x0003ffff, 0xffffffff, 14
        TEST_IMM_OP 18, srli, 0x00000fff, 0xffffffff, 20
        TEST_IMM_OP 19, srli, 0x00000001, 0xffffffff, 31
        TEST_IMM_OP 20, srli, 0x80000000, 0x80000000, 0
        TEST_IMM_OP 21, srli, 0x40000000, 0x80000000, 1
        TEST_IMM_OP 22, srli, 0x01000000, 0x80000000, 7
        TEST_IMM_OP 23, srli, 0x00020000, 0x80000000, 14
        TEST_IMM_OP 24, srli, 0x00000800, 0x80000000, 20
        TEST_IMM_OP 25, srli, 0x00000001, 0x80000000, 31
        TEST_IMM_OP 26, srli, 0x7fffffff, 0x7fffffff, 0
        TEST_IMM_OP 27, srli, 0x3fffffff, 0x7fffffff, 1
        TEST_IMM_OP 28, srli, 0x00ffffff, 0x7fffffff, 7
        TEST_IMM_OP 29, srli, 0x0001ffff, 0x7fffffff, 14
        TEST_IMM_OP 30, srli, 0x000007ff, 0x7fffffff, 20
        TEST_IMM_OP 31, srli, 0x00000000, 0x7fffffff, 31
        TEST_IMM_OP 32, srli, 0x12345678, 0x12345678, 0
        TEST_IMM_OP 33, srli, 0x091a2b3c, 0x12345678, 1
        TEST_IMM_OP 34, srli, 0x002468ac, 0x12345678, 7
        TEST_IMM_OP 35, srli, 0x000048d1, 0x12345678, 14
        TEST_IMM_OP 36, srli, 0x00000123, 0x12345678, 20
        TEST_IMM_OP 37, srli, 0x00000000, 0x12345678, 31
        TEST_IMM_OP 38, srli, 0x87654321, 0x87654321, 0
        TEST_IMM_OP 39, srli, 0x43b2a190, 0x87654321, 1
        TEST_IMM_OP 40, srli, 0x010eca86, 0x87654321, 7
        TEST_IMM_OP 41, srli, 0x00021d95, 0x87654321, 14
        TEST_IMM_OP 42, srli, 0x00000876, 0x87654321, 20
        TEST_IMM_OP 43, srli, 0x00000001, 0x87654321, 31
        TEST_IMM_OP 44, srli, 0x21212121, 0x21212121, 0
        TEST_IMM_OP 45, srli, 0x10909090, 0x21212121, 1
        TEST_IMM_OP 46, srli, 0x00424242, 0x21212121, 7
        TEST_IMM_OP 47, srli, 0x00008484, 0x21212121, 14
        TEST_IMM_OP 48, srli, 0x00000212, 0x21212121, 20
        TEST_IMM_OP 49, srli, 0x00000000, 0x21212121, 31

        # Source equal to destination, x0 as source and destination.
        TEST_IMM_SRC1_EQ_DEST 50, srli, 0x043b2a19, 0x87654321, 5
        TEST_IMM_ZEROSRC1 51, srli, 0x00000000, 3
        TEST_IMM_ZEROSRC1 52, srli, 0x00000000, 31
        TEST_IMM_ZERODEST 53, srli, 0x87654321, 5
        RVTEST_CODE_END
