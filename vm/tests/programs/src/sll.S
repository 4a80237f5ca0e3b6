# sll: rd = rs1 << (rs2 & 31); only the low 5 bits of rs2 count
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, sll, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, sll, 0x00000000, 0x00000000, 0x00000001
        TEST_RR_OP 4, sll, 0x00000000, 0x00000000, 0x00000007
        TEST_RR_OP 5, sll, 0x00000000, 0x00000000, 0x0000000e
        TEST_RR_OP 6, sll, 0x00000000, 0x00000000, 0x00000014
        TEST_RR_OP 7, sll, 0x00000000, 0x00000000, 0x0000001f
        TEST_RR_OP 8, sll, 0x00000000, 0x00000000, 0x00000020
        TEST_RR_OP 9, sll, 0x00000000, 0x00000000, 0x00000021
        TEST_RR_OP 10, sll, 0x00000000, 0x00000000, 0x0000003f
        TEST_RR_OP 11, sll, 0x00000000, 0x00000000, 0xffffffe0
        TEST_RR_OP 12, sll, 0x00000000, 0x00000000, 0xffffffe1
        TEST_RR_OP 13, sll, 0x00000000, 0x00000000, 0xffffffff
        TEST_RR_OP 14, sll, 0x00000000, 0x00000000, 0x12345674
        TEST_RR_OP 15, sll, 0x00000000, 0x00000000, 0x80000004
        TEST_RR_OP 16, sll, 0x00000001, 0x00000001, 0x00000000
        TEST_RR_OP 17, sll, 0x00000002, 0x00000001, 0x00000001
        TEST_RR_OP 18, sll, 0x00000080, 0x00000001, 0x00000007
        TEST_RR_OP 19, sll, 0x00004000, 0x00000001, 0x0000000e
        TEST_RR_OP 20, sll, 0x00100000, 0x00000001, 0x00000014
        TEST_RR_OP 21, sll, 0x80000000, 0x00000001, 0x0000001f
        TEST_RR_OP 22, sll, 0x00000001, 0x00000001, 0x00000020
        TEST_RR_OP 23, sll, 0x00000002, 0x00000001, 0x00000021
        TEST_RR_OP 24, sll, 0x80000000, 0x00000001, 0x0000003f
        TEST_RR_OP 25, sll, 0x00000001, 0x00000001, 0xffffffe0
        TEST_RR_OP 26, sll, 0x00000002, 0x00000001, 0xffffffe1
        TEST_RR_OP 27, sll, 0x80000000, 0x00000001, 0xffffffff
        TEST_RR_OP 28, sll, 0x00100000, 0x00000001, 0x12345674
        TEST_RR_OP 29, sll, 0x00000010, 0x00000001, 0x80000004
        TEST_RR_OP 30, sll, 0xffffffff, 0xffffffff, 0x00000000
        TEST_RR_OP 31, sll, 0xfffffffe, 0xffffffff, 0x00000001
        TEST_RR_OP 32, sll, 0xffffff80, 0xffffffff, 0x00000007
        TEST_RR_OP 33, sll, 0xffffc000, 0xffffffff, 0x0000000e
        TEST_RR_OP 34, sll, 0xfff00000, 0xffffffff, 0x00000014
        TEST_RR_OP 35, sll, 0x80000000, 0xffffffff, 0x0000001f
        TEST_RR_OP 36, sll, 0xffffffff, 0xffffffff, 0x00000020
        TEST_RR_OP 37, sll, 0xfffffffe, 0xffffffff, 0x00000021
        TEST_RR_OP 38, sll, 0x80000000, 0xffffffff, 0x0000003f
        TEST_RR_OP 39, sll, 0xffffffff, 0xffffffff, 0xffffffe0
        TEST_RR_OP 40, sll, 0xfffffffe, 0xffffffff, 0xffffffe1
        TEST_RR_OP 41, sll, 0x80000000, 0xffffffff, 0xffffffff
        TEST_RR_OP 42, sll, 0xfff00000, 0xffffffff, 0x12345674
        TEST_RR_OP 43, sll, 0xfffffff0, 0xffffffff, 0x80000004
        TEST_RR_OP 44, sll, 0x80000000, 0x80000000, 0x00000000
        TEST_RR_OP 45, sll, 0x00000000, 0x80000000, 0x00000001
        TEST_RR_OP 46, sll, 0x00000000, 0x80000000, 0x00000007
        TEST_RR_OP 47, sll, 0x00000000, 0x80000000, 0x0000000e
        TEST_RR_OP 48, sll, 0x00000000, 0x80000000, 0x00000014
        TEST_RR_OP 49, sll, 0x00000000, 0x80000000, 0x0000001f
        TEST_RR_OP 50, sll, 0x80000000, 0x80000000, 0x00000020
        TEST_RR_OP 51, sll, 0x00000000, 0x80000000, 0x00000021
        TEST_RR_OP 52, sll, 0x00000000, 0x80000000, 0x0000003f
        TEST_RR_OP 53, sll, 0x80000000, 0x80000000, 0xffffffe0
        TEST_RR_OP 54, sll, 0x00000000, 0x80000000, 0xffffffe1
        TEST_RR_OP 55, sll, 0x00000000, 0x80000000, 0xffffffff
        TEST_RR_OP 56, sll, 0x00000000, 0x80000000, 0x12345674
        TEST_RR_OP 57, sll, 0x00000000, 0x80000000, 0x80000004
        TEST_RR_OP 58, sll, 0x7fffffff, 0x7fffffff, 0x00000000
        TEST_RR_OP 59, sll, 0xfffffffe, 0x7fffffff, 0x00000001
        TEST_RR_OP 60, sll, 0xffffff80, 0x7fffffff, 0x00000007
        TEST_RR_OP 61, sll, 0xffffc000, 0x7fffffff, 0x0000000e
        TEST_RR_OP 62, sll, 0xfff00000, 0x7fffffff, 0x00000014
        TEST_RR_OP 63, sll, 0x80000000, 0x7fffffff, 0x0000001f
        TEST_RR_OP 64, sll, 0x7fffffff, 0x7fffffff, 0x00000020
        TEST_RR_OP 65, sll, 0xfffffffe, 0x7fffffff, 0x00000021
        TEST_RR_OP 66, sll, 0x80000000, 0x7fffffff, 0x0000003f
        TEST_RR_OP 67, sll, 0x7fffffff, 0x7fffffff, 0xffffffe0
        TEST_RR_OP 68, sll, 0xfffffffe, 0x7fffffff, 0xffffffe1
        TEST_RR_OP 69, sll, 0x80000000, 0x7fffffff, 0xffffffff
        TEST_RR_OP 70, sll, 0xfff00000, 0x7fffffff, 0x12345674
        TEST_RR_OP 71, sll, 0xfffffff0, 0x7fffffff, 0x80000004
        TEST_RR_OP 72, sll, 0x12345678, 0x12345678, 0x00000000
        TEST_RR_OP 73, sll, 0x2468acf0, 0x12345678, 0x00000001
        TEST_RR_OP 74, sll, 0x1a2b3c00, 0x12345678, 0x00000007
        TEST_RR_OP 75, sll, 0x159e0000, 0x12345678, 0x0000000e
        TEST_RR_OP 76, sll, 0x67800000, 0x12345678, 0x00000014
        TEST_RR_OP 77, sll, 0x00000000, 0x12345678, 0x0000001f
        TEST_RR_OP 78, sll, 0x12345678, 0x12345678, 0x00000020
        TEST_RR_OP 79, sll, 0x2468acf0, 0x12345678, 0x00000021
        TEST_RR_OP 80, sll, 0x00000000, 0x12345678, 0x0000003f
        TEST_RR_OP 81, sll, 0x12345678, 0x12345678, 0xffffffe0
        TEST_RR_OP 82, sll, 0x2468acf0, 0x12345678, 0xffffffe1
        TEST_RR_OP 83, sll, 0x00000000, 0x12345678, 0xffffffff
        TEST_RR_OP 84, sll, 0x67800000, 0x12345678, 0x12345674
        TEST_RR_OP 85, sll, 0x23456780, 0x12345678, 0x80000004
        TEST_RR_OP 86, sll, 0x87654321, 0x87654321, 0x00000000
        TEST_RR_OP 87, sll, 0x0eca8642, 0x87654321, 0x00000001
        TEST_RR_OP 88, sll, 0xb2a19080, 0x87654321, 0x00000007
        TEST_RR_OP 89, sll, 0x50c84000, 0x87654321, 0x0000000e
        TEST_RR_OP 90, sll, 0x32100000, 0x87654321, 0x00000014
        TEST_RR_OP 91, sll, 0x80000000, 0x87654321, 0x0000001f
        TEST_RR_OP 92, sll, 0x87654321, 0x87654321, 0x00000020
        TEST_RR_OP 93, sll, 0x0eca8642, 0x87654321, 0x00000021
        TEST_RR_OP 94, sll, 0x80000000, 0x87654321, 0x0000003f
        TEST_RR_OP 95, sll, 0x87654321, 0x87654321, 0xffffffe0
        TEST_RR_OP 96, sll, 0x0eca8642, 0x87654321, 0xffffffe1
        TEST_RR_OP 97, sll, 0x80000000, 0x87654321, 0xffffffff
        TEST_RR_OP 98, sll, 0x32100000, 0x87654321, 0x12345674
        TEST_RR_OP 99, sll, 0x76543210, 0x87654321, 0x80000004
        TEST_RR_OP 100, sll, 0x21212121, 0x21212121, 0x00000000
        TEST_RR_OP 101, sll, 0x42424242, 0x21212121, 0x00000001
        TEST_RR_OP 102, sll, 0x90909080, 0x21212121, 0x00000007
        TEST_RR_OP 103, sll, 0x48484000, 0x21212121, 0x0000000e
        TEST_RR_OP 104, sll, 0x12100000, 0x21212121, 0x00000014
        TEST_RR_OP 105, sll, 0x80000000, 0x21212121, 0x0000001f
        TEST_RR_OP 106, sll, 0x21212121, 0x21212121, 0x00000020
        TEST_RR_OP 107, sll, 0x42424242, 0x21212121, 0x00000021
        TEST_RR_OP 108, sll, 0x80000000, 0x21212121, 0x0000003f
        TEST_RR_OP 109, sll, 0x21212121, 0x21212121, 0xffffffe0
        TEST_RR_OP 110, sll, 0x42424242, 0x21212121, 0xffffffe1
        TEST_RR_OP 111, sll, 0x80000000, 0x21212121, 0xffffffff
        TEST_RR_OP 112, sll, 0x12100000, 0x21212121, 0x12345674
        TEST_RR_OP 113, sll, 0x12121210, 0x21212121, 0x80000004

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 114, sll, 0x8acf0000, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 115, sll, 0x8acf0000, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 116, sll, 0x78000000, 0x12345678
        TEST_RR_ZEROSRC1 117, sll, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC2 118, sll, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC12 119, sll, 0x00000000
        TEST_RR_ZERODEST 120, sll, 0x12345678, 0x0000000d
        RVTEST_CODE_END
