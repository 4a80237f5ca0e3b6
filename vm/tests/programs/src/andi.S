# andi: rd = rs1 & sext(imm12)
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values and immediates (12-bit immediates are sign-extended).
        TEST_IMM_OP 2, andi, 0x00000000, 0x00000000, 0
        TEST_IMM_OP 3, andi, 0x00000000, 0x00000000, 1
        TEST_IMM_OP 4, andi, 0x00000000, 0x00000000, -1
        TEST_IMM_OP 5, andi, 0x00000000, 0x00000000, 2
        TEST_IMM_OP 6, andi, 0x00000000, 0x00000000, 2047
        TEST_IMM_OP 7, andi, 0x00000000, 0x00000000, -2048
        TEST_IMM_OP 8, andi, 0x00000000, 0x00000000, 1365
        TEST_IMM_OP 9, andi, 0x00000000, 0x00000000, -1366
        TEST_IMM_OP 10, andi, 0x00000000, 0x00000000, 2032
        TEST_IMM_OP 11, andi, 0x00000000, 0x00000000, -16
        TEST_IMM_OP 12, andi, 0x00000000, 0x00000001, 0
        TEST_IMM_OP 13, andi, 0x00000001, 0x00000001, 1
        TEST_IMM_OP 14, andi, 0x00000001, 0x00000001, -1
        TEST_IMM_OP 15, andi, 0x00000000, 0x00000001, 2
        TEST_IMM_OP 16, andi, 0x00000001, 0x00000001, 2047
        TEST_IMM_OP 17, andi, 0x00000000, 0x00000001, -2048
        TEST_IMM_OP 18, andi, 0x00000001, 0x00000001, 1365
        TEST_IMM_OP 19, andi, 0x00000000, 0x00000001, -1366
        TEST_IMM_OP 20, andi, 0x00000000, 0x00000001, 2032
        TEST_IMM_OP 21, andi, 0x00000000, 0x00000001, -16
        TEST_IMM_OP 22, andi, 0x00000000, 0xffffffff, 0
        TEST_IMM_OP 23, andi, 0x00000001, 0xffffffff, 1
        TEST_IMM_OP 24, andi, 0xffffffff, 0xffffffff, -1
        TEST_IMM_OP 25, andi, 0x00000002, 0xffffffff, 2
        TEST_IMM_OP 26, andi, 0x000007ff, 0xffffffff, 2047
        TEST_IMM_OP 27, andi, 0xfffff800, 0xffffffff, -2048
        TEST_IMM_OP 28, andi, 0x00000555, 0xffffffff, 1365
        TEST_IMM_OP 29, andi, 0xfffffaaa, 0xffffffff, -1366
        TEST_IMM_OP 30, andi, 0x000007f0, 0xffffffff, 2032
        TEST_IMM_OP 31, andi, 0xfffffff0, 0xffffffff, -16
        TEST_IMM_OP 32, andi, 0x00000000, 0x7fffffff, 0
        TEST_IMM_OP 33, andi, 0x00000001, 0x7fffffff, 1
        TEST_IMM_OP 34, andi, 0x7fffffff, 0x7fffffff, -1
        TEST_IMM_OP 35, andi, 0x00000002, 0x7fffffff, 2
        TEST_IMM_OP 36, andi, 0x000007ff, 0x7fffffff, 2047
        TEST_IMM_OP 37, andi, 0x7ffff800, 0x7fffffff, -2048
        TEST_IMM_OP 38, andi, 0x00000555, 0x7fffffff, 1365
        TEST_IMM_OP 39, andi, 0x7ffffaaa, 0x7fffffff, -1366
        TEST_IMM_OP 40, andi, 0x000007f0, 0x7fffffff, 2032
        TEST_IMM_OP 41, andi, 0x7ffffff0, 0x7fffffff, -16
        TEST_IMM_OP 42, andi, 0x00000000, 0x80000000, 0
        TEST_IMM_OP 43, andi, 0x00000000, 0x80000000, 1
        TEST_IMM_OP 44, andi, 0x80000000, 0x80000000, -1
        TEST_IMM_OP 45, andi, 0x00000000, 0x80000000, 2
        TEST_IMM_OP 46, andi, 0x00000000, 0x80000000, 2047
        TEST_IMM_OP 47, andi, 0x80000000, 0x80000000, -2048
        TEST_IMM_OP 48, andi, 0x00000000, 0x80000000, 1365
        TEST_IMM_OP 49, andi, 0x80000000, 0x80000000, -1366
        TEST_IMM_OP 50, andi, 0x00000000, 0x80000000, 2032
        TEST_IMM_OP 51, andi, 0x80000000, 0x80000000, -16
        TEST_IMM_OP 52, andi, 0x00000000, 0x7ffff800, 0
        TEST_IMM_OP 53, andi, 0x00000000, 0x7ffff800, 1
        TEST_IMM_OP 54, andi, 0x7ffff800, 0x7ffff800, -1
        TEST_IMM_OP 55, andi, 0x00000000, 0x7ffff800, 2
        TEST_IMM_OP 56, andi, 0x00000000, 0x7ffff800, 2047
        TEST_IMM_OP 57, andi, 0x7ffff800, 0x7ffff800, -2048
        TEST_IMM_OP 58, andi, 0x00000000, 0x7ffff800, 1365
        TEST_IMM_OP 59, andi, 0x7ffff800, 0x7ffff800, -1366
        TEST_IMM_OP 60, andi, 0x00000000, 0x7ffff800, 2032
        TEST_IMM_OP 61, andi, 0x7ffff800, 0x7ffff800, -16
        TEST_IMM_OP 62, andi, 0x00000000, 0x800007ff, 0
        TEST_IMM_OP 63, andi, 0x00000001, 0x800007ff, 1
        TEST_IMM_OP 64, andi, 0x800007ff, 0x800007ff, -1
        TEST_IMM_OP 65, andi, 0x00000002, 0x800007ff, 2
        TEST_IMM_OP 66, andi, 0x000007ff, 0x800007ff, 2047
        TEST_IMM_OP 67, andi, 0x80000000, 0x800007ff, -2048
        TEST_IMM_OP 68, andi, 0x00000555, 0x800007ff, 1365
        TEST_IMM_OP 69, andi, 0x800002aa, 0x800007ff, -1366
        TEST_IMM_OP 70, andi, 0x000007f0, 0x800007ff, 2032
        TEST_IMM_OP 71, andi, 0x800007f0, 0x800007ff, -16
        TEST_IMM_OP 72, andi, 0x00000000, 0x12345678, 0
        TEST_IMM_OP 73, andi, 0x00000000, 0x12345678, 1
        TEST_IMM_OP 74, andi, 0x12345678, 0x12345678, -1
        TEST_IMM_OP 75, andi, 0x00000000, 0x12345678, 2
        TEST_IMM_OP 76, andi, 0x00000678, 0x12345678, 2047
        TEST_IMM_OP 77, andi, 0x12345000, 0x12345678, -2048
        TEST_IMM_OP 78, andi, 0x00000450, 0x12345678, 1365
        TEST_IMM_OP 79, andi, 0x12345228, 0x12345678, -1366
        TEST_IMM_OP 80, andi, 0x00000670, 0x12345678, 2032
        TEST_IMM_OP 81, andi, 0x12345670, 0x12345678, -16
        TEST_IMM_OP 82, andi, 0x00000000, 0xfffff800, 0
        TEST_IMM_OP 83, andi, 0x00000000, 0xfffff800, 1
        TEST_IMM_OP 84, andi, 0xfffff800, 0xfffff800, -1
        TEST_IMM_OP 85, andi, 0x00000000, 0xfffff800, 2
        TEST_IMM_OP 86, andi, 0x00000000, 0xfffff800, 2047
        TEST_IMM_OP 87, andi, 0xfffff800, 0xfffff800, -2048
        TEST_IMM_OP 88, andi, 0x00000000, 0xfffff800, 1365
        TEST_IMM_OP 89, andi, 0xfffff800, 0xfffff800, -1366
        TEST_IMM_OP 90, andi, 0x00000000, 0xfffff800, 2032
        TEST_IMM_OP 91, andi, 0xfffff800, 0xfffff800, -16
        TEST_IMM_OP 92, andi, 0x00000000, 0x000007ff, 0
        TEST_IMM_OP 93, andi, 0x00000001, 0x000007ff, 1
        TEST_IMM_OP 94, andi, 0x000007ff, 0x000007ff, -1
        TEST_IMM_OP 95, andi, 0x00000002, 0x000007ff, 2
        TEST_IMM_OP 96, andi, 0x000007ff, 0x000007ff, 2047
        TEST_IMM_OP 97, andi, 0x00000000, 0x000007ff, -2048
        TEST_IMM_OP 98, andi, 0x00000555, 0x000007ff, 1365
        TEST_IMM_OP 99, andi, 0x000002aa, 0x000007ff, -1366
        TEST_IMM_OP 100, andi, 0x000007f0, 0x000007ff, 2032
        TEST_IMM_OP 101, andi, 0x000007f0, 0x000007ff, -16

        # Source equal to destination, x0 as source and destination.
        TEST_IMM_SRC1_EQ_DEST 102, andi, 0x12345228, 0x12345678, -1366
        TEST_IMM_ZEROSRC1 103, andi, 0x00000000, 2047
        TEST_IMM_ZEROSRC1 104, andi, 0x00000000, -1
        TEST_IMM_ZERODEST 105, andi, 0x12345678, -1366
        RVTEST_CODE_END
