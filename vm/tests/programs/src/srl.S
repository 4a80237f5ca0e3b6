# srl: rd = rs1 >>u (rs2 & 31); only the low 5 bits of rs2 count
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, srl, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, srl, 0x00000000, 0x00000000, 0x00000001
        TEST_RR_OP 4, srl, 0x00000000, 0x00000000, 0x00000007
        TEST_RR_OP 5, srl, 0x00000000, 0x00000000, 0x0000000e
        TEST_RR_OP 6, srl, 0x00000000, 0x00000000, 0x00000014
        TEST_RR_OP 7, srl, 0x00000000, 0x00000000, 0x0000001f
        TEST_RR_OP 8, srl, 0x00000000, 0x00000000, 0x00000020
        TEST_RR_OP 9, srl, 0x00000000, 0x00000000, 0x00000021
        TEST_RR_OP 10, srl, 0x00000000, 0x00000000, 0x0000003f
        TEST_RR_OP 11, srl, 0x00000000, 0x00000000, 0xffffffe0
        TEST_RR_OP 12, srl, 0x00000000, 0x00000000, 0xffffffe1
        TEST_RR_OP 13, srl, 0x00000000, 0x00000000, 0xffffffff
        TEST_RR_OP 14, srl, 0x00000000, 0x00000000, 0x12345674
        TEST_RR_OP 15, srl, 0x00000000, 0x00000000, 0x80000004
        TEST_RR_OP 16, srl, 0x00000001, 0x00000001, 0x00000000
        TEST_RR_OP 17, srl, 0x00000000, 0x00000001, 0x00000001
        TEST_RR_OP 18, srl, 0x00000000, 0x00000001, 0x00000007
        TEST_RR_OP 19, srl, 0x00000000, 0x00000001, 0x0000000e
        TEST_RR_OP 20, srl, 0x00000000, 0x00000001, 0x00000014
        TEST_RR_OP 21, srl, 0x00000000, 0x00000001, 0x0000001f
        TEST_RR_OP 22, srl, 0x00000001, 0x00000001, 0x00000020
        TEST_RR_OP 23, srl, 0x00000000, 0x00000001, 0x00000021
        TEST_RR_OP 24, srl, 0x00000000, 0x00000001, 0x0000003f
        TEST_RR_OP 25, srl, 0x00000001, 0x00000001, 0xffffffe0
        TEST_RR_OP 26, srl, 0x00000000, 0x00000001, 0xffffffe1
        TEST_RR_OP 27, srl, 0x00000000, 0x00000001, 0xffffffff
        TEST_RR_OP 28, srl, 0x00000000, 0x00000001, 0x12345674
        TEST_RR_OP 29, srl, 0x00000000, 0x00000001, 0x80000004
        TEST_RR_OP 30, srl, 0xffffffff, 0xffffffff, 0x00000000
        TEST_RR_OP 31, srl, 0x7fffffff, 0xffffffff, 0x00000001
        TEST_RR_OP 32, srl, 0x01ffffff, 0xffffffff, 0x00000007
        TEST_RR_OP 33, srl, 0x0003ffff, 0xffffffff, 0x0000000e
        TEST_RR_OP 34, srl, 0x00000fff, 0xffffffff, 0x00000014
        TEST_RR_OP 35, srl, 0x00000001, 0xffffffff, 0x0000001f
        TEST_RR_OP 36, srl, 0xffffffff, 0xffffffff, 0x00000020
        TEST_RR_OP 37, srl, 0x7fffffff, 0xffffffff, 0x00000021
        TEST_RR_OP 38, srl, 0x00000001, 0xffffffff, 0x0000003f
        TEST_RR_OP 39, srl, 0xffffffff, 0xffffffff, 0xffffffe0
        TEST_RR_OP 40, srl, 0x7fffffff, 0xffffffff, 0xffffffe1
        TEST_RR_OP 41, srl, 0x00000001, 0xffffffff, 0xffffffff
        TEST_RR_OP 42, srl, 0x00000fff, 0xffffffff, 0x12345674
        TEST_RR_OP 43, srl, 0x0fffffff, 0xffffffff, 0x80000004
        TEST_RR_OP 44, srl, 0x80000000, 0x80000000, 0x00000000
        TEST_RR_OP 45, srl, 0x40000000, 0x80000000, 0x00000001
        TEST_RR_OP 46, srl, 0x01000000, 0x80000000, 0x00000007
        TEST_RR_OP 47, srl, 0x00020000, 0x80000000, 0x0000000e
        TEST_RR_OP 48, srl, 0x00000800, 0x80000000, 0x00000014
        TEST_RR_OP 49, srl, 0x00000001, 0x80000000, 0x0000001f
        TEST_RR_OP 50, srl, 0x80000000, 0x80000000, 0x00000020
        TEST_RR_OP 51, srl, 0x40000000, 0x80000000, 0x00000021
        TEST_RR_OP 52, srl, 0x00000001, 0x80000000, 0x0000003f
        TEST_RR_OP 53, srl, 0x80000000, 0x80000000, 0xffffffe0
        TEST_RR_OP 54, srl, 0x40000000, 0x80000000, 0xffffffe1
        TEST_RR_OP 55, srl, 0x00000001, 0x80000000, 0xffffffff
        TEST_RR_OP 56, srl, 0x00000800, 0x80000000, 0x12345674
        TEST_RR_OP 57, srl, 0x08000000, 0x80000000, 0x80000004
        TEST_RR_OP 58, srl, 0x7fffffff, 0x7fffffff, 0x00000000
        TEST_RR_OP 59, srl, 0x3fffffff, 0x7fffffff, 0x00000001
        TEST_RR_OP 60, srl, 0x00ffffff, 0x7fffffff, 0x00000007
        TEST_RR_OP 61, srl, 0x0001ffff, 0x7fffffff, 0x0000000e
        TEST_RR_OP 62, srl, 0x000007ff, 0x7fffffff, 0x00000014
        TEST_RR_OP 63, srl, 0x00000000, 0x7fffffff, 0x0000001f
        TEST_RR_OP 64, srl, 0x7fffffff, 0x7fffffff, 0x00000020
        TEST_RR_OP 65, srl, 0x3fffffff, 0x7fffffff, 0x00000021
        TEST_RR_OP 66, srl, 0x00000000, 0x7fffffff, 0x0000003f
        TEST_RR_OP 67, srl, 0x7fffffff, 0x7fffffff, 0xffffffe0
        TEST_RR_OP 68, srl, 0x3fffffff, 0x7fffffff, 0xffffffe1
        TEST_RR_OP 69, srl, 0x00000000, 0x7fffffff, 0xffffffff
        TEST_RR_OP 70, srl, 0x000007ff, 0x7fffffff, 0x12345674
        TEST_RR_OP 71, srl, 0x07ffffff, 0x7fffffff, 0x80000004
        TEST_RR_OP 72, srl, 0x12345678, 0x12345678, 0x00000000
        TEST_RR_OP 73, srl, 0x091a2b3c, 0x12345678, 0x00000001
        TEST_RR_OP 74, srl, 0x002468ac, 0x12345678, 0x00000007
        TEST_RR_OP 75, srl, 0x000048d1, 0x12345678, 0x0000000e
        TEST_RR_OP 76, srl, 0x00000123, 0x12345678, 0x00000014
        TEST_RR_OP 77, srl, 0x00000000, 0x12345678, 0x0000001f
        TEST_RR_OP 78, srl, 0x12345678, 0x12345678, 0x00000020
        TEST_RR_OP 79, srl, 0x091a2b3c, 0x12345678, 0x00000021
        TEST_RR_OP 80, srl, 0x00000000, 0x12345678, 0x0000003f
        TEST_RR_OP 81, srl, 0x12345678, 0x12345678, 0xffffffe0
        TEST_RR_OP 82, srl, 0x091a2b3c, 0x12345678, 0xffffffe1
        TEST_RR_OP 83, srl, 0x00000000, 0x12345678, 0xffffffff
        TEST_RR_OP 84, srl, 0x00000123, 0x12345678, 0x12345674
        TEST_RR_OP 85, srl, 0x01234567, 0x12345678, 0x80000004
        TEST_RR_OP 86, srl, 0x87654321, 0x87654321, 0x00000000
        TEST_RR_OP 87, srl, 0x43b2a190, 0x87654321, 0x00000001
        TEST_RR_OP 88, srl, 0x010eca86, 0x87654321, 0x00000007
        TEST_RR_OP 89, srl, 0x00021d95, 0x87654321, 0x0000000e
        TEST_RR_OP 90, srl, 0x00000876, 0x87654321, 0x00000014
        TEST_RR_OP 91, srl, 0x00000001, 0x87654321, 0x0000001f
        TEST_RR_OP 92, srl, 0x87654321, 0x87654321, 0x00000020
        TEST_RR_OP 93, srl, 0x43b2a190, 0x87654321, 0x00000021
        TEST_RR_OP 94, srl, 0x00000001, 0x87654321, 0x0000003f
        TEST_RR_OP 95, srl, 0x87654321, 0x87654321, 0xffffffe0
        TEST_RR_OP 96, srl, 0x43b2a190, 0x87654321, 0xffffffe1
        TEST_RR_OP 97, srl, 0x00000001, 0x87654321, 0xffffffff
        TEST_RR_OP 98, srl, 0x00000876, 0x87654321, 0x12345674
        TEST_RR_OP 99, srl, 0x08765432, 0x87654321, 0x80000004
        TEST_RR_OP 100, srl, 0x21212121, 0x21212121, 0x00000000
        TEST_RR_OP 101, srl, 0x10909090, 0x21212121, 0x00000001
        TEST_RR_OP 102, srl, 0x00424242, 0x21212121, 0x00000007
        TEST_RR_OP 103, srl, 0x00008484, 0x21212121, 0x0000000e
        TEST_RR_OP 104, srl, 0x00000212, 0x21212121, 0x00000014
        TEST_RR_OP 105, srl, 0x00000000, 0x21212121, 0x0000001f
        TEST_RR_OP 106, srl, 0x21212121, 0x21212121, 0x00000020
        TEST_RR_OP 107, srl, 0x10909090, 0x21212121, 0x00000021
        TEST_RR_OP 108, srl, 0x00000000, 0x21212121, 0x0000003f
        TEST_RR_OP 109, srl, 0x21212121, 0x21212121, 0xffffffe0
        TEST_RR_OP 110, srl, 0x10909090, 0x21212121, 0xffffffe1
        TEST_RR_OP 111, srl, 0x00000000, 0x21212121, 0xffffffff
        TEST_RR_OP 112, srl, 0x00000212, 0x21212121, 0x12345674
        TEST_RR_OP 113, srl, 0x02121212, 0x21212121, 0x80000004

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 114, srl, 0x000091a2, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 115, srl, 0x000091a2, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 116, srl, 0x00000012, 0x12345678
        TEST_RR_ZEROSRC1 117, srl, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC2 118, srl, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC12 119, srl, 0x00000000
        TEST_RR_ZERODEST 120, srl, 0x12345678, 0x0000000d
        RVTEST_CODE_END
