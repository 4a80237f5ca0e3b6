# and: rd = rs1 & rs2
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, and, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, and, 0x00000000, 0x00000000, 0x00000001
        TEST_RR_OP 4, and, 0x00000000, 0x00000000, 0x00000002
        TEST_RR_OP 5, and, 0x00000000, 0x00000000, 0xffffffff
        TEST_RR_OP 6, and, 0x00000000, 0x00000000, 0xfffffffe
        TEST_RR_OP 7, and, 0x00000000, 0x00000000, 0x7fffffff
        TEST_RR_OP 8, and, 0x00000000, 0x00000000, 0x80000000
        TEST_RR_OP 9, and, 0x00000000, 0x00000000, 0x80000001
        TEST_RR_OP 10, and, 0x00000000, 0x00000000, 0x12345678
        TEST_RR_OP 11, and, 0x00000000, 0x00000000, 0xfedcba98
        TEST_RR_OP 12, and, 0x00000000, 0x00000001, 0x00000000
        TEST_RR_OP 13, and, 0x00000001, 0x00000001, 0x00000001
        TEST_RR_OP 14, and, 0x00000000, 0x00000001, 0x00000002
        TEST_RR_OP 15, and, 0x00000001, 0x00000001, 0xffffffff
        TEST_RR_OP 16, and, 0x00000000, 0x00000001, 0xfffffffe
        TEST_RR_OP 17, and, 0x00000001, 0x00000001, 0x7fffffff
        TEST_RR_OP 18, and, 0x00000000, 0x00000001, 0x80000000
        TEST_RR_OP 19, and, 0x00000001, 0x00000001, 0x80000001
        TEST_RR_OP 20, and, 0x00000000, 0x00000001, 0x12345678
        TEST_RR_OP 21, and, 0x00000000, 0x00000001, 0xfedcba98
        TEST_RR_OP 22, and, 0x00000000, 0x00000002, 0x00000000
        TEST_RR_OP 23, and, 0x00000000, 0x00000002, 0x00000001
        TEST_RR_OP 24, and, 0x00000002, 0x00000002, 0x00000002
        TEST_RR_OP 25, and, 0x00000002, 0x00000002, 0xffffffff
        TEST_RR_OP 26, and, 0x00000002, 0x00000002, 0xfffffffe
        TEST_RR_OP 27, and, 0x00000002, 0x00000002, 0x7fffffff
        TEST_RR_OP 28, and, 0x00000000, 0x00000002, 0x80000000
        TEST_RR_OP 29, and, 0x00000000, 0x00000002, 0x80000001
        TEST_RR_OP 30, and, 0x00000000, 0x00000002, 0x12345678
        TEST_RR_OP 31, and, 0x00000000, 0x00000002, 0xfedcba98
        TEST_RR_OP 32, and, 0x00000000, 0xffffffff, 0x00000000
        TEST_RR_OP 33, and, 0x00000001, 0xffffffff, 0x00000001
        TEST_RR_OP 34, and, 0x00000002, 0xffffffff, 0x00000002
        TEST_RR_OP 35, and, 0xffffffff, 0xffffffff, 0xffffffff
        TEST_RR_OP 36, and, 0xfffffffe, 0xffffffff, 0xfffffffe
        TEST_RR_OP 37, and, 0x7fffffff, 0xffffffff, 0x7fffffff
        TEST_RR_OP 38, and, 0x80000000, 0xffffffff, 0x80000000
        TEST_RR_OP 39, and, 0x80000001, 0xffffffff, 0x80000001
        TEST_RR_OP 40, and, 0x12345678, 0xffffffff, 0x12345678
        TEST_RR_OP 41, and, 0xfedcba98, 0xffffffff, 0xfedcba98
        TEST_RR_OP 42, and, 0x00000000, 0xfffffffe, 0x00000000
        TEST_RR_OP 43, and, 0x00000000, 0xfffffffe, 0x00000001
        TEST_RR_OP 44, and, 0x00000002, 0xfffffffe, 0x00000002
        TEST_RR_OP 45, and, 0xfffffffe, 0xfffffffe, 0xffffffff
        TEST_RR_OP 46, and, 0xfffffffe, 0xfffffffe, 0xfffffffe
        TEST_RR_OP 47, and, 0x7ffffffe, 0xfffffffe, 0x7fffffff
        TEST_RR_OP 48, and, 0x80000000, 0xfffffffe, 0x80000000
        TEST_RR_OP 49, and, 0x80000000, 0xfffffffe, 0x80000001
        TEST_RR_OP 50, and, 0x12345678, 0xfffffffe, 0x12345678
        TEST_RR_OP 51, and, 0xfedcba98, 0xfffffffe, 0xfedcba98
        TEST_RR_OP 52, and, 0x00000000, 0x7fffffff, 0x00000000
        TEST_RR_OP 53, and, 0x00000001, 0x7fffffff, 0x00000001
        TEST_RR_OP 54, and, 0x00000002, 0x7fffffff, 0x00000002
        TEST_RR_OP 55, and, 0x7fffffff, 0x7fffffff, 0xffffffff
        TEST_RR_OP 56, and, 0x7ffffffe, 0x7fffffff, 0xfffffffe
        TEST_RR_OP 57, and, 0x7fffffff, 0x7fffffff, 0x7fffffff
        TEST_RR_OP 58, and, 0x00000000, 0x7fffffff, 0x80000000
        TEST_RR_OP 59, and, 0x00000001, 0x7fffffff, 0x80000001
        TEST_RR_OP 60, and, 0x12345678, 0x7fffffff, 0x12345678
        TEST_RR_OP 61, and, 0x7edcba98, 0x7fffffff, 0xfedcba98
        TEST_RR_OP 62, and, 0x00000000, 0x80000000, 0x00000000
        TEST_RR_OP 63, and, 0x00000000, 0x80000000, 0x00000001
        TEST_RR_OP 64, and, 0x00000000, 0x80000000, 0x00000002
        TEST_RR_OP 65, and, 0x80000000, 0x80000000, 0xffffffff
        TEST_RR_OP 66, and, 0x80000000, 0x80000000, 0xfffffffe
        TEST_RR_OP 67, and, 0x00000000, 0x80000000, 0x7fffffff
        TEST_RR_OP 68, and, 0x80000000, 0x80000000, 0x80000000
        TEST_RR_OP 69, and, 0x80000000, 0x80000000, 0x80000001
        TEST_RR_OP 70, and, 0x00000000, 0x80000000, 0x12345678
        TEST_RR_OP 71, and, 0x80000000, 0x80000000, 0xfedcba98
        TEST_RR_OP 72, and, 0x00000000, 0x80000001, 0x00000000
        TEST_RR_OP 73, and, 0x00000001, 0x80000001, 0x00000001
        TEST_RR_OP 74, and, 0x00000000, 0x80000001, 0x00000002
        TEST_RR_OP 75, and, 0x80000001, 0x80000001, 0xffffffff
        TEST_RR_OP 76, and, 0x80000000, 0x80000001, 0xfffffffe
        TEST_RR_OP 77, and, 0x00000001, 0x80000001, 0x7fffffff
        TEST_RR_OP 78, and, 0x80000000, 0x80000001, 0x80000000
        TEST_RR_OP 79, and, 0x80000001, 0x80000001, 0x80000001
        TEST_RR_OP 80, and, 0x00000000, 0x80000001, 0x12345678
        TEST_RR_OP 81, and, 0x80000000, 0x80000001, 0xfedcba98
        TEST_RR_OP 82, and, 0x00000000, 0x12345678, 0x00000000
        TEST_RR_OP 83, and, 0x00000000, 0x12345678, 0x00000001
        TEST_RR_OP 84, and, 0x00000000, 0x12345678, 0x00000002
        TEST_RR_OP 85, and, 0x12345678, 0x12345678, 0xffffffff
        TEST_RR_OP 86, and, 0x12345678, 0x12345678, 0xfffffffe
        TEST_RR_OP 87, and, 0x12345678, 0x12345678, 0x7fffffff
        TEST_RR_OP 88, and, 0x00000000, 0x12345678, 0x80000000
        TEST_RR_OP 89, and, 0x00000000, 0x12345678, 0x80000001
        TEST_RR_OP 90, and, 0x12345678, 0x12345678, 0x12345678
        TEST_RR_OP 91, and, 0x12141218, 0x12345678, 0xfedcba98
        TEST_RR_OP 92, and, 0x00000000, 0xfedcba98, 0x00000000
        TEST_RR_OP 93, and, 0x00000000, 0xfedcba98, 0x00000001
        TEST_RR_OP 94, and, 0x00000000, 0xfedcba98, 0x00000002
        TEST_RR_OP 95, and, 0xfedcba98, 0xfedcba98, 0xffffffff
        TEST_RR_OP 96, and, 0xfedcba98, 0xfedcba98, 0xfffffffe
        TEST_RR_OP 97, and, 0x7edcba98, 0xfedcba98, 0x7fffffff
        TEST_RR_OP 98, and, 0x80000000, 0xfedcba98, 0x80000000
        TEST_RR_OP 99, and, 0x80000000, 0xfedcba98, 0x80000001
        TEST_RR_OP 100, and, 0x12141218, 0xfedcba98, 0x12345678
        TEST_RR_OP 101, and, 0xfedcba98, 0xfedcba98, 0xfedcba98

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 102, and, 0x00000008, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 103, and, 0x00000008, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 104, and, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC1 105, and, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC2 106, and, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC12 107, and, 0x00000000
        TEST_RR_ZERODEST 108, and, 0x12345678, 0x0000000d
        RVTEST_CODE_END
