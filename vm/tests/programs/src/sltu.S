# sltu: rd = (unsigned rs1 < unsigned rs2)
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, sltu, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, sltu, 0x00000001, 0x00000000, 0x00000001
        TEST_RR_OP 4, sltu, 0x00000001, 0x00000000, 0x00000002
        TEST_RR_OP 5, sltu, 0x00000001, 0x00000000, 0xffffffff
        TEST_RR_OP 6, sltu, 0x00000001, 0x00000000, 0xfffffffe
        TEST_RR_OP 7, sltu, 0x00000001, 0x00000000, 0x7fffffff
        TEST_RR_OP 8, sltu, 0x00000001, 0x00000000, 0x80000000
        TEST_RR_OP 9, sltu, 0x00000001, 0x00000000, 0x80000001
        TEST_RR_OP 10, sltu, 0x00000001, 0x00000000, 0x12345678
        TEST_RR_OP 11, sltu, 0x00000001, 0x00000000, 0xfedcba98
        TEST_RR_OP 12, sltu, 0x00000000, 0x00000001, 0x00000000
        TEST_RR_OP 13, sltu, 0x00000000, 0x00000001, 0x00000001
        TEST_RR_OP 14, sltu, 0x00000001, 0x00000001, 0x00000002
        TEST_RR_OP 15, sltu, 0x00000001, 0x00000001, 0xffffffff
        TEST_RR_OP 16, sltu, 0x00000001, 0x00000001, 0xfffffffe
        TEST_RR_OP 17, sltu, 0x00000001, 0x00000001, 0x7fffffff
        TEST_RR_OP 18, sltu, 0x00000001, 0x00000001, 0x80000000
        TEST_RR_OP 19, sltu, 0x00000001, 0x00000001, 0x80000001
        TEST_RR_OP 20, sltu, 0x00000001, 0x00000001, 0x12345678
        TEST_RR_OP 21, sltu, 0x00000001, 0x00000001, 0xfedcba98
        TEST_RR_OP 22, sltu, 0x00000000, 0x00000002, 0x00000000
        TEST_RR_OP 23, sltu, 0x00000000, 0x00000002, 0x00000001
        TEST_RR_OP 24, sltu, 0x00000000, 0x00000002, 0x00000002
        TEST_RR_OP 25, sltu, 0x00000001, 0x00000002, 0xffffffff
        TEST_RR_OP 26, sltu, 0x00000001, 0x00000002, 0xfffffffe
        TEST_RR_OP 27, sltu, 0x00000001, 0x00000002, 0x7fffffff
        TEST_RR_OP 28, sltu, 0x00000001, 0x00000002, 0x80000000
        TEST_RR_OP 29, sltu, 0x00000001, 0x00000002, 0x80000001
        TEST_RR_OP 30, sltu, 0x00000001, 0x00000002, 0x12345678
        TEST_RR_OP 31, sltu, 0x00000001, 0x00000002, 0xfedcba98
        TEST_RR_OP 32, sltu, 0x00000000, 0xffffffff, 0x00000000
        TEST_RR_OP 33, sltu, 0x00000000, 0xffffffff, 0x00000001
        TEST_RR_OP 34, sltu, 0x00000000, 0xffffffff, 0x00000002
        TEST_RR_OP 35, sltu, 0x00000000, 0xffffffff, 0xffffffff
        TEST_RR_OP 36, sltu, 0x00000000, 0xffffffff, 0xfffffffe
        TEST_RR_OP 37, sltu, 0x00000000, 0xffffffff, 0x7fffffff
        TEST_RR_OP 38, sltu, 0x00000000, 0xffffffff, 0x80000000
        TEST_RR_OP 39, sltu, 0x00000000, 0xffffffff, 0x80000001
        TEST_RR_OP 40, sltu, 0x00000000, 0xffffffff, 0x12345678
        TEST_RR_OP 41, sltu, 0x00000000, 0xffffffff, 0xfedcba98
        TEST_RR_OP 42, sltu, 0x00000000, 0xfffffffe, 0x00000000
        TEST_RR_OP 43, sltu, 0x00000000, 0xfffffffe, 0x00000001
        TEST_RR_OP 44, sltu, 0x00000000, 0xfffffffe, 0x00000002
        TEST_RR_OP 45, sltu, 0x00000001, 0xfffffffe, 0xffffffff
        TEST_RR_OP 46, sltu, 0x00000000, 0xfffffffe, 0xfffffffe
        TEST_RR_OP 47, sltu, 0x00000000, 0xfffffffe, 0x7fffffff
        TEST_RR_OP 48, sltu, 0x00000000, 0xfffffffe, 0x80000000
        TEST_RR_OP 49, sltu, 0x00000000, 0xfffffffe, 0x80000001
        TEST_RR_OP 50, sltu, 0x00000000, 0xfffffffe, 0x12345678
        TEST_RR_OP 51, sltu, 0x00000000, 0xfffffffe, 0xfedcba98
        TEST_RR_OP 52, sltu, 0x00000000, 0x7fffffff, 0x00000000
        TEST_RR_OP 53, sltu, 0x00000000, 0x7fffffff, 0x00000001
        TEST_RR_OP 54, sltu, 0x00000000, 0x7fffffff, 0x00000002
        TEST_RR_OP 55, sltu, 0x00000001, 0x7fffffff, 0xffffffff
        TEST_RR_OP 56, sltu, 0x00000001, 0x7fffffff, 0xfffffffe
        TEST_RR_OP 57, sltu, 0x00000000, 0x7fffffff, 0x7fffffff
        TEST_RR_OP 58, sltu, 0x00000001, 0x7fffffff, 0x80000000
        TEST_RR_OP 59, sltu, 0x00000001, 0x7fffffff, 0x80000001
        TEST_RR_OP 60, sltu, 0x00000000, 0x7fffffff, 0x12345678
        TEST_RR_OP 61, sltu, 0x00000001, 0x7fffffff, 0xfedcba98
        TEST_RR_OP 62, sltu, 0x00000000, 0x80000000, 0x00000000
        TEST_RR_OP 63, sltu, 0x00000000, 0x80000000, 0x00000001
        TEST_RR_OP 64, sltu, 0x00000000, 0x80000000, 0x00000002
        TEST_RR_OP 65, sltu, 0x00000001, 0x80000000, 0xffffffff
        TEST_RR_OP 66, sltu, 0x00000001, 0x80000000, 0xfffffffe
        TEST_RR_OP 67, sltu, 0x00000000, 0x80000000, 0x7fffffff
        TEST_RR_OP 68, sltu, 0x00000000, 0x80000000, 0x80000000
        TEST_RR_OP 69, sltu, 0x00000001, 0x80000000, 0x80000001
        TEST_RR_OP 70, sltu, 0x00000000, 0x80000000, 0x12345678
        TEST_RR_OP 71, sltu, 0x00000001, 0x80000000, 0xfedcba98
        TEST_RR_OP 72, sltu, 0x00000000, 0x80000001, 0x00000000
        TEST_RR_OP 73, sltu, 0x00000000, 0x80000001, 0x00000001
        TEST_RR_OP 74, sltu, 0x00000000, 0x80000001, 0x00000002
        TEST_RR_OP 75, sltu, 0x00000001, 0x80000001, 0xffffffff
        TEST_RR_OP 76, sltu, 0x00000001, 0x80000001, 0xfffffffe
        TEST_RR_OP 77, sltu, 0x00000000, 0x80000001, 0x7fffffff
        TEST_RR_OP 78, sltu, 0x00000000, 0x80000001, 0x80000000
        TEST_RR_OP 79, sltu, 0x00000000, 0x80000001, 0x80000001
        TEST_RR_OP 80, sltu, 0x00000000, 0x80000001, 0x12345678
        TEST_RR_OP 81, sltu, 0x00000001, 0x80000001, 0xfedcba98
        TEST_RR_OP 82, sltu, 0x00000000, 0x12345678, 0x00000000
        TEST_RR_OP 83, sltu, 0x00000000, 0x12345678, 0x00000001
        TEST_RR_OP 84, sltu, 0x00000000, 0x12345678, 0x00000002
        TEST_RR_OP 85, sltu, 0x00000001, 0x12345678, 0xffffffff
        TEST_RR_OP 86, sltu, 0x00000001, 0x12345678, 0xfffffffe
        TEST_RR_OP 87, sltu, 0x00000001, 0x12345678, 0x7fffffff
        TEST_RR_OP 88, sltu, 0x00000001, 0x12345678, 0x80000000
        TEST_RR_OP 89, sltu, 0x00000001, 0x12345678, 0x80000001
        TEST_RR_OP 90, sltu, 0x00000000, 0x12345678, 0x12345678
        TEST_RR_OP 91, sltu, 0x00000001, 0x12345678, 0xfedcba98
        TEST_RR_OP 92, sltu, 0x00000000, 0xfedcba98, 0x00000000
        TEST_RR_OP 93, sltu, 0x00000000, 0xfedcba98, 0x00000001
        TEST_RR_OP 94, sltu, 0x00000000, 0xfedcba98, 0x00000002
        TEST_RR_OP 95, sltu, 0x00000001, 0xfedcba98, 0xffffffff
        TEST_RR_OP 96, sltu, 0x00000001, 0xfedcba98, 0xfffffffe
        TEST_RR_OP 97, sltu, 0x00000000, 0xfedcba98, 0x7fffffff
        TEST_RR_OP 98, sltu, 0x00000000, 0xfedcba98, 0x80000000
        TEST_RR_OP 99, sltu, 0x00000000, 0xfedcba98, 0x80000001
        TEST_RR_OP 100, sltu, 0x00000000, 0xfedcba98, 0x12345678
        TEST_RR_OP 101, sltu, 0x00000000, 0xfedcba98, 0xfedcba98

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 102, sltu, 0x00000000, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 103, sltu, 0x00000000, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 104, sltu, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC1 105, sltu, 0x00000001, 0x12345678
        TEST_RR_ZEROSRC2 106, sltu, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC12 107, sltu, 0x00000000
        TEST_RR_ZERODEST 108, sltu, 0x12345678, 0x0000000d
        RVTEST_CODE_END
