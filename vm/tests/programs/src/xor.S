# xor: rd = rs1 ^ rs2
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, xor, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, xor, 0x00000001, 0x00000000, 0x00000001
        TEST_RR_OP 4, xor, 0x00000002, 0x00000000, 0x00000002
        TEST_RR_OP 5, xor, 0xffffffff, 0x00000000, 0xffffffff
        TEST_RR_OP 6, xor, 0xfffffffe, 0x00000000, 0xfffffffe
        TEST_RR_OP 7, xor, 0x7fffffff, 0x00000000, 0x7fffffff
        TEST_RR_OP 8, xor, 0x80000000, 0x00000000, 0x80000000
        TEST_RR_OP 9, xor, 0x80000001, 0x00000000, 0x80000001
        TEST_RR_OP 10, xor, 0x12345678, 0x00000000, 0x12345678
        TEST_RR_OP 11, xor, 0xfedcba98, 0x00000000, 0xfedcba98
        TEST_RR_OP 12, xor, 0x00000001, 0x00000001, 0x00000000
        TEST_RR_OP 13, xor, 0x00000000, 0x00000001, 0x00000001
        TEST_RR_OP 14, xor, 0x00000003, 0x00000001, 0x00000002
        TEST_RR_OP 15, xor, 0xfffffffe, 0x00000001, 0xffffffff
        TEST_RR_OP 16, xor, 0xffffffff, 0x00000001, 0xfffffffe
        TEST_RR_OP 17, xor, 0x7ffffffe, 0x00000001, 0x7fffffff
        TEST_RR_OP 18, xor, 0x80000001, 0x00000001, 0x80000000
        TEST_RR_OP 19, xor, 0x80000000, 0x00000001, 0x80000001
        TEST_RR_OP 20, xor, 0x12345679, 0x00000001, 0x12345678
        TEST_RR_OP 21, xor, 0xfedcba99, 0x00000001, 0xfedcba98
        TEST_RR_OP 22, xor, 0x00000002, 0x00000002, 0x00000000
        TEST_RR_OP 23, xor, 0x00000003, 0x00000002, 0x00000001
        TEST_RR_OP 24, xor, 0x00000000, 0x00000002, 0x00000002
        TEST_RR_OP 25, xor, 0xfffffffd, 0x00000002, 0xffffffff
        TEST_RR_OP 26, xor, 0xfffffffc, 0x00000002, 0xfffffffe
        TEST_RR_OP 27, xor, 0x7ffffffd, 0x00000002, 0x7fffffff
        TEST_RR_OP 28, xor, 0x80000002, 0x00000002, 0x80000000
        TEST_RR_OP 29, xor, 0x80000003, 0x00000002, 0x80000001
        TEST_RR_OP 30, xor, 0x1234567a, 0x00000002, 0x12345678
        TEST_RR_OP 31, xor, 0xfedcba9a, 0x00000002, 0xfedcba98
        TEST_RR_OP 32, xor, 0xffffffff, 0xffffffff, 0x00000000
        TEST_RR_OP 33, xor, 0xfffffffe, 0xffffffff, 0x00000001
        TEST_RR_OP 34, xor, 0xfffffffd, 0xffffffff, 0x00000002
        TEST_RR_OP 35, xor, 0x00000000, 0xffffffff, 0xffffffff
        TEST_RR_OP 36, xor, 0x00000001, 0xffffffff, 0xfffffffe
        TEST_RR_OP 37, xor, 0x80000000, 0xffffffff, 0x7fffffff
        TEST_RR_OP 38, xor, 0x7fffffff, 0xffffffff, 0x80000000
        TEST_RR_OP 39, xor, 0x7ffffffe, 0xffffffff, 0x80000001
        TEST_RR_OP 40, xor, 0xedcba987, 0xffffffff, 0x12345678
        TEST_RR_OP 41, xor, 0x01234567, 0xffffffff, 0xfedcba98
        TEST_RR_OP 42, xor, 0xfffffffe, 0xfffffffe, 0x00000000
        TEST_RR_OP 43, xor, 0xffffffff, 0xfffffffe, 0x00000001
        TEST_RR_OP 44, xor, 0xfffffffc, 0xfffffffe, 0x00000002
        TEST_RR_OP 45, xor, 0x00000001, 0xfffffffe, 0xffffffff
        TEST_RR_OP 46, xor, 0x00000000, 0xfffffffe, 0xfffffffe
        TEST_RR_OP 47, xor, 0x80000001, 0xfffffffe, 0x7fffffff
        TEST_RR_OP 48, xor, 0x7ffffffe, 0xfffffffe, 0x80000000
        TEST_RR_OP 49, xor, 0x7fffffff, 0xfffffffe, 0x80000001
        TEST_RR_OP 50, xor, 0xedcba986, 0xfffffffe, 0x12345678
        TEST_RR_OP 51, xor, 0x01234566, 0xfffffffe, 0xfedcba98
        TEST_RR_OP 52, xor, 0x7fffffff, 0x7fffffff, 0x00000000
        TEST_RR_OP 53, xor, 0x7ffffffe, 0x7fffffff, 0x00000001
        TEST_RR_OP 54, xor, 0x7ffffffd, 0x7fffffff, 0x00000002
        TEST_RR_OP 55, xor, 0x80000000, 0x7fffffff, 0xffffffff
        TEST_RR_OP 56, xor, 0x80000001, 0x7fffffff, 0xfffffffe
        TEST_RR_OP 57, xor, 0x00000000, 0x7fffffff, 0x7fffffff
        TEST_RR_OP 58, xor, 0xffffffff, 0x7fffffff, 0x80000000
        TEST_RR_OP 59, xor, 0xfffffffe, 0x7fffffff, 0x80000001
        TEST_RR_OP 60, xor, 0x6dcba987, 0x7fffffff, 0x12345678
        TEST_RR_OP 61, xor, 0x81234567, 0x7fffffff, 0xfedcba98
        TEST_RR_OP 62, xor, 0x80000000, 0x80000000, 0x00000000
        TEST_RR_OP 63, xor, 0x80000001, 0x80000000, 0x00000001
        TEST_RR_OP 64, xor, 0x80000002, 0x80000000, 0x00000002
        TEST_RR_OP 65, xor, 0x7fffffff, 0x80000000, 0xffffffff
        TEST_RR_OP 66, xor, 0x7ffffffe, 0x80000000, 0xfffffffe
        TEST_RR_OP 67, xor, 0xffffffff, 0x80000000, 0x7fffffff
        TEST_RR_OP 68, xor, 0x00000000, 0x80000000, 0x80000000
        TEST_RR_OP 69, xor, 0x00000001, 0x80000000, 0x80000001
        TEST_RR_OP 70, xor, 0x92345678, 0x80000000, 0x12345678
        TEST_RR_OP 71, xor, 0x7edcba98, 0x80000000, 0xfedcba98
        TEST_RR_OP 72, xor, 0x80000001, 0x80000001, 0x00000000
        TEST_RR_OP 73, xor, 0x80000000, 0x80000001, 0x00000001
        TEST_RR_OP 74, xor, 0x80000003, 0x80000001, 0x00000002
        TEST_RR_OP 75, xor, 0x7ffffffe, 0x80000001, 0xffffffff
        TEST_RR_OP 76, xor, 0x7fffffff, 0x80000001, 0xfffffffe
        TEST_RR_OP 77, xor, 0xfffffffe, 0x80000001, 0x7fffffff
        TEST_RR_OP 78, xor, 0x00000001, 0x80000001, 0x80000000
        TEST_RR_OP 79, xor, 0x00000000, 0x80000001, 0x80000001
        TEST_RR_OP 80, xor, 0x92345679, 0x80000001, 0x12345678
        TEST_RR_OP 81, xor, 0x7edcba99, 0x80000001, 0xfedcba98
        TEST_RR_OP 82, xor, 0x12345678, 0x12345678, 0x00000000
        TEST_RR_OP 83, xor, 0x12345679, 0x12345678, 0x00000001
        TEST_RR_OP 84, xor, 0x1234567a, 0x12345678, 0x00000002
        TEST_RR_OP 85, xor, 0xedcba987, 0x12345678, 0xffffffff
        TEST_RR_OP 86, xor, 0xedcba986, 0x12345678, 0xfffffffe
        TEST_RR_OP 87, xor, 0x6dcba987, 0x12345678, 0x7fffffff
        TEST_RR_OP 88, xor, 0x92345678, 0x12345678, 0x80000000
        TEST_RR_OP 89, xor, 0x92345679, 0x12345678, 0x80000001
        TEST_RR_OP 90, xor, 0x00000000, 0x12345678, 0x12345678
        TEST_RR_OP 91, xor, 0xece8ece0, 0x12345678, 0xfedcba98
        TEST_RR_OP 92, xor, 0xfedcba98, 0xfedcba98, 0x00000000
        TEST_RR_OP 93, xor, 0xfedcba99, 0xfedcba98, 0x00000001
        TEST_RR_OP 94, xor, 0xfedcba9a, 0xfedcba98, 0x00000002
        TEST_RR_OP 95, xor, 0x01234567, 0xfedcba98, 0xffffffff
        TEST_RR_OP 96, xor, 0x01234566, 0xfedcba98, 0xfffffffe
        TEST_RR_OP 97, xor, 0x81234567, 0xfedcba98, 0x7fffffff
        TEST_RR_OP 98, xor, 0x7edcba98, 0xfedcba98, 0x80000000
        TEST_RR_OP 99, xor, 0x7edcba99, 0xfedcba98, 0x80000001
        TEST_RR_OP 100, xor, 0xece8ece0, 0xfedcba98, 0x12345678
        TEST_RR_OP 101, xor, 0x00000000, 0xfedcba98, 0xfedcba98

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 102, xor, 0x12345675, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 103, xor, 0x12345675, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 104, xor, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC1 105, xor, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC2 106, xor, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC12 107, xor, 0x00000000
        TEST_RR_ZERODEST 108, xor, 0x12345678, 0x0000000d
        RVTEST_CODE_END
