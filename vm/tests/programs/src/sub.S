# sub: rd = rs1 - rs2, wrapping modulo 2^32
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, sub, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, sub, 0xffffffff, 0x00000000, 0x00000001
        TEST_RR_OP 4, sub, 0xfffffffe, 0x00000000, 0x00000002
        TEST_RR_OP 5, sub, 0x00000001, 0x00000000, 0xffffffff
        TEST_RR_OP 6, sub, 0x00000002, 0x00000000, 0xfffffffe
        TEST_RR_OP 7, sub, 0x80000001, 0x00000000, 0x7fffffff
        TEST_RR_OP 8, sub, 0x80000000, 0x00000000, 0x80000000
        TEST_RR_OP 9, sub, 0x7fffffff, 0x00000000, 0x80000001
        TEST_RR_OP 10, sub, 0xedcba988, 0x00000000, 0x12345678
        TEST_RR_OP 11, sub, 0x01234568, 0x00000000, 0xfedcba98
        TEST_RR_OP 12, sub, 0x00000001, 0x00000001, 0x00000000
        TEST_RR_OP 13, sub, 0x00000000, 0x00000001, 0x00000001
        TEST_RR_OP 14, sub, 0xffffffff, 0x00000001, 0x00000002
        TEST_RR_OP 15, sub, 0x00000002, 0x00000001, 0xffffffff
        TEST_RR_OP 16, sub, 0x00000003, 0x00000001, 0xfffffffe
        TEST_RR_OP 17, sub, 0x80000002, 0x00000001, 0x7fffffff
        TEST_RR_OP 18, sub, 0x80000001, 0x00000001, 0x80000000
        TEST_RR_OP 19, sub, 0x80000000, 0x00000001, 0x80000001
        TEST_RR_OP 20, sub, 0xedcba989, 0x00000001, 0x12345678
        TEST_RR_OP 21, sub, 0x01234569, 0x00000001, 0xfedcba98
        TEST_RR_OP 22, sub, 0x00000002, 0x00000002, 0x00000000
        TEST_RR_OP 23, sub, 0x00000001, 0x00000002, 0x00000001
        TEST_RR_OP 24, sub, 0x00000000, 0x00000002, 0x00000002
        TEST_RR_OP 25, sub, 0x00000003, 0x00000002, 0xffffffff
        TEST_RR_OP 26, sub, 0x00000004, 0x00000002, 0xfffffffe
        TEST_RR_OP 27, sub, 0x80000003, 0x00000002, 0x7fffffff
        TEST_RR_OP 28, sub, 0x80000002, 0x00000002, 0x80000000
        TEST_RR_OP 29, sub, 0x80000001, 0x00000002, 0x80000001
        TEST_RR_OP 30, sub, 0xedcba98a, 0x00000002, 0x12345678
        TEST_RR_OP 31, sub, 0x0123456a, 0x00000002, 0xfedcba98
        TEST_RR_OP 32, sub, 0xffffffff, 0xffffffff, 0x00000000
        TEST_RR_OP 33, sub, 0xfffffffe, 0xffffffff, 0x00000001
        TEST_RR_OP 34, sub, 0xfffffffd, 0xffffffff, 0x00000002
        TEST_RR_OP 35, sub, 0x00000000, 0xffffffff, 0xffffffff
        TEST_RR_OP 36, sub, 0x00000001, 0xffffffff, 0xfffffffe
        TEST_RR_OP 37, sub, 0x80000000, 0xffffffff, 0x7fffffff
        TEST_RR_OP 38, sub, 0x7fffffff, 0xffffffff, 0x80000000
        TEST_RR_OP 39, sub, 0x7ffffffe, 0xffffffff, 0x80000001
        TEST_RR_OP 40, sub, 0xedcba987, 0xffffffff, 0x12345678
        TEST_RR_OP 41, sub, 0x01234567, 0xffffffff, 0xfedcba98
        TEST_RR_OP 42, sub, 0xfffffffe, 0xfffffffe, 0x00000000
        TEST_RR_OP 43, sub, 0xfffffffd, 0xfffffffe, 0x00000001
        TEST_RR_OP 44, sub, 0xfffffffc, 0xfffffffe, 0x00000002
        TEST_RR_OP 45, sub, 0xffffffff, 0xfffffffe, 0xffffffff
        TEST_RR_OP 46, sub, 0x00000000, 0xfffffffe, 0xfffffffe
        TEST_RR_OP 47, sub, 0x7fffffff, 0xfffffffe, 0x7fffffff
        TEST_RR_OP 48, sub, 0x7ffffffe, 0xfffffffe, 0x80000000
        TEST_RR_OP 49, sub, 0x7ffffffd, 0xfffffffe, 0x80000001
        TEST_RR_OP 50, sub, 0xedcba986, 0xfffffffe, 0x12345678
        TEST_RR_OP 51, sub, 0x01234566, 0xfffffffe, 0xfedcba98
        TEST_RR_OP 52, sub, 0x7fffffff, 0x7fffffff, 0x00000000
        TEST_RR_OP 53, sub, 0x7ffffffe, 0x7fffffff, 0x00000001
        TEST_RR_OP 54, sub, 0x7ffffffd, 0x7fffffff, 0x00000002
        TEST_RR_OP 55, sub, 0x80000000, 0x7fffffff, 0xffffffff
        TEST_RR_OP 56, sub, 0x80000001, 0x7fffffff, 0xfffffffe
        TEST_RR_OP 57, sub, 0x00000000, 0x7fffffff, 0x7fffffff
        TEST_RR_OP 58, sub, 0xffffffff, 0x7fffffff, 0x80000000
        TEST_RR_OP 59, sub, 0xfffffffe, 0x7fffffff, 0x80000001
        TEST_RR_OP 60, sub, 0x6dcba987, 0x7fffffff, 0x12345678
        TEST_RR_OP 61, sub, 0x81234567, 0x7fffffff, 0xfedcba98
        TEST_RR_OP 62, sub, 0x80000000, 0x80000000, 0x00000000
        TEST_RR_OP 63, sub, 0x7fffffff, 0x80000000, 0x00000001
        TEST_RR_OP 64, sub, 0x7ffffffe, 0x80000000, 0x00000002
        TEST_RR_OP 65, sub, 0x80000001, 0x80000000, 0xffffffff
        TEST_RR_OP 66, sub, 0x80000002, 0x80000000, 0xfffffffe
        TEST_RR_OP 67, sub, 0x00000001, 0x80000000, 0x7fffffff
        TEST_RR_OP 68, sub, 0x00000000, 0x80000000, 0x80000000
        TEST_RR_OP 69, sub, 0xffffffff, 0x80000000, 0x80000001
        TEST_RR_OP 70, sub, 0x6dcba988, 0x80000000, 0x12345678
        TEST_RR_OP 71, sub, 0x81234568, 0x80000000, 0xfedcba98
        TEST_RR_OP 72, sub, 0x80000001, 0x80000001, 0x00000000
        TEST_RR_OP 73, sub, 0x80000000, 0x80000001, 0x00000001
        TEST_RR_OP 74, sub, 0x7fffffff, 0x80000001, 0x00000002
        TEST_RR_OP 75, sub, 0x80000002, 0x80000001, 0xffffffff
        TEST_RR_OP 76, sub, 0x80000003, 0x80000001, 0xfffffffe
        TEST_RR_OP 77, sub, 0x00000002, 0x80000001, 0x7fffffff
        TEST_RR_OP 78, sub, 0x00000001, 0x80000001, 0x80000000
        TEST_RR_OP 79, sub, 0x00000000, 0x80000001, 0x80000001
        TEST_RR_OP 80, sub, 0x6dcba989, 0x80000001, 0x12345678
        TEST_RR_OP 81, sub, 0x81234569, 0x80000001, 0xfedcba98
        TEST_RR_OP 82, sub, 0x12345678, 0x12345678, 0x00000000
        TEST_RR_OP 83, sub, 0x12345677, 0x12345678, 0x00000001
        TEST_RR_OP 84, sub, 0x12345676, 0x12345678, 0x00000002
        TEST_RR_OP 85, sub, 0x12345679, 0x12345678, 0xffffffff
        TEST_RR_OP 86, sub, 0x1234567a, 0x12345678, 0xfffffffe
        TEST_RR_OP 87, sub, 0x92345679, 0x12345678, 0x7fffffff
        TEST_RR_OP 88, sub, 0x92345678, 0x12345678, 0x80000000
        TEST_RR_OP 89, sub, 0x92345677, 0x12345678, 0x80000001
        TEST_RR_OP 90, sub, 0x00000000, 0x12345678, 0x12345678
        TEST_RR_OP 91, sub, 0x13579be0, 0x12345678, 0xfedcba98
        TEST_RR_OP 92, sub, 0xfedcba98, 0xfedcba98, 0x00000000
        TEST_RR_OP 93, sub, 0xfedcba97, 0xfedcba98, 0x00000001
        TEST_RR_OP 94, sub, 0xfedcba96, 0xfedcba98, 0x00000002
        TEST_RR_OP 95, sub, 0xfedcba99, 0xfedcba98, 0xffffffff
        TEST_RR_OP 96, sub, 0xfedcba9a, 0xfedcba98, 0xfffffffe
        TEST_RR_OP 97, sub, 0x7edcba99, 0xfedcba98, 0x7fffffff
        TEST_RR_OP 98, sub, 0x7edcba98, 0xfedcba98, 0x80000000
        TEST_RR_OP 99, sub, 0x7edcba97, 0xfedcba98, 0x80000001
        TEST_RR_OP 100, sub, 0xeca86420, 0xfedcba98, 0x12345678
        TEST_RR_OP 101, sub, 0x00000000, 0xfedcba98, 0xfedcba98

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 102, sub, 0x1234566b, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 103, sub, 0x1234566b, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 104, sub, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC1 105, sub, 0xedcba988, 0x12345678
        TEST_RR_ZEROSRC2 106, sub, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC12 107, sub, 0x00000000
        TEST_RR_ZERODEST 108, sub, 0x12345678, 0x0000000d
        RVTEST_CODE_END
