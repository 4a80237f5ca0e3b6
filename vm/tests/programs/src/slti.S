# slti: rd = (signed rs1 < sext(imm12))
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values and immediates (12-bit immediates are sign-extended).
        TEST_IMM_OP 2, slti, 0x00000000, 0x00000000, 0
        TEST_IMM_OP 3, slti, 0x00000001, 0x00000000, 1
        TEST_IMM_OP 4, slti, 0x00000000, 0x00000000, -1
        TEST_IMM_OP 5, slti, 0x00000001, 0x00000000, 2
        TEST_IMM_OP 6, slti, 0x00000001, 0x00000000, 2047
        TEST_IMM_OP 7, slti, 0x00000000, 0x00000000, -2048
        TEST_IMM_OP 8, slti, 0x00000001, 0x00000000, 1365
        TEST_IMM_OP 9, slti, 0x00000000, 0x00000000, -1366
        TEST_IMM_OP 10, slti, 0x00000001, 0x00000000, 2032
        TEST_IMM_OP 11, slti, 0x00000000, 0x00000000, -16
        TEST_IMM_OP 12, slti, 0x00000000, 0x00000001, 0
        TEST_IMM_OP 13, slti, 0x00000000, 0x00000001, 1
        TEST_IMM_OP 14, slti, 0x00000000, 0x00000001, -1
        TEST_IMM_OP 15, slti, 0x00000001, 0x00000001, 2
        TEST_IMM_OP 16, slti, 0x00000001, 0x00000001, 2047
        TEST_IMM_OP 17, slti, 0x00000000, 0x00000001, -2048
        TEST_IMM_OP 18, slti, 0x00000001, 0x00000001, 1365
        TEST_IMM_OP 19, slti, 0x00000000, 0x00000001, -1366
        TEST_IMM_OP 20, slti, 0x00000001, 0x00000001, 2032
        TEST_IMM_OP 21, slti, 0x00000000, 0x00000001, -16
        TEST_IMM_OP 22, slti, 0x00000001, 0xffffffff, 0
        TEST_IMM_OP 23, slti, 0x00000001, 0xffffffff, 1
        TEST_IMM_OP 24, slti, 0x00000000, 0xffffffff, -1
        TEST_IMM_OP 25, slti, 0x00000001, 0xffffffff, 2
        TEST_IMM_OP 26, slti, 0x00000001, 0xffffffff, 2047
        TEST_IMM_OP 27, slti, 0x00000000, 0xffffffff, -2048
        TEST_IMM_OP 28, slti, 0x00000001, 0xffffffff, 1365
        TEST_IMM_OP 29, slti, 0x00000000, 0xffffffff, -1366
        TEST_IMM_OP 30, slti, 0x00000001, 0xffffffff, 2032
        TEST_IMM_OP 31, slti, 0x00000000, 0xffffffff, -16
        TEST_IMM_OP 32, slti, 0x00000000, 0x7fffffff, 0
        TEST_IMM_OP 33, slti, 0x00000000, 0x7fffffff, 1
        TEST_IMM_OP 34, slti, 0x00000000, 0x7fffffff, -1
        TEST_IMM_OP 35, slti, 0x00000000, 0x7fffffff, 2
        TEST_IMM_OP 36, slti, 0x00000000, 0x7fffffff, 2047
        TEST_IMM_OP 37, slti, 0x00000000, 0x7fffffff, -2048
        TEST_IMM_OP 38, slti, 0x00000000, 0x7fffffff, 1365
        TEST_IMM_OP 39, slti, 0x00000000, 0x7fffffff, -1366
        TEST_IMM_OP 40, slti, 0x00000000, 0x7fffffff, 2032
        TEST_IMM_OP 41, slti, 0x00000000, 0x7fffffff, -16
        TEST_IMM_OP 42, slti, 0x00000001, 0x80000000, 0
        TEST_IMM_OP 43, slti, 0x00000001, 0x80000000, 1
        TEST_IMM_OP 44, slti, 0x00000001, 0x80000000, -1
        TEST_IMM_OP 45, slti, 0x00000001, 0x80000000, 2
        TEST_IMM_OP 46, slti, 0x00000001, 0x80000000, 2047
        TEST_IMM_OP 47, slti, 0x00000001, 0x80000000, -2048
        TEST_IMM_OP 48, slti, 0x00000001, 0x80000000, 1365
        TEST_IMM_OP 49, slti, 0x00000001, 0x80000000, -1366
        TEST_IMM_OP 50, slti, 0x00000001, 0x80000000, 2032
        TEST_IMM_OP 51, slti, 0x00000001, 0x80000000, -16
        TEST_IMM_OP 52, slti, 0x00000000, 0x7ffff800, 0
        TEST_IMM_OP 53, slti, 0x00000000, 0x7ffff800, 1
        TEST_IMM_OP 54, slti, 0x00000000, 0x7ffff800, -1
        TEST_IMM_OP 55, slti, 0x00000000, 0x7ffff800, 2
        TEST_IMM_OP 56, slti, 0x00000000, 0x7ffff800, 2047
        TEST_IMM_OP 57, slti, 0x00000000, 0x7ffff800, -2048
        TEST_IMM_OP 58, slti, 0x00000000, 0x7ffff800, 1365
        TEST_IMM_OP 59, slti, 0x00000000, 0x7ffff800, -1366
        TEST_IMM_OP 60, slti, 0x00000000, 0x7ffff800, 2032
        TEST_IMM_OP 61, slti, 0x00000000, 0x7ffff800, -16
        TEST_IMM_OP 62, slti, 0x00000001, 0x800007ff, 0
        TEST_IMM_OP 63, slti, 0x00000001, 0x800007ff, 1
        TEST_IMM_OP 64, slti, 0x00000001, 0x800007ff, -1
        TEST_IMM_OP 65, slti, 0x00000001, 0x800007ff, 2
        TEST_IMM_OP 66, slti, 0x00000001, 0x800007ff, 2047
        TEST_IMM_OP 67, slti, 0x00000001, 0x800007ff, -2048
        TEST_IMM_OP 68, slti, 0x00000001, 0x800007ff, 1365
        TEST_IMM_OP 69, slti, 0x00000001, 0x800007ff, -1366
        TEST_IMM_OP 70, slti, 0x00000001, 0x800007ff, 2032
        TEST_IMM_OP 71, slti, 0x00000001, 0x800007ff, -16
        TEST_IMM_OP 72, slti, 0x00000000, 0x12345678, 0
        TEST_IMM_OP 73, slti, 0x00000000, 0x12345678, 1
        TEST_IMM_OP 74, slti, 0x00000000, 0x12345678, -1
        TEST_IMM_OP 75, slti, 0x00000000, 0x12345678, 2
        TEST_IMM_OP 76, slti, 0x00000000, 0x12345678, 2047
        TEST_IMM_OP 77, slti, 0x00000000, 0x12345678, -2048
        TEST_IMM_OP 78, slti, 0x00000000, 0x12345678, 1365
        TEST_IMM_OP 79, slti, 0x00000000, 0x12345678, -1366
        TEST_IMM_OP 80, slti, 0x00000000, 0x12345678, 2032
        TEST_IMM_OP 81, slti, 0x00000000, 0x12345678, -16
        TEST_IMM_OP 82, slti, 0x00000001, 0xfffff800, 0
        TEST_IMM_OP 83, slti, 0x00000001, 0xfffff800, 1
        TEST_IMM_OP 84, slti, 0x00000001, 0xfffff800, -1
        TEST_IMM_OP 85, slti, 0x00000001, 0xfffff800, 2
        TEST_IMM_OP 86, slti, 0x00000001, 0xfffff800, 2047
        TEST_IMM_OP 87, slti, 0x00000000, 0xfffff800, -2048
        TEST_IMM_OP 88, slti, 0x00000001, 0xfffff800, 1365
        TEST_IMM_OP 89, slti, 0x00000001, 0xfffff800, -1366
        TEST_IMM_OP 90, slti, 0x00000001, 0xfffff800, 2032
        TEST_IMM_OP 91, slti, 0x00000001, 0xfffff800, -16
        TEST_IMM_OP 92, slti, 0x00000000, 0x000007ff, 0
        TEST_IMM_OP 93, slti, 0x00000000, 0x000007ff, 1
        TEST_IMM_OP 94, slti, 0x00000000, 0x000007ff, -1
        TEST_IMM_OP 95, slti, 0x00000000, 0x000007ff, 2
        TEST_IMM_OP 96, slti, 0x00000000, 0x000007ff, 2047
        TEST_IMM_OP 97, slti, 0x00000000, 0x000007ff, -2048
        TEST_IMM_OP 98, slti, 0x00000000, 0x000007ff, 1365
        TEST_IMM_OP 99, slti, 0x00000000, 0x000007ff, -1366
        TEST_IMM_OP 100, slti, 0x00000000, 0x000007ff, 2032
        TEST_IMM_OP 101, slti, 0x00000000, 0x000007ff, -16

        # Source equal to destination, x0 as source and destination.
        TEST_IMM_SRC1_EQ_DEST 102, slti, 0x00000000, 0x12345678, -1366
        TEST_IMM_ZEROSRC1 103, slti, 0x00000001, 2047
        TEST_IMM_ZEROSRC1 104, slti, 0x00000000, -1
        TEST_IMM_ZERODEST 105, slti, 0x12345678, -1366
        RVTEST_CODE_END
