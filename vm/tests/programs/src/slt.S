# slt: rd = (signed rs1 < signed rs2)
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, slt, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, slt, 0x00000001, 0x00000000, 0x00000001
        TEST_RR_OP 4, slt, 0x00000001, 0x00000000, 0x00000002
        TEST_RR_OP 5, slt, 0x00000000, 0x00000000, 0xffffffff
        TEST_RR_OP 6, slt, 0x00000000, 0x00000000, 0xfffffffe
        TEST_RR_OP 7, slt, 0x00000001, 0x00000000, 0x7fffffff
        TEST_RR_OP 8, slt, 0x00000000, 0x00000000, 0x80000000
        TEST_RR_OP 9, slt, 0x00000000, 0x00000000, 0x80000001
        TEST_RR_OP 10, slt, 0x00000001, 0x00000000, 0x12345678
        TEST_RR_OP 11, slt, 0x00000000, 0x00000000, 0xfedcba98
        TEST_RR_OP 12, slt, 0x00000000, 0x00000001, 0x00000000
        TEST_RR_OP 13, slt, 0x00000000, 0x00000001, 0x00000001
        TEST_RR_OP 14, slt, 0x00000001, 0x00000001, 0x00000002
        TEST_RR_OP 15, slt, 0x00000000, 0x00000001, 0xffffffff
        TEST_RR_OP 16, slt, 0x00000000, 0x00000001, 0xfffffffe
        TEST_RR_OP 17, slt, 0x00000001, 0x00000001, 0x7fffffff
        TEST_RR_OP 18, slt, 0x00000000, 0x00000001, 0x80000000
        TEST_RR_OP 19, slt, 0x00000000, 0x00000001, 0x80000001
        TEST_RR_OP 20, slt, 0x00000001, 0x00000001, 0x12345678
        TEST_RR_OP 21, slt, 0x00000000, 0x00000001, 0xfedcba98
        TEST_RR_OP 22, slt, 0x00000000, 0x00000002, 0x00000000
        TEST_RR_OP 23, slt, 0x00000000, 0x00000002, 0x00000001
        TEST_RR_OP 24, slt, 0x00000000, 0x00000002, 0x00000002
        TEST_RR_OP 25, slt, 0x00000000, 0x00000002, 0xffffffff
        TEST_RR_OP 26, slt, 0x00000000, 0x00000002, 0xfffffffe
        TEST_RR_OP 27, slt, 0x00000001, 0x00000002, 0x7fffffff
        TEST_RR_OP 28, slt, 0x00000000, 0x00000002, 0x80000000
        TEST_RR_OP 29, slt, 0x00000000, 0x00000002, 0x80000001
        TEST_RR_OP 30, slt, 0x00000001, 0x00000002, 0x12345678
        TEST_RR_OP 31, slt, 0x00000000, 0x00000002, 0xfedcba98
        TEST_RR_OP 32, slt, 0x00000001, 0xffffffff, 0x00000000
        TEST_RR_OP 33, slt, 0x00000001, 0xffffffff, 0x00000001
        TEST_RR_OP 34, slt, 0x00000001, 0xffffffff, 0x00000002
        TEST_RR_OP 35, slt, 0x00000000, 0xffffffff, 0xffffffff
        TEST_RR_OP 36, slt, 0x00000000, 0xffffffff, 0xfffffffe
        TEST_RR_OP 37, slt, 0x00000001, 0xffffffff, 0x7fffffff
        TEST_RR_OP 38, slt, 0x00000000, 0xffffffff, 0x80000000
        TEST_RR_OP 39, slt, 0x00000000, 0xffffffff, 0x80000001
        TEST_RR_OP 40, slt, 0x00000001, 0xffffffff, 0x12345678
        TEST_RR_OP 41, slt, 0x00000000, 0xffffffff, 0xfedcba98
        TEST_RR_OP 42, slt, 0x00000001, 0xfffffffe, 0x00000000
        TEST_RR_OP 43, slt, 0x00000001, 0xfffffffe, 0x00000001
        TEST_RR_OP 44, slt, 0x00000001, 0xfffffffe, 0x00000002
        TEST_RR_OP 45, slt, 0x00000001, 0xfffffffe, 0xffffffff
        TEST_RR_OP 46, slt, 0x00000000, 0xfffffffe, 0xfffffffe
        TEST_RR_OP 47, slt, 0x00000001, 0xfffffffe, 0x7fffffff
        TEST_RR_OP 48, slt, 0x00000000, 0xfffffffe, 0x80000000
        TEST_RR_OP 49, slt, 0x00000000, 0xfffffffe, 0x80000001
        TEST_RR_OP 50, slt, 0x00000001, 0xfffffffe, 0x12345678
        TEST_RR_OP 51, slt, 0x00000000, 0xfffffffe, 0xfedcba98
        TEST_RR_OP 52, slt, 0x00000000, 0x7fffffff, 0x00000000
        TEST_RR_OP 53, slt, 0x00000000, 0x7fffffff, 0x00000001
        TEST_RR_OP 54, slt, 0x00000000, 0x7fffffff, 0x00000002
        TEST_RR_OP 55, slt, 0x00000000, 0x7fffffff, 0xffffffff
        TEST_RR_OP 56, slt, 0x00000000, 0x7fffffff, 0xfffffffe
        TEST_RR_OP 57, slt, 0x00000000, 0x7fffffff, 0x7fffffff
        TEST_RR_OP 58, slt, 0x00000000, 0x7fffffff, 0x80000000
        TEST_RR_OP 59, slt, 0x00000000, 0x7fffffff, 0x80000001
        TEST_RR_OP 60, slt, 0x00000000, 0x7fffffff, 0x12345678
        TEST_RR_OP 61, slt, 0x00000000, 0x7fffffff, 0xfedcba98
        TEST_RR_OP 62, slt, 0x00000001, 0x80000000, 0x00000000
        TEST_RR_OP 63, slt, 0x00000001, 0x80000000, 0x00000001
        TEST_RR_OP 64, slt, 0x00000001, 0x80000000, 0x00000002
        TEST_RR_OP 65, slt, 0x00000001, 0x80000000, 0xffffffff
        TEST_RR_OP 66, slt, 0x00000001, 0x80000000, 0xfffffffe
        TEST_RR_OP 67, slt, 0x00000001, 0x80000000, 0x7fffffff
        TEST_RR_OP 68, slt, 0x00000000, 0x80000000, 0x80000000
        TEST_RR_OP 69, slt, 0x00000001, 0x80000000, 0x80000001
        TEST_RR_OP 70, slt, 0x00000001, 0x80000000, 0x12345678
        TEST_RR_OP 71, slt, 0x00000001, 0x80000000, 0xfedcba98
        TEST_RR_OP 72, slt, 0x00000001, 0x80000001, 0x00000000
        TEST_RR_OP 73, slt, 0x00000001, 0x80000001, 0x00000001
        TEST_RR_OP 74, slt, 0x00000001, 0x80000001, 0x00000002
        TEST_RR_OP 75, slt, 0x00000001, 0x80000001, 0xffffffff
        TEST_RR_OP 76, slt, 0x00000001, 0x80000001, 0xfffffffe
        TEST_RR_OP 77, slt, 0x00000001, 0x80000001, 0x7fffffff
        TEST_RR_OP 78, slt, 0x00000000, 0x80000001, 0x80000000
        TEST_RR_OP 79, slt, 0x00000000, 0x80000001, 0x80000001
        TEST_RR_OP 80, slt, 0x00000001, 0x80000001, 0x12345678
        TEST_RR_OP 81, slt, 0x00000001, 0x80000001, 0xfedcba98
        TEST_RR_OP 82, slt, 0x00000000, 0x12345678, 0x00000000
        TEST_RR_OP 83, slt, 0x00000000, 0x12345678, 0x00000001
        TEST_RR_OP 84, slt, 0x00000000, 0x12345678, 0x00000002
        TEST_RR_OP 85, slt, 0x00000000, 0x12345678, 0xffffffff
        TEST_RR_OP 86, slt, 0x00000000, 0x12345678, 0xfffffffe
        TEST_RR_OP 87, slt, 0x00000001, 0x12345678, 0x7fffffff
        TEST_RR_OP 88, slt, 0x00000000, 0x12345678, 0x80000000
        TEST_RR_OP 89, slt, 0x00000000, 0x12345678, 0x80000001
        TEST_RR_OP 90, slt, 0x00000000, 0x12345678, 0x12345678
        TEST_RR_OP 91, slt, 0x00000000, 0x12345678, 0xfedcba98
        TEST_RR_OP 92, slt, 0x00000001, 0xfedcba98, 0x00000000
        TEST_RR_OP 93, slt, 0x00000001, 0xfedcba98, 0x00000001
        TEST_RR_OP 94, slt, 0x00000001, 0xfedcba98, 0x00000002
        TEST_RR_OP 95, slt, 0x00000001, 0xfedcba98, 0xffffffff
        TEST_RR_OP 96, slt, 0x00000001, 0xfedcba98, 0xfffffffe
        TEST_RR_OP 97, slt, 0x00000001, 0xfedcba98, 0x7fffffff
        TEST_RR_OP 98, slt, 0x00000000, 0xfedcba98, 0x80000000
        TEST_RR_OP 99, slt, 0x00000000, 0xfedcba98, 0x80000001
        TEST_RR_OP 100, slt, 0x00000001, 0xfedcba98, 0x12345678
        TEST_RR_OP 101, slt, 0x00000000, 0xfedcba98, 0xfedcba98

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 102, slt, 0x00000000, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 103, slt, 0x00000000, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 104, slt, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC1 105, slt, 0x00000001, 0x12345678
        TEST_RR_ZEROSRC2 106, slt, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC12 107, slt, 0x00000000
        TEST_RR_ZERODEST 108, slt, 0x12345678, 0x0000000d
        RVTEST_CODE_END
