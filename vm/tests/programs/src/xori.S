# xori: rd = rs1 ^ sext(imm12); xori rd, rs, -1 is not
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values and immediates (12-bit immediates are sign-extended).
        TEST_IMM_OP 2, xori, 0x00000000, 0x00000000, 0
        TEST_IMM_OP 3, xori, 0x00000001, 0x00000000, 1
        TEST_IMM_OP 4, xori, 0xffffffff, 0x00000000, -1
        TEST_IMM_OP 5, xori, 0x00000002, 0x00000000, 2
        TEST_IMM_OP 6, xori, 0x000007ff, 0x00000000, 2047
        TEST_IMM_OP 7, xori, 0xfffff800, 0x00000000, -2048
        TEST_IMM_OP 8, xori, 0x00000555, 0x00000000, 1365
        TEST_IMM_OP 9, xori, 0xfffffaaa, 0x00000000, -1366
        TEST_IMM_OP 10, xori, 0x000007f0, 0x00000000, 2032
        TEST_IMM_OP 11, xori, 0xfffffff0, 0x00000000, -16
        TEST_IMM_OP 12, xori, 0x00000001, 0x00000001, 0
        TEST_IMM_OP 13, xori, 0x00000000, 0x00000001, 1
        TEST_IMM_OP 14, xori, 0xfffffffe, 0x00000001, -1
        TEST_IMM_OP 15, xori, 0x00000003, 0x00000001, 2
        TEST_IMM_OP 16, xori, 0x000007fe, 0x00000001, 2047
        TEST_IMM_OP 17, xori, 0xfffff801, 0x00000001, -2048
        TEST_IMM_OP 18, xori, 0x00000554, 0x00000001, 1365
        TEST_IMM_OP 19, xori, 0xfffffaab, 0x00000001, -1366
        TEST_IMM_OP 20, xori, 0x000007f1, 0x00000001, 2032
        TEST_IMM_OP 21, xori, 0xfffffff1, 0x00000001, -16
        TEST_IMM_OP 22, xori, 0xffffffff, 0xffffffff, 0
        TEST_IMM_OP 23, xori, 0xfffffffe, 0xffffffff, 1
        TEST_IMM_OP 24, xori, 0x00000000, 0xffffffff, -1
        TEST_IMM_OP 25, xori, 0xfffffffd, 0xffffffff, 2
        TEST_IMM_OP 26, xori, 0xfffff800, 0xffffffff, 2047
        TEST_IMM_OP 27, xori, 0x000007ff, 0xffffffff, -2048
        TEST_IMM_OP 28, xori, 0xfffffaaa, 0xffffffff, 1365
        TEST_IMM_OP 29, xori, 0x00000555, 0xffffffff, -1366
        TEST_IMM_OP 30, xori, 0xfffff80f, 0xffffffff, 2032
        TEST_IMM_OP 31, xori, 0x0000000f, 0xffffffff, -16
        TEST_IMM_OP 32, xori, 0x7fffffff, 0x7fffffff, 0
        TEST_IMM_OP 33, xori, 0x7ffffffe, 0x7fffffff, 1
        TEST_IMM_OP 34, xori, 0x80000000, 0x7fffffff, -1
        TEST_IMM_OP 35, xori, 0x7ffffffd, 0x7fffffff, 2
        TEST_IMM_OP 36, xori, 0x7ffff800, 0x7fffffff, 2047
        TEST_IMM_OP 37, xori, 0x800007ff, 0x7fffffff, -2048
        TEST_IMM_OP 38, xori, 0x7ffffaaa, 0x7fffffff, 1365
        TEST_IMM_OP 39, xori, 0x80000555, 0x7fffffff, -1366
        TEST_IMM_OP 40, xori, 0x7ffff80f, 0x7fffffff, 2032
        TEST_IMM_OP 41, xori, 0x8000000f, 0x7fffffff, -16
        TEST_IMM_OP 42, xori, 0x80000000, 0x80000000, 0
        TEST_IMM_OP 43, xori, 0x80000001, 0x80000000, 1
        TEST_IMM_OP 44, xori, 0x7fffffff, 0x80000000, -1
        TEST_IMM_OP 45, xori, 0x80000002, 0x80000000, 2
        TEST_IMM_OP 46, xori, 0x800007ff, 0x80000000, 2047
        TEST_IMM_OP 47, xori, 0x7ffff800, 0x80000000, -2048
        TEST_IMM_OP 48, xori, 0x80000555, 0x80000000, 1365
        TEST_IMM_OP 49, xori, 0x7ffffaaa, 0x80000000, -1366
        TEST_IMM_OP 50, xori, 0x800007f0, 0x80000000, 2032
        TEST_IMM_OP 51, xori, 0x7ffffff0, 0x80000000, -16
        TEST_IMM_OP 52, xori, 0x7ffff800, 0x7ffff800, 0
        TEST_IMM_OP 53, xori, 0x7ffff801, 0x7ffff800, 1
        TEST_IMM_OP 54, xori, 0x800007ff, 0x7ffff800, -1
        TEST_IMM_OP 55, xori, 0x7ffff802, 0x7ffff800, 2
        TEST_IMM_OP 56, xori, 0x7fffffff, 0x7ffff800, 2047
        TEST_IMM_OP 57, xori, 0x80000000, 0x7ffff800, -2048
        TEST_IMM_OP 58, xori, 0x7ffffd55, 0x7ffff800, 1365
        TEST_IMM_OP 59, xori, 0x800002aa, 0x7ffff800, -1366
        TEST_IMM_OP 60, xori, 0x7ffffff0, 0x7ffff800, 2032
        TEST_IMM_OP 61, xori, 0x800007f0, 0x7ffff800, -16
        TEST_IMM_OP 62, xori, 0x800007ff, 0x800007ff, 0
        TEST_IMM_OP 63, xori, 0x800007fe, 0x800007ff, 1
        TEST_IMM_OP 64, xori, 0x7ffff800, 0x800007ff, -1
        TEST_IMM_OP 65, xori, 0x800007fd, 0x800007ff, 2
        TEST_IMM_OP 66, xori, 0x80000000, 0x800007ff, 2047
        TEST_IMM_OP 67, xori, 0x7fffffff, 0x800007ff, -2048
        TEST_IMM_OP 68, xori, 0x800002aa, 0x800007ff, 1365
        TEST_IMM_OP 69, xori, 0x7ffffd55, 0x800007ff, -1366
        TEST_IMM_OP 70, xori, 0x8000000f, 0x800007ff, 2032
        TEST_IMM_OP 71, xori, 0x7ffff80f, 0x800007ff, -16
        TEST_IMM_OP 72, xori, 0x12345678, 0x12345678, 0
        TEST_IMM_OP 73, xori, 0x12345679, 0x12345678, 1
        TEST_IMM_OP 74, xori, 0xedcba987, 0x12345678, -1
        TEST_IMM_OP 75, xori, 0x1234567a, 0x12345678, 2
        TEST_IMM_OP 76, xori, 0x12345187, 0x12345678, 2047
        TEST_IMM_OP 77, xori, 0xedcbae78, 0x12345678, -2048
        TEST_IMM_OP 78, xori, 0x1234532d, 0x12345678, 1365
        TEST_IMM_OP 79, xori, 0xedcbacd2, 0x12345678, -1366
        TEST_IMM_OP 80, xori, 0x12345188, 0x12345678, 2032
        TEST_IMM_OP 81, xori, 0xedcba988, 0x12345678, -16
        TEST_IMM_OP 82, xori, 0xfffff800, 0xfffff800, 0
        TEST_IMM_OP 83, xori, 0xfffff801, 0xfffff800, 1
        TEST_IMM_OP 84, xori, 0x000007ff, 0xfffff800, -1
        TEST_IMM_OP 85, xori, 0xfffff802, 0xfffff800, 2
        TEST_IMM_OP 86, xori, 0xffffffff, 0xfffff800, 2047
        TEST_IMM_OP 87, xori, 0x00000000, 0xfffff800, -2048
        TEST_IMM_OP 88, xori, 0xfffffd55, 0xfffff800, 1365
        TEST_IMM_OP 89, xori, 0x000002aa, 0xfffff800, -1366
        TEST_IMM_OP 90, xori, 0xfffffff0, 0xfffff800, 2032
        TEST_IMM_OP 91, xori, 0x000007f0, 0xfffff800, -16
        TEST_IMM_OP 92, xori, 0x000007ff, 0x000007ff, 0
        TEST_IMM_OP 93, xori, 0x000007fe, 0x000007ff, 1
        TEST_IMM_OP 94, xori, 0xfffff800, 0x000007ff, -1
        TEST_IMM_OP 95, xori, 0x000007fd, 0x000007ff, 2
        TEST_IMM_OP 96, xori, 0x00000000, 0x000007ff, 2047
        TEST_IMM_OP 97, xori, 0xffffffff, 0x000007ff, -2048
        TEST_IMM_OP 98, xori, 0x000002aa, 0x000007ff, 1365
        TEST_IMM_OP 99, xori, 0xfffffd55, 0x000007ff, -1366
        TEST_IMM_OP 100, xori, 0x0000000f, 0x000007ff, 2032
        TEST_IMM_OP 101, xori, 0xfffff80f, 0x000007ff, -16

        # Source equal to destination, x0 as source and destination.
        TEST_IMM_SRC1_EQ_DEST 102, xori, 0xedcbacd2, 0x12345678, -1366
        TEST_IMM_ZEROSRC1 103, xori, 0x000007ff, 2047
        TEST_IMM_ZEROSRC1 104, xori, 0xffffffff, -1
        TEST_IMM_ZERODEST 105, xori, 0x12345678, -1366
        RVTEST_CODE_END
