# sltiu: rd = (unsigned rs1 < unsigned sext(imm12)); imm -1 compares with 0xffffffff
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values and immediates (12-bit immediates are sign-extended).
        TEST_IMM_OP 2, sltiu, 0x00000000, 0x00000000, 0
        TEST_IMM_OP 3, sltiu, 0x00000001, 0x00000000, 1
        TEST_IMM_OP 4, sltiu, 0x00000001, 0x00000000, -1
        TEST_IMM_OP 5, sltiu, 0x00000001, 0x00000000, 2
        TEST_IMM_OP 6, sltiu, 0x00000001, 0x00000000, 2047
        TEST_IMM_OP 7, sltiu, 0x00000001, 0x00000000, -2048
        TEST_IMM_OP 8, sltiu, 0x00000001, 0x00000000, 1365
        TEST_IMM_OP 9, sltiu, 0x00000001, 0x00000000, -1366
        TEST_IMM_OP 10, sltiu, 0x00000001, 0x00000000, 2032
        TEST_IMM_OP 11, sltiu, 0x00000001, 0x00000000, -16
        TEST_IMM_OP 12, sltiu, 0x00000000, 0x00000001, 0
        TEST_IMM_OP 13, sltiu, 0x00000000, 0x00000001, 1
        TEST_IMM_OP 14, sltiu, 0x00000001, 0x00000001, -1
        TEST_IMM_OP 15, sltiu, 0x00000001, 0x00000001, 2
        TEST_IMM_OP 16, sltiu, 0x00000001, 0x00000001, 2047
        TEST_IMM_OP 17, sltiu, 0x00000001, 0x00000001, -2048
        TEST_IMM_OP 18, sltiu, 0x00000001, 0x00000001, 1365
        TEST_IMM_OP 19, sltiu, 0x00000001, 0x00000001, -1366
        TEST_IMM_OP 20, sltiu, 0x00000001, 0x00000001, 2032
        TEST_IMM_OP 21, sltiu, 0x00000001, 0x00000001, -16
        TEST_IMM_OP 22, sltiu, 0x00000000, 0xffffffff, 0
        TEST_IMM_OP 23, sltiu, 0x00000000, 0xffffffff, 1
        TEST_IMM_OP 24, sltiu, 0x00000000, 0xffffffff, -1
        TEST_IMM_OP 25, sltiu, 0x00000000, 0xffffffff, 2
        TEST_IMM_OP 26, sltiu, 0x00000000, 0xffffffff, 2047
        TEST_IMM_OP 27, sltiu, 0x00000000, 0xffffffff, -2048
        TEST_IMM_OP 28, sltiu, 0x00000000, 0xffffffff, 1365
        TEST_IMM_OP 29, sltiu, 0x00000000, 0xffffffff, -1366
        TEST_IMM_OP 30, sltiu, 0x00000000, 0xffffffff, 2032
        TEST_IMM_OP 31, sltiu, 0x00000000, 0xffffffff, -16
        TEST_IMM_OP 32, sltiu, 0x00000000, 0x7fffffff, 0
        TEST_IMM_OP 33, sltiu, 0x00000000, 0x7fffffff, 1
        TEST_IMM_OP 34, sltiu, 0x00000001, 0x7fffffff, -1
        TEST_IMM_OP 35, sltiu, 0x00000000, 0x7fffffff, 2
        TEST_IMM_OP 36, sltiu, 0x00000000, 0x7fffffff, 2047
        TEST_IMM_OP 37, sltiu, 0x00000001, 0x7fffffff, -2048
        TEST_IMM_OP 38, sltiu, 0x00000000, 0x7fffffff, 1365
        TEST_IMM_OP 39, sltiu, 0x00000001, 0x7fffffff, -1366
        TEST_IMM_OP 40, sltiu, 0x00000000, 0x7fffffff, 2032
        TEST_IMM_OP 41, sltiu, 0x00000001, 0x7fffffff, -16
        TEST_IMM_OP 42, sltiu, 0x00000000, 0x80000000, 0
        TEST_IMM_OP 43, sltiu, 0x00000000, 0x80000000, 1
        TEST_IMM_OP 44, sltiu, 0x00000001, 0x80000000, -1
        TEST_IMM_OP 45, sltiu, 0x00000000, 0x80000000, 2
        TEST_IMM_OP 46, sltiu, 0x00000000, 0x80000000, 2047
        TEST_IMM_OP 47, sltiu, 0x00000001, 0x80000000, -2048
        TEST_IMM_OP 48, sltiu, 0x00000000, 0x80000000, 1365
        TEST_IMM_OP 49, sltiu, 0x00000001, 0x80000000, -1366
        TEST_IMM_OP 50, sltiu, 0x00000000, 0x80000000, 2032
        TEST_IMM_OP 51, sltiu, 0x00000001, 0x80000000, -16
        TEST_IMM_OP 52, sltiu, 0x00000000, 0x7ffff800, 0
        TEST_IMM_OP 53, sltiu, 0x00000000, 0x7ffff800, 1
        TEST_IMM_OP 54, sltiu, 0x00000001, 0x7ffff800, -1
        TEST_IMM_OP 55, sltiu, 0x00000000, 0x7ffff800, 2
        TEST_IMM_OP 56, sltiu, 0x00000000, 0x7ffff800, 2047
        TEST_IMM_OP 57, sltiu, 0x00000001, 0x7ffff800, -2048
        TEST_IMM_OP 58, sltiu, 0x00000000, 0x7ffff800, 1365
        TEST_IMM_OP 59, sltiu, 0x00000001, 0x7ffff800, -1366
        TEST_IMM_OP 60, sltiu, 0x00000000, 0x7ffff800, 2032
        TEST_IMM_OP 61, sltiu, 0x00000001, 0x7ffff800, -16
        TEST_IMM_OP 62, sltiu, 0x00000000, 0x800007ff, 0
        TEST_IMM_OP 63, sltiu, 0x00000000, 0x800007ff, 1
        TEST_IMM_OP 64, sltiu, 0x00000001, 0x800007ff, -1
        TEST_IMM_OP 65, sltiu, 0x00000000, 0x800007ff, 2
        TEST_IMM_OP 66, sltiu, 0x00000000, 0x800007ff, 2047
        TEST_IMM_OP 67, sltiu, 0x00000001, 0x800007ff, -2048
        TEST_IMM_OP 68, sltiu, 0x00000000, 0x800007ff, 1365
        TEST_IMM_OP 69, sltiu, 0x00000001, 0x800007ff, -1366
        TEST_IMM_OP 70, sltiu, 0x00000000, 0x800007ff, 2032
        TEST_IMM_OP 71, sltiu, 0x00000001, 0x800007ff, -16
        TEST_IMM_OP 72, sltiu, 0x00000000, 0x12345678, 0
        TEST_IMM_OP 73, sltiu, 0x00000000, 0x12345678, 1
        TEST_IMM_OP 74, sltiu, 0x00000001, 0x12345678, -1
        TEST_IMM_OP 75, sltiu, 0x00000000, 0x12345678, 2
        TEST_IMM_OP 76, sltiu, 0x00000000, 0x12345678, 2047
        TEST_IMM_OP 77, sltiu, 0x00000001, 0x12345678, -2048
        TEST_IMM_OP 78, sltiu, 0x00000000, 0x12345678, 1365
        TEST_IMM_OP 79, sltiu, 0x00000001, 0x12345678, -1366
        TEST_IMM_OP 80, sltiu, 0x00000000, 0x12345678, 2032
        TEST_IMM_OP 81, sltiu, 0x00000001, 0x12345678, -16
        TEST_IMM_OP 82, sltiu, 0x00000000, 0xfffff800, 0
        TEST_IMM_OP 83, sltiu, 0x00000000, 0xfffff800, 1
        TEST_IMM_OP 84, sltiu, 0x00000001, 0xfffff800, -1
        TEST_IMM_OP 85, sltiu, 0x00000000, 0xfffff800, 2
        TEST_IMM_OP 86, sltiu, 0x00000000, 0xfffff800, 2047
        TEST_IMM_OP 87, sltiu, 0x00000000, 0xfffff800, -2048
        TEST_IMM_OP 88, sltiu, 0x00000000, 0xfffff800, 1365
        TEST_IMM_OP 89, sltiu, 0x00000001, 0xfffff800, -1366
        TEST_IMM_OP 90, sltiu, 0x00000000, 0xfffff800, 2032
        TEST_IMM_OP 91, sltiu, 0x00000001, 0xfffff800, -16
        TEST_IMM_OP 92, sltiu, 0x00000000, 0x000007ff, 0
        TEST_IMM_OP 93, sltiu, 0x00000000, 0x000007ff, 1
        TEST_IMM_OP 94, sltiu, 0x00000001, 0x000007ff, -1
        TEST_IMM_OP 95, sltiu, 0x00000000, 0x000007ff, 2
        TEST_IMM_OP 96, sltiu, 0x00000000, 0x000007ff, 2047
        TEST_IMM_OP 97, sltiu, 0x00000001, 0x000007ff, -2048
        TEST_IMM_OP 98, sltiu, 0x00000000, 0x000007ff, 1365
        TEST_IMM_OP 99, sltiu, 0x00000001, 0x000007ff, -1366
        TEST_IMM_OP 100, sltiu, 0x00000000, 0x000007ff, 2032
        TEST_IMM_OP 101, sltiu, 0x00000001, 0x000007ff, -16

        # Source equal to destination, x0 as source and destination.
        TEST_IMM_SRC1_EQ_DEST 102, sltiu, 0x00000001, 0x12345678, -1366
        TEST_IMM_ZEROSRC1 103, sltiu, 0x00000001, 2047
        TEST_IMM_ZEROSRC1 104, sltiu, 0x00000001, -1
        TEST_IMM_ZERODEST 105, sltiu, 0x12345678, -1366
        RVTEST_CODE_END
