# or: rd = rs1 | rs2
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, or, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, or, 0x00000001, 0x00000000, 0x00000001
        TEST_RR_OP 4, or, 0x00000002, 0x00000000, 0x00000002
        TEST_RR_OP 5, or, 0xffffffff, 0x00000000, 0xffffffff
        TEST_RR_OP 6, or, 0xfffffffe, 0x00000000, 0xfffffffe
        TEST_RR_OP 7, or, 0x7fffffff, 0x00000000, 0x7fffffff
        TEST_RR_OP 8, or, 0x80000000, 0x00000000, 0x80000000
        TEST_RR_OP 9, or, 0x80000001, 0x00000000, 0x80000001
        TEST_RR_OP 10, or, 0x12345678, 0x00000000, 0x12345678
        TEST_RR_OP 11, or, 0xfedcba98, 0x00000000, 0xfedcba98
        TEST_RR_OP 12, or, 0x00000001, 0x00000001, 0x00000000
        TEST_RR_OP 13, or, 0x00000001, 0x00000001, 0x00000001
        TEST_RR_OP 14, or, 0x00000003, 0x00000001, 0x00000002
        TEST_RR_OP 15, or, 0xffffffff, 0x00000001, 0xffffffff
        TEST_RR_OP 16, or, 0xffffffff, 0x00000001, 0xfffffffe
        TEST_RR_OP 17, or, 0x7fffffff, 0x00000001, 0x7fffffff
        TEST_RR_OP 18, or, 0x80000001, 0x00000001, 0x80000000
        TEST_RR_OP 19, or, 0x80000001, 0x00000001, 0x80000001
        TEST_RR_OP 20, or, 0x12345679, 0x00000001, 0x12345678
        TEST_RR_OP 21, or, 0xfedcba99, 0x00000001, 0xfedcba98
        TEST_RR_OP 22, or, 0x00000002, 0x00000002, 0x00000000
        TEST_RR_OP 23, or, 0x00000003, 0x00000002, 0x00000001
        TEST_RR_OP 24, or, 0x00000002, 0x00000002, 0x00000002
        TEST_RR_OP 25, or, 0xffffffff, 0x00000002, 0xffffffff
        TEST_RR_OP 26, or, 0xfffffffe, 0x00000002, 0xfffffffe
        TEST_RR_OP 27, or, 0x7fffffff, 0x00000002, 0x7fffffff
        TEST_RR_OP 28, or, 0x80000002, 0x00000002, 0x80000000
        TEST_RR_OP 29, or, 0x80000003, 0x00000002, 0x80000001
        TEST_RR_OP 30, or, 0x1234567a, 0x00000002, 0x12345678
        TEST_RR_OP 31, or, 0xfedcba9a, 0x00000002, 0xfedcba98
        TEST_RR_OP 32, or, 0xffffffff, 0xffffffff, 0x00000000
        TEST_RR_OP 33, or, 0xffffffff, 0xffffffff, 0x00000001
        TEST_RR_OP 34, or, 0xffffffff, 0xffffffff, 0x00000002
        TEST_RR_OP 35, or, 0xffffffff, 0xffffffff, 0xffffffff
        TEST_RR_OP 36, or, 0xffffffff, 0xffffffff, 0xfffffffe
        TEST_RR_OP 37, or, 0xffffffff, 0xffffffff, 0x7fffffff
        TEST_RR_OP 38, or, 0xffffffff, 0xffffffff, 0x80000000
        TEST_RR_OP 39, or, 0xffffffff, 0xffffffff, 0x80000001
        TEST_RR_OP 40, or, 0xffffffff, 0xffffffff, 0x12345678
        TEST_RR_OP 41, or, 0xffffffff, 0xffffffff, 0xfedcba98
        TEST_RR_OP 42, or, 0xfffffffe, 0xfffffffe, 0x00000000
        TEST_RR_OP 43, or, 0xffffffff, 0xfffffffe, 0x00000001
        TEST_RR_OP 44, or, 0xfffffffe, 0xfffffffe, 0x00000002
        TEST_RR_OP 45, or, 0xffffffff, 0xfffffffe, 0xffffffff
        TEST_RR_OP 46, or, 0xfffffffe, 0xfffffffe, 0xfffffffe
        TEST_RR_OP 47, or, 0xffffffff, 0xfffffffe, 0x7fffffff
        TEST_RR_OP 48, or, 0xfffffffe, 0xfffffffe, 0x80000000
        TEST_RR_OP 49, or, 0xffffffff, 0xfffffffe, 0x80000001
        TEST_RR_OP 50, or, 0xfffffffe, 0xfffffffe, 0x12345678
        TEST_RR_OP 51, or, 0xfffffffe, 0xfffffffe, 0xfedcba98
        TEST_RR_OP 52, or, 0x7fffffff, 0x7fffffff, 0x00000000
        TEST_RR_OP 53, or, 0x7fffffff, 0x7fffffff, 0x00000001
        TEST_RR_OP 54, or, 0x7fffffff, 0x7fffffff, 0x00000002
        TEST_RR_OP 55, or, 0xffffffff, 0x7fffffff, 0xffffffff
        TEST_RR_OP 56, or, 0xffffffff, 0x7fffffff, 0xfffffffe
        TEST_RR_OP 57, or, 0x7fffffff, 0x7fffffff, 0x7fffffff
        TEST_RR_OP 58, or, 0xffffffff, 0x7fffffff, 0x80000000
        TEST_RR_OP 59, or, 0xffffffff, 0x7fffffff, 0x80000001
        TEST_RR_OP 60, or, 0x7fffffff, 0x7fffffff, 0x12345678
        TEST_RR_OP 61, or, 0xffffffff, 0x7fffffff, 0xfedcba98
        TEST_RR_OP 62, or, 0x80000000, 0x80000000, 0x00000000
        TEST_RR_OP 63, or, 0x80000001, 0x80000000, 0x00000001
        TEST_RR_OP 64, or, 0x80000002, 0x80000000, 0x00000002
        TEST_RR_OP 65, or, 0xffffffff, 0x80000000, 0xffffffff
        TEST_RR_OP 66, or, 0xfffffffe, 0x80000000, 0xfffffffe
        TEST_RR_OP 67, or, 0xffffffff, 0x80000000, 0x7fffffff
        TEST_RR_OP 68, or, 0x80000000, 0x80000000, 0x80000000
        TEST_RR_OP 69, or, 0x80000001, 0x80000000, 0x80000001
        TEST_RR_OP 70, or, 0x92345678, 0x80000000, 0x12345678
        TEST_RR_OP 71, or, 0xfedcba98, 0x80000000, 0xfedcba98
        TEST_RR_OP 72, or, 0x80000001, 0x80000001, 0x00000000
        TEST_RR_OP 73, or, 0x80000001, 0x80000001, 0x00000001
        TEST_RR_OP 74, or, 0x80000003, 0x80000001, 0x00000002
        TEST_RR_OP 75, or, 0xffffffff, 0x80000001, 0xffffffff
        TEST_RR_OP 76, or, 0xffffffff, 0x80000001, 0xfffffffe
        TEST_RR_OP 77, or, 0xffffffff, 0x80000001, 0x7fffffff
        TEST_RR_OP 78, or, 0x80000001, 0x80000001, 0x80000000
        TEST_RR_OP 79, or, 0x80000001, 0x80000001, 0x80000001
        TEST_RR_OP 80, or, 0x92345679, 0x80000001, 0x12345678
        TEST_RR_OP 81, or, 0xfedcba99, 0x80000001, 0xfedcba98
        TEST_RR_OP 82, or, 0x12345678, 0x12345678, 0x00000000
        TEST_RR_OP 83, or, 0x12345679, 0x12345678, 0x00000001
        TEST_RR_OP 84, or, 0x1234567a, 0x12345678, 0x00000002
        TEST_RR_OP 85, or, 0xffffffff, 0x12345678, 0xffffffff
        TEST_RR_OP 86, or, 0xfffffffe, 0x12345678, 0xfffffffe
        TEST_RR_OP 87, or, 0x7fffffff, 0x12345678, 0x7fffffff
        TEST_RR_OP 88, or, 0x92345678, 0x12345678, 0x80000000
        TEST_RR_OP 89, or, 0x92345679, 0x12345678, 0x80000001
        TEST_RR_OP 90, or, 0x12345678, 0x12345678, 0x12345678
        TEST_RR_OP 91, or, 0xfefcfef8, 0x12345678, 0xfedcba98
        TEST_RR_OP 92, or, 0xfedcba98, 0xfedcba98, 0x00000000
        TEST_RR_OP 93, or, 0xfedcba99, 0xfedcba98, 0x00000001
        TEST_RR_OP 94, or, 0xfedcba9a, 0xfedcba98, 0x00000002
        TEST_RR_OP 95, or, 0xffffffff, 0xfedcba98, 0xffffffff
        TEST_RR_OP 96, or, 0xfffffffe, 0xfedcba98, 0xfffffffe
        TEST_RR_OP 97, or, 0xffffffff, 0xfedcba98, 0x7fffffff
        TEST_RR_OP 98, or, 0xfedcba98, 0xfedcba98, 0x80000000
        TEST_RR_OP 99, or, 0xfedcba99, 0xfedcba98, 0x80000001
        TEST_RR_OP 100, or, 0xfefcfef8, 0xfedcba98, 0x12345678
        TEST_RR_OP 101, or, 0xfedcba98, 0xfedcba98, 0xfedcba98

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 102, or, 0x1234567d, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 103, or, 0x1234567d, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 104, or, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC1 105, or, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC2 106, or, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC12 107, or, 0x00000000
        TEST_RR_ZERODEST 108, or, 0x12345678, 0x0000000d
        RVTEST_CODE_END
