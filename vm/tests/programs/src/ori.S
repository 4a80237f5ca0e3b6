# ori: rd = rs1 | sext(imm12)
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values and immediates (12-bit immediates are sign-extended).
        TEST_IMM_OP 2, ori, 0x00000000, 0x00000000, 0
        TEST_IMM_OP 3, ori, 0x00000001, 0x00000000, 1
        TEST_IMM_OP 4, ori, 0xffffffff, 0x00000000, -1
        TEST_IMM_OP 5, ori, 0x00000002, 0x00000000, 2
        TEST_IMM_OP 6, ori, 0x000007ff, 0x00000000, 2047
        TEST_IMM_OP 7, ori, 0xfffff800, 0x00000000, -2048
        TEST_IMM_OP 8, ori, 0x00000555, 0x00000000, 1365
        TEST_IMM_OP 9, ori, 0xfffffaaa, 0x00000000, -1366
        TEST_IMM_OP 10, ori, 0x000007f0, 0x00000000, 2032
        TEST_IMM_OP 11, ori, 0xfffffff0, 0x00000000, -16
        TEST_IMM_OP 12, ori, 0x00000001, 0x00000001, 0
        TEST_IMM_OP 13, ori, 0x00000001, 0x00000001, 1
        TEST_IMM_OP 14, ori, 0xffffffff, 0x00000001, -1
        TEST_IMM_OP 15, ori, 0x00000003, 0x00000001, 2
        TEST_IMM_OP 16, ori, 0x000007ff, 0x00000001, 2047
        TEST_IMM_OP 17, ori, 0xfffff801, 0x00000001, -2048
        TEST_IMM_OP 18, ori, 0x00000555, 0x00000001, 1365
        TEST_IMM_OP 19, ori, 0xfffffaab, 0x00000001, -1366
        TEST_IMM_OP 20, ori, 0x000007f1, 0x00000001, 2032
        TEST_IMM_OP 21, ori, 0xfffffff1, 0x00000001, -16
        TEST_IMM_OP 22, ori, 0xffffffff, 0xffffffff, 0
        TEST_IMM_OP 23, ori, 0xffffffff, 0xffffffff, 1
        TEST_IMM_OP 24, ori, 0xffffffff, 0xffffffff, -1
        TEST_IMM_OP 25, ori, 0xffffffff, 0xffffffff, 2
        TEST_IMM_OP 26, ori, 0xffffffff, 0xffffffff, 2047
        TEST_IMM_OP 27, ori, 0xffffffff, 0xffffffff, -2048
        TEST_IMM_OP 28, ori, 0xffffffff, 0xffffffff, 1365
        TEST_IMM_OP 29, ori, 0xffffffff, 0xffffffff, -1366
        TEST_IMM_OP 30, ori, 0xffffffff, 0xffffffff, 2032
        TEST_IMM_OP 31, ori, 0xffffffff, 0xffffffff, -16
        TEST_IMM_OP 32, ori, 0x7fffffff, 0x7fffffff, 0
        TEST_IMM_OP 33, ori, 0x7fffffff, 0x7fffffff, 1
        TEST_IMM_OP 34, ori, 0xffffffff, 0x7fffffff, -1
        TEST_IMM_OP 35, ori, 0x7fffffff, 0x7fffffff, 2
        TEST_IMM_OP 36, ori, 0x7fffffff, 0x7fffffff, 2047
        TEST_IMM_OP 37, ori, 0xffffffff, 0x7fffffff, -2048
        TEST_IMM_OP 38, ori, 0x7fffffff, 0x7fffffff, 1365
        TEST_IMM_OP 39, ori, 0xffffffff, 0x7fffffff, -1366
        TEST_IMM_OP 40, ori, 0x7fffffff, 0x7fffffff, 2032
        TEST_IMM_OP 41, ori, 0xffffffff, 0x7fffffff, -16
        TEST_IMM_OP 42, ori, 0x80000000, 0x80000000, 0
        TEST_IMM_OP 43, ori, 0x80000001, 0x80000000, 1
        TEST_IMM_OP 44, ori, 0xffffffff, 0x80000000, -1
        TEST_IMM_OP 45, ori, 0x80000002, 0x80000000, 2
        TEST_IMM_OP 46, ori, 0x800007ff, 0x80000000, 2047
        TEST_IMM_OP 47, ori, 0xfffff800, 0x80000000, -2048
        TEST_IMM_OP 48, ori, 0x80000555, 0x80000000, 1365
        TEST_IMM_OP 49, ori, 0xfffffaaa, 0x80000000, -1366
        TEST_IMM_OP 50, ori, 0x800007f0, 0x80000000, 2032
        TEST_IMM_OP 51, ori, 0xfffffff0, 0x80000000, -16
        TEST_IMM_OP 52, ori, 0x7ffff800, 0x7ffff800, 0
        TEST_IMM_OP 53, ori, 0x7ffff801, 0x7ffff800, 1
        TEST_IMM_OP 54, ori, 0xffffffff, 0x7ffff800, -1
        TEST_IMM_OP 55, ori, 0x7ffff802, 0x7ffff800, 2
        TEST_IMM_OP 56, ori, 0x7fffffff, 0x7ffff800, 2047
        TEST_IMM_OP 57, ori, 0xfffff800, 0x7ffff800, -2048
        TEST_IMM_OP 58, ori, 0x7ffffd55, 0x7ffff800, 1365
        TEST_IMM_OP 59, ori, 0xfffffaaa, 0x7ffff800, -1366
        TEST_IMM_OP 60, ori, 0x7ffffff0, 0x7ffff800, 2032
        TEST_IMM_OP 61, ori, 0xfffffff0, 0x7ffff800, -16
        TEST_IMM_OP 62, ori, 0x800007ff, 0x800007ff, 0
        TEST_IMM_OP 63, ori, 0x800007ff, 0x800007ff, 1
        TEST_IMM_OP 64, ori, 0xffffffff, 0x800007ff, -1
        TEST_IMM_OP 65, ori, 0x800007ff, 0x800007ff, 2
        TEST_IMM_OP 66, ori, 0x800007ff, 0x800007ff, 2047
        TEST_IMM_OP 67, ori, 0xffffffff, 0x800007ff, -2048
        TEST_IMM_OP 68, ori, 0x800007ff, 0x800007ff, 1365
        TEST_IMM_OP 69, ori, 0xffffffff, 0x800007ff, -1366
        TEST_IMM_OP 70, ori, 0x800007ff, 0x800007ff, 2032
        TEST_IMM_OP 71, ori, 0xffffffff, 0x800007ff, -16
        TEST_IMM_OP 72, ori, 0x12345678, 0x12345678, 0
        TEST_IMM_OP 73, ori, 0x12345679, 0x12345678, 1
        TEST_IMM_OP 74, ori, 0xffffffff, 0x12345678, -1
        TEST_IMM_OP 75, ori, 0x1234567a, 0x12345678, 2
        TEST_IMM_OP 76, ori, 0x123457ff, 0x12345678, 2047
        TEST_IMM_OP 77, ori, 0xfffffe78, 0x12345678, -2048
        TEST_IMM_OP 78, ori, 0x1234577d, 0x12345678, 1365
        TEST_IMM_OP 79, ori, 0xfffffefa, 0x12345678, -1366
        TEST_IMM_OP 80, ori, 0x123457f8, 0x12345678, 2032
        TEST_IMM_OP 81, ori, 0xfffffff8, 0x12345678, -16
        TEST_IMM_OP 82, ori, 0xfffff800, 0xfffff800, 0
        TEST_IMM_OP 83, ori, 0xfffff801, 0xfffff800, 1
        TEST_IMM_OP 84, ori, 0xffffffff, 0xfffff800, -1
        TEST_IMM_OP 85, ori, 0xfffff802, 0xfffff800, 2
        TEST_IMM_OP 86, ori, 0xffffffff, 0xfffff800, 2047
        TEST_IMM_OP 87, ori, 0xfffff800, 0xfffff800, -2048
        TEST_IMM_OP 88, ori, 0xfffffd55, 0xfffff800, 1365
        TEST_IMM_OP 89, ori, 0xfffffaaa, 0xfffff800, -1366
        TEST_IMM_OP 90, ori, 0xfffffff0, 0xfffff800, 2032
        TEST_IMM_OP 91, ori, 0xfffffff0, 0xfffff800, -16
        TEST_IMM_OP 92, ori, 0x000007ff, 0x000007ff, 0
        TEST_IMM_OP 93, ori, 0x000007ff, 0x000007ff, 1
        TEST_IMM_OP 94, ori, 0xffffffff, 0x000007ff, -1
        TEST_IMM_OP 95, ori, 0x000007ff, 0x000007ff, 2
        TEST_IMM_OP 96, ori, 0x000007ff, 0x000007ff, 2047
        TEST_IMM_OP 97, ori, 0xffffffff, 0x000007ff, -2048
        TEST_IMM_OP 98, ori, 0x000007ff, 0x000007ff, 1365
        TEST_IMM_OP 99, ori, 0xffffffff, 0x000007ff, -1366
        TEST_IMM_OP 100, ori, 0x000007ff, 0x000007ff, 2032
        TEST_IMM_OP 101, ori, 0xffffffff, 0x000007ff, -16

        # Source equal to destination, x0 as source and destination.
        TEST_IMM_SRC1_EQ_DEST 102, ori, 0xfffffefa, 0x12345678, -1366
        TEST_IMM_ZEROSRC1 103, ori, 0x000007ff, 2047
        TEST_IMM_ZEROSRC1 104, ori, 0xffffffff, -1
        TEST_IMM_ZERODEST 105, ori, 0x12345678, -1366
        RVTEST_CODE_END
