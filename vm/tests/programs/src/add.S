# add: rd = rs1 + rs2, wrapping modulo 2^32
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, add, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, add, 0x00000001, 0x00000000, 0x00000001
        TEST_RR_OP 4, add, 0x00000002, 0x00000000, 0x00000002
        TEST_RR_OP 5, add, 0xffffffff, 0x00000000, 0xffffffff
        TEST_RR_OP 6, add, 0xfffffffe, 0x00000000, 0xfffffffe
        TEST_RR_OP 7, add, 0x7fffffff, 0x00000000, 0x7fffffff
        TEST_RR_OP 8, add, 0x80000000, 0x00000000, 0x80000000
        TEST_RR_OP 9, add, 0x80000001, 0x00000000, 0x80000001
        TEST_RR_OP 10, add, 0x12345678, 0x00000000, 0x12345678
        TEST_RR_OP 11, add, 0xfedcba98, 0x00000000, 0xfedcba98
        TEST_RR_OP 12, add, 0x00000001, 0x00000001, 0x00000000
        TEST_RR_OP 13, add, 0x00000002, 0x00000001, 0x00000001
        TEST_RR_OP 14, add, 0x00000003, 0x00000001, 0x00000002
        TEST_RR_OP 15, add, 0x00000000, 0x00000001, 0xffffffff
        TEST_RR_OP 16, add, 0xffffffff, 0x00000001, 0xfffffffe
        TEST_RR_OP 17, add, 0x80000000, 0x00000001, 0x7fffffff
        TEST_RR_OP 18, add, 0x80000001, 0x00000001, 0x80000000
        TEST_RR_OP 19, add, 0x80000002, 0x00000001, 0x80000001
        TEST_RR_OP 20, add, 0x12345679, 0x00000001, 0x12345678
        TEST_RR_OP 21, add, 0xfedcba99, 0x00000001, 0xfedcba98
        TEST_RR_OP 22, add, 0x00000002, 0x00000002, 0x00000000
        TEST_RR_OP 23, add, 0x00000003, 0x00000002, 0x00000001
        TEST_RR_OP 24, add, 0x00000004, 0x00000002, 0x00000002
        TEST_RR_OP 25, add, 0x00000001, 0x00000002, 0xffffffff
        TEST_RR_OP 26, add, 0x00000000, 0x00000002, 0xfffffffe
        TEST_RR_OP 27, add, 0x80000001, 0x00000002, 0x7fffffff
        TEST_RR_OP 28, add, 0x80000002, 0x00000002, 0x80000000
        TEST_RR_OP 29, add, 0x80000003, 0x00000002, 0x80000001
        TEST_RR_OP 30, add, 0x1234567a, 0x00000002, 0x12345678
        TEST_RR_OP 31, add, 0xfedcba9a, 0x00000002, 0xfedcba98
        TEST_RR_OP 32, add, 0xffffffff, 0xffffffff, 0x00000000
        TEST_RR_OP 33, add, 0x00000000, 0xffffffff, 0x00000001
        TEST_RR_OP 34, add, 0x00000001, 0xffffffff, 0x00000002
        TEST_RR_OP 35, add, 0xfffffffe, 0xffffffff, 0xffffffff
        TEST_RR_OP 36, add, 0xfffffffd, 0xffffffff, 0xfffffffe
        TEST_RR_OP 37, add, 0x7ffffffe, 0xffffffff, 0x7fffffff
        TEST_RR_OP 38, add, 0x7fffffff, 0xffffffff, 0x80000000
        TEST_RR_OP 39, add, 0x80000000, 0xffffffff, 0x80000001
        TEST_RR_OP 40, add, 0x12345677, 0xffffffff, 0x12345678
        TEST_RR_OP 41, add, 0xfedcba97, 0xffffffff, 0xfedcba98
        TEST_RR_OP 42, add, 0xfffffffe, 0xfffffffe, 0x00000000
        TEST_RR_OP 43, add, 0xffffffff, 0xfffffffe, 0x00000001
        TEST_RR_OP 44, add, 0x00000000, 0xfffffffe, 0x00000002
        TEST_RR_OP 45, add, 0xfffffffd, 0xfffffffe, 0xffffffff
        TEST_RR_OP 46, add, 0xfffffffc, 0xfffffffe, 0xfffffffe
        TEST_RR_OP 47, add, 0x7ffffffd, 0xfffffffe, 0x7fffffff
        TEST_RR_OP 48, add, 0x7ffffffe, 0xfffffffe, 0x80000000
        TEST_RR_OP 49, add, 0x7fffffff, 0xfffffffe, 0x80000001
        TEST_RR_OP 50, add, 0x12345676, 0xfffffffe, 0x12345678
        TEST_RR_OP 51, add, 0xfedcba96, 0xfffffffe, 0xfedcba98
        TEST_RR_OP 52, add, 0x7fffffff, 0x7fffffff, 0x00000000
        TEST_RR_OP 53, add, 0x80000000, 0x7fffffff, 0x00000001
        TEST_RR_OP 54, add, 0x80000001, 0x7fffffff, 0x00000002
        TEST_RR_OP 55, add, 0x7ffffffe, 0x7fffffff, 0xffffffff
        TEST_RR_OP 56, add, 0x7ffffffd, 0x7fffffff, 0xfffffffe
        TEST_RR_OP 57, add, 0xfffffffe, 0x7fffffff, 0x7fffffff
        TEST_RR_OP 58, add, 0xffffffff, 0x7fffffff, 0x80000000
        TEST_RR_OP 59, add, 0x00000000, 0x7fffffff, 0x80000001
        TEST_RR_OP 60, add, 0x92345677, 0x7fffffff, 0x12345678
        TEST_RR_OP 61, add, 0x7edcba97, 0x7fffffff, 0xfedcba98
        TEST_RR_OP 62, add, 0x80000000, 0x80000000, 0x00000000
        TEST_RR_OP 63, add, 0x80000001, 0x80000000, 0x00000001
        TEST_RR_OP 64, add, 0x80000002, 0x80000000, 0x00000002
        TEST_RR_OP 65, add, 0x7fffffff, 0x80000000, 0xffffffff
        TEST_RR_OP 66, add, 0x7ffffffe, 0x80000000, 0xfffffffe
        TEST_RR_OP 67, add, 0xffffffff, 0x80000000, 0x7fffffff
        TEST_RR_OP 68, add, 0x00000000, 0x80000000, 0x80000000
        TEST_RR_OP 69, add, 0x00000001, 0x80000000, 0x80000001
        TEST_RR_OP 70, add, 0x92345678, 0x80000000, 0x12345678
        TEST_RR_OP 71, add, 0x7edcba98, 0x80000000, 0xfedcba98
        TEST_RR_OP 72, add, 0x80000001, 0x80000001, 0x00000000
        TEST_RR_OP 73, add, 0x80000002, 0x80000001, 0x00000001
        TEST_RR_OP 74, add, 0x80000003, 0x80000001, 0x00000002
        TEST_RR_OP 75, add, 0x80000000, 0x80000001, 0xffffffff
        TEST_RR_OP 76, add, 0x7fffffff, 0x80000001, 0xfffffffe
        TEST_RR_OP 77, add, 0x00000000, 0x80000001, 0x7fffffff
        TEST_RR_OP 78, add, 0x00000001, 0x80000001, 0x80000000
        TEST_RR_OP 79, add, 0x00000002, 0x80000001, 0x80000001
        TEST_RR_OP 80, add, 0x92345679, 0x80000001, 0x12345678
        TEST_RR_OP 81, add, 0x7edcba99, 0x80000001, 0xfedcba98
        TEST_RR_OP 82, add, 0x12345678, 0x12345678, 0x00000000
        TEST_RR_OP 83, add, 0x12345679, 0x12345678, 0x00000001
        TEST_RR_OP 84, add, 0x1234567a, 0x12345678, 0x00000002
        TEST_RR_OP 85, add, 0x12345677, 0x12345678, 0xffffffff
        TEST_RR_OP 86, add, 0x12345676, 0x12345678, 0xfffffffe
        TEST_RR_OP 87, add, 0x92345677, 0x12345678, 0x7fffffff
        TEST_RR_OP 88, add, 0x92345678, 0x12345678, 0x80000000
        TEST_RR_OP 89, add, 0x92345679, 0x12345678, 0x80000001
        TEST_RR_OP 90, add, 0x2468acf0, 0x12345678, 0x12345678
        TEST_RR_OP 91, add, 0x11111110, 0x12345678, 0xfedcba98
        TEST_RR_OP 92, add, 0xfedcba98, 0xfedcba98, 0x00000000
        TEST_RR_OP 93, add, 0xfedcba99, 0xfedcba98, 0x00000001
        TEST_RR_OP 94, add, 0xfedcba9a, 0xfedcba98, 0x00000002
        TEST_RR_OP 95, add, 0xfedcba97, 0xfedcba98, 0xffffffff
        TEST_RR_OP 96, add, 0xfedcba96, 0xfedcba98, 0xfffffffe
        TEST_RR_OP 97, add, 0x7edcba97, 0xfedcba98, 0x7fffffff
        TEST_RR_OP 98, add, 0x7edcba98, 0xfedcba98, 0x80000000
        TEST_RR_OP 99, add, 0x7edcba99, 0xfedcba98, 0x80000001
        TEST_RR_OP 100, add, 0x11111110, 0xfedcba98, 0x12345678
        TEST_RR_OP 101, add, 0xfdb97530, 0xfedcba98, 0xfedcba98

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 102, add, 0x12345685, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 103, add, 0x12345685, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 104, add, 0x2468acf0, 0x12345678
        TEST_RR_ZEROSRC1 105, add, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC2 106, add, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC12 107, add, 0x00000000
        TEST_RR_ZERODEST 108, add, 0x12345678, 0x0000000d
        RVTEST_CODE_END
