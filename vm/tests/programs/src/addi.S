# addi: rd = rs1 + sext(imm12)
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values and immediates (12-bit immediates are sign-extended).
        TEST_IMM_OP 2, addi, 0x00000000, 0x00000000, 0
        TEST_IMM_OP 3, addi, 0x00000001, 0x00000000, 1
        TEST_IMM_OP 4, addi, 0xffffffff, 0x00000000, -1
        TEST_IMM_OP 5, addi, 0x00000002, 0x00000000, 2
        TEST_IMM_OP 6, addi, 0x000007ff, 0x00000000, 2047
        TEST_IMM_OP 7, addi, 0xfffff800, 0x00000000, -2048
        TEST_IMM_OP 8, addi, 0x00000555, 0x00000000, 1365
        TEST_IMM_OP 9, addi, 0xfffffaaa, 0x00000000, -1366
        TEST_IMM_OP 10, addi, 0x000007f0, 0x00000000, 2032
        TEST_IMM_OP 11, addi, 0xfffffff0, 0x00000000, -16
        TEST_IMM_OP 12, addi, 0x00000001, 0x00000001, 0
        TEST_IMM_OP 13, addi, 0x00000002, 0x00000001, 1
        TEST_IMM_OP 14, addi, 0x00000000, 0x00000001, -1
        TEST_IMM_OP 15, addi, 0x00000003, 0x00000001, 2
        TEST_IMM_OP 16, addi, 0x00000800, 0x00000001, 2047
        TEST_IMM_OP 17, addi, 0xfffff801, 0x00000001, -2048
        TEST_IMM_OP 18, addi, 0x00000556, 0x00000001, 1365
        TEST_IMM_OP 19, addi, 0xfffffaab, 0x00000001, -1366
        TEST_IMM_OP 20, addi, 0x000007f1, 0x00000001, 2032
        TEST_IMM_OP 21, addi, 0xfffffff1, 0x00000001, -16
        TEST_IMM_OP 22, addi, 0xffffffff, 0xffffffff, 0
        TEST_IMM_OP 23, addi, 0x00000000, 0xffffffff, 1
        TEST_IMM_OP 24, addi, 0xfffffffe, 0xffffffff, -1
        TEST_IMM_OP 25, addi, 0x00000001, 0xffffffff, 2
        TEST_IMM_OP 26, addi, 0x000007fe, 0xffffffff, 2047
        TEST_IMM_OP 27, addi, 0xfffff7ff, 0xffffffff, -2048
        TEST_IMM_OP 28, addi, 0x00000554, 0xffffffff, 1365
        TEST_IMM_OP 29, addi, 0xfffffaa9, 0xffffffff, -1366
        TEST_IMM_OP 30, addi, 0x000007ef, 0xffffffff, 2032
        TEST_IMM_OP 31, addi, 0xffffffef, 0xffffffff, -16
        TEST_IMM_OP 32, addi, 0x7fffffff, 0x7fffffff, 0
        TEST_IMM_OP 33, addi, 0x80000000, 0x7fffffff, 1
        TEST_IMM_OP 34, addi, 0x7ffffffe, 0x7fffffff, -1
        TEST_IMM_OP 35, addi, 0x80000001, 0x7fffffff, 2
        TEST_IMM_OP 36, addi, 0x800007fe, 0x7fffffff, 2047
        TEST_IMM_OP 37, addi, 0x7ffff7ff, 0x7fffffff, -2048
        TEST_IMM_OP 38, addi, 0x80000554, 0x7fffffff, 1365
        TEST_IMM_OP 39, addi, 0x7ffffaa9, 0x7fffffff, -1366
        TEST_IMM_OP 40, addi, 0x800007ef, 0x7fffffff, 2032
        TEST_IMM_OP 41, addi, 0x7fffffef, 0x7fffffff, -16
        TEST_IMM_OP 42, addi, 0x80000000, 0x80000000, 0
        TEST_IMM_OP 43, addi, 0x80000001, 0x80000000, 1
        TEST_IMM_OP 44, addi, 0x7fffffff, 0x80000000, -1
        TEST_IMM_OP 45, addi, 0x80000002, 0x80000000, 2
        TEST_IMM_OP 46, addi, 0x800007ff, 0x80000000, 2047
        TEST_IMM_OP 47, addi, 0x7ffff800, 0x80000000, -2048
        TEST_IMM_OP 48, addi, 0x80000555, 0x80000000, 1365
        TEST_IMM_OP 49, addi, 0x7ffffaaa, 0x80000000, -1366
        TEST_IMM_OP 50, addi, 0x800007f0, 0x80000000, 2032
        TEST_IMM_OP 51, addi, 0x7ffffff0, 0x80000000, -16
        TEST_IMM_OP 52, addi, 0x7ffff800, 0x7ffff800, 0
        TEST_IMM_OP 53, addi, 0x7ffff801, 0x7ffff800, 1
        TEST_IMM_OP 54, addi, 0x7ffff7ff, 0x7ffff800, -1
        TEST_IMM_OP 55, addi, 0x7ffff802, 0x7ffff800, 2
        TEST_IMM_OP 56, addi, 0x7fffffff, 0x7ffff800, 2047
        TEST_IMM_OP 57, addi, 0x7ffff000, 0x7ffff800, -2048
        TEST_IMM_OP 58, addi, 0x7ffffd55, 0x7ffff800, 1365
        TEST_IMM_OP 59, addi, 0x7ffff2aa, 0x7ffff800, -1366
        TEST_IMM_OP 60, addi, 0x7ffffff0, 0x7ffff800, 2032
        TEST_IMM_OP 61, addi, 0x7ffff7f0, 0x7ffff800, -16
        TEST_IMM_OP 62, addi, 0x800007ff, 0x800007ff, 0
        TEST_IMM_OP 63, addi, 0x80000800, 0x800007ff, 1
        TEST_IMM_OP 64, addi, 0x800007fe, 0x800007ff, -1
        TEST_IMM_OP 65, addi, 0x80000801, 0x800007ff, 2
        TEST_IMM_OP 66, addi, 0x80000ffe, 0x800007ff, 2047
        TEST_IMM_OP 67, addi, 0x7fffffff, 0x800007ff, -2048
        TEST_IMM_OP 68, addi, 0x80000d54, 0x800007ff, 1365
        TEST_IMM_OP 69, addi, 0x800002a9, 0x800007ff, -1366
        TEST_IMM_OP 70, addi, 0x80000fef, 0x800007ff, 2032
        TEST_IMM_OP 71, addi, 0x800007ef, 0x800007ff, -16
        TEST_IMM_OP 72, addi, 0x12345678, 0x12345678, 0
        TEST_IMM_OP 73, addi, 0x12345679, 0x12345678, 1
        TEST_IMM_OP 74, addi, 0x12345677, 0x12345678, -1
        TEST_IMM_OP 75, addi, 0x1234567a, 0x12345678, 2
        TEST_IMM_OP 76, addi, 0x12345e77, 0x12345678, 2047
        TEST_IMM_OP 77, addi, 0x12344e78, 0x12345678, -2048
        TEST_IMM_OP 78, addi, 0x12345bcd, 0x12345678, 1365
        TEST_IMM_OP 79, addi, 0x12345122, 0x12345678, -1366
        TEST_IMM_OP 80, addi, 0x12345e68, 0x12345678, 2032
        TEST_IMM_OP 81, addi, 0x12345668, 0x12345678, -16
        TEST_IMM_OP 82, addi, 0xfffff800, 0xfffff800, 0
        TEST_IMM_OP 83, addi, 0xfffff801, 0xfffff800, 1
        TEST_IMM_OP 84, addi, 0xfffff7ff, 0xfffff800, -1
        TEST_IMM_OP 85, addi, 0xfffff802, 0xfffff800, 2
        TEST_IMM_OP 86, addi, 0xffffffff, 0xfffff800, 2047
        TEST_IMM_OP 87, addi, 0xfffff000, 0xfffff800, -2048
        TEST_IMM_OP 88, addi, 0xfffffd55, 0xfffff800, 1365
        TEST_IMM_OP 89, addi, 0xfffff2aa, 0xfffff800, -1366
        TEST_IMM_OP 90, addi, 0xfffffff0, 0xfffff800, 2032
        TEST_IMM_OP 91, addi, 0xfffff7f0, 0xfffff800, -16
        TEST_IMM_OP 92, addi, 0x000007ff, 0x000007ff, 0
        TEST_IMM_OP 93, addi, 0x00000800, 0x000007ff, 1
        TEST_IMM_OP 94, addi, 0x000007fe, 0x000007ff, -1
        TEST_IMM_OP 95, addi, 0x00000801, 0x000007ff, 2
        TEST_IMM_OP 96, addi, 0x00000ffe, 0x000007ff, 2047
        TEST_IMM_OP 97, addi, 0xffffffff, 0x000007ff, -2048
        TEST_IMM_OP 98, addi, 0x00000d54, 0x000007ff, 1365
        TEST_IMM_OP 99, addi, 0x000002a9, 0x000007ff, -1366
        TEST_IMM_OP 100, addi, 0x00000fef, 0x000007ff, 2032
        TEST_IMM_OP 101, addi, 0x000007ef, 0x000007ff, -16

        # Source equal to destination, x0 as source and destination.
        TEST_IMM_SRC1_EQ_DEST 102, addi, 0x12345122, 0x12345678, -1366
        TEST_IMM_ZEROSRC1 103, addi, 0x000007ff, 2047
        TEST_IMM_ZEROSRC1 104, addi, 0xffffffff, -1
        TEST_IMM_ZERODEST 105, addi, 0x12345678, -1366
        RVTEST_CODE_END
