# sra: rd = rs1 >>s (rs2 & 31); only the low 5 bits of rs2 count
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Edge values, every pair.
        TEST_RR_OP 2, sra, 0x00000000, 0x00000000, 0x00000000
        TEST_RR_OP 3, sra, 0x00000000, 0x00000000, 0x00000001
        TEST_RR_OP 4, sra, 0x00000000, 0x00000000, 0x00000007
        TEST_RR_OP 5, sra, 0x00000000, 0x00000000, 0x0000000e
        TEST_RR_OP 6, sra, 0x00000000, 0x00000000, 0x00000014
        TEST_RR_OP 7, sra, 0x00000000, 0x00000000, 0x0000001f
        TEST_RR_OP 8, sra, 0x00000000, 0x00000000, 0x00000020
        TEST_RR_OP 9, sra, 0x00000000, 0x00000000, 0x00000021
        TEST_RR_OP 10, sra, 0x00000000, 0x00000000, 0x0000003f
        TEST_RR_OP 11, sra, 0x00000000, 0x00000000, 0xffffffe0
        TEST_RR_OP 12, sra, 0x00000000, 0x00000000, 0xffffffe1
        TEST_RR_OP 13, sra, 0x00000000, 0x00000000, 0xffffffff
        TEST_RR_OP 14, sra, 0x00000000, 0x00000000, 0x12345674
        TEST_RR_OP 15, sra, 0x00000000, 0x00000000, 0x80000004
        TEST_RR_OP 16, sra, 0x00000001, 0x00000001, 0x00000000
        TEST_RR_OP 17, sra, 0x00000000, 0x00000001, 0x00000001
        TEST_RR_OP 18, sra, 0x00000000, 0x00000001, 0x00000007
        TEST_RR_OP 19, sra, 0x00000000, 0x00000001, 0x0000000e
        TEST_RR_OP 20, sra, 0x00000000, 0x00000001, 0x00000014
        TEST_RR_OP 21, sra, 0x00000000, 0x00000001, 0x0000001f
        TEST_RR_OP 22, sra, 0x00000001, 0x00000001, 0x00000020
        TEST_RR_OP 23, sra, 0x00000000, 0x00000001, 0x00000021
        TEST_RR_OP 24, sra, 0x00000000, 0x00000001, 0x0000003f
        TEST_RR_OP 25, sra, 0x00000001, 0x00000001, 0xffffffe0
        TEST_RR_OP 26, sra, 0x00000000, 0x00000001, 0xffffffe1
        TEST_RR_OP 27, sra, 0x00000000, 0x00000001, 0xffffffff
        TEST_RR_OP 28, sra, 0x00000000, 0x00000001, 0x12345674
        TEST_RR_OP 29, sra, 0x00000000, 0x00000001, 0x80000004
        TEST_RR_OP 30, sra, 0xffffffff, 0xffffffff, 0x00000000
        TEST_RR_OP 31, sra, 0xffffffff, 0xffffffff, 0x00000001
        TEST_RR_OP 32, sra, 0xffffffff, 0xffffffff, 0x00000007
        TEST_RR_OP 33, sra, 0xffffffff, 0xffffffff, 0x0000000e
        TEST_RR_OP 34, sra, 0xffffffff, 0xffffffff, 0x00000014
        TEST_RR_OP 35, sra, 0xffffffff, 0xffffffff, 0x0000001f
        TEST_RR_OP 36, sra, 0xffffffff, 0xffffffff, 0x00000020
        TEST_RR_OP 37, sra, 0xffffffff, 0xffffffff, 0x00000021
        TEST_RR_OP 38, sra, 0xffffffff, 0xffffffff, 0x0000003f
        TEST_RR_OP 39, sra, 0xffffffff, 0xffffffff, 0xffffffe0
        TEST_RR_OP 40, sra, 0xffffffff, 0xffffffff, 0xffffffe1
        TEST_RR_OP 41, sra, 0xffffffff, 0xffffffff, 0xffffffff
        TEST_RR_OP 42, sra, 0xffffffff, 0xffffffff, 0x12345674
        TEST_RR_OP 43, sra, 0xffffffff, 0xffffffff, 0x80000004
        TEST_RR_OP 44, sra, 0x80000000, 0x80000000, 0x00000000
        TEST_RR_OP 45, sra, 0xc0000000, 0x80000000, 0x00000001
        TEST_RR_OP 46, sra, 0xff000000, 0x80000000, 0x00000007
        TEST_RR_OP 47, sra, 0xfffe0000, 0x80000000, 0x0000000e
        TEST_RR_OP 48, sra, 0xfffff800, 0x80000000, 0x00000014
        TEST_RR_OP 49, sra, 0xffffffff, 0x80000000, 0x0000001f
        TEST_RR_OP 50, sra, 0x80000000, 0x80000000, 0x00000020
        TEST_RR_OP 51, sra, 0xc0000000, 0x80000000, 0x00000021
        TEST_RR_OP 52, sra, 0xffffffff, 0x80000000, 0x0000003f
        TEST_RR_OP 53, sra, 0x80000000, 0x80000000, 0xffffffe0
        TEST_RR_OP 54, sra, 0xc0000000, 0x80000000, 0xffffffe1
        TEST_RR_OP 55, sra, 0xffffffff, 0x80000000, 0xffffffff
        TEST_RR_OP 56, sra, 0xfffff800, 0x80000000, 0x12345674
        TEST_RR_OP 57, sra, 0xf8000000, 0x80000000, 0x80000004
        TEST_RR_OP 58, sra, 0x7fffffff, 0x7fffffff, 0x00000000
        TEST_RR_OP 59, sra, 0x3fffffff, 0x7fffffff, 0x00000001
        TEST_RR_OP 60, sra, 0x00ffffff, 0x7fffffff, 0x00000007
        TEST_RR_OP 61, sra, 0x0001ffff, 0x7fffffff, 0x0000000e
        TEST_RR_OP 62, sra, 0x000007ff, 0x7fffffff, 0x00000014
        TEST_RR_OP 63, sra, 0x00000000, 0x7fffffff, 0x0000001f
        TEST_RR_OP 64, sra, 0x7fffffff, 0x7fffffff, 0x00000020
        TEST_RR_OP 65, sra, 0x3fffffff, 0x7fffffff, 0x00000021
        TEST_RR_OP 66, sra, 0x00000000, 0x7fffffff, 0x0000003f
        TEST_RR_OP 67, sra, 0x7fffffff, 0x7fffffff, 0xffffffe0
        TEST_RR_OP 68, sra, 0x3fffffff, 0x7fffffff, 0xffffffe1
        TEST_RR_OP 69, sra, 0x00000000, 0x7fffffff, 0xffffffff
        TEST_RR_OP 70, sra, 0x000007ff, 0x7fffffff, 0x12345674
        TEST_RR_OP 71, sra, 0x07ffffff, 0x7fffffff, 0x80000004
        TEST_RR_OP 72, sra, 0x12345678, 0x12345678, 0x00000000
        TEST_RR_OP 73, sra, 0x091a2b3c, 0x12345678, 0x00000001
        TEST_RR_OP 74, sra, 0x002468ac, 0x12345678, 0x00000007
        TEST_RR_OP 75, sra, 0x000048d1, 0x12345678, 0x0000000e
        TEST_RR_OP 76, sra, 0x00000123, 0x12345678, 0x00000014
        TEST_RR_OP 77, sra, 0x00000000, 0x12345678, 0x0000001f
        TEST_RR_OP 78, sra, 0x12345678, 0x12345678, 0x00000020
        TEST_RR_OP 79, sra, 0x091a2b3c, 0x12345678, 0x00000021
        TEST_RR_OP 80, sra, 0x00000000, 0x12345678, 0x0000003f
        TEST_RR_OP 81, sra, 0x12345678, 0x12345678, 0xffffffe0
        TEST_RR_OP 82, sra, 0x091a2b3c, 0x12345678, 0xffffffe1
        TEST_RR_OP 83, sra, 0x00000000, 0x12345678, 0xffffffff
        TEST_RR_OP 84, sra, 0x00000123, 0x12345678, 0x12345674
        TEST_RR_OP 85, sra, 0x01234567, 0x12345678, 0x80000004
        TEST_RR_OP 86, sra, 0x87654321, 0x87654321, 0x00000000
        TEST_RR_OP 87, sra, 0xc3b2a190, 0x87654321, 0x00000001
        TEST_RR_OP 88, sra, 0xff0eca86, 0x87654321, 0x00000007
        TEST_RR_OP 89, sra, 0xfffe1d95, 0x87654321, 0x0000000e
        TEST_RR_OP 90, sra, 0xfffff876, 0x87654321, 0x00000014
        TEST_RR_OP 91, sra, 0xffffffff, 0x87654321, 0x0000001f
        TEST_RR_OP 92, sra, 0x87654321, 0x87654321, 0x00000020
        TEST_RR_OP 93, sra, 0xc3b2a190, 0x87654321, 0x00000021
        TEST_RR_OP 94, sra, 0xffffffff, 0x87654321, 0x0000003f
        TEST_RR_OP 95, sra, 0x87654321, 0x87654321, 0xffffffe0
        TEST_RR_OP 96, sra, 0xc3b2a190, 0x87654321, 0xffffffe1
        TEST_RR_OP 97, sra, 0xffffffff, 0x87654321, 0xffffffff
        TEST_RR_OP 98, sra, 0xfffff876, 0x87654321, 0x12345674
        TEST_RR_OP 99, sra, 0xf8765432, 0x87654321, 0x80000004
        TEST_RR_OP 100, sra, 0x21212121, 0x21212121, 0x00000000
        TEST_RR_OP 101, sra, 0x10909090, 0x21212121, 0x00000001
        TEST_RR_OP 102, sra, 0x00424242, 0x21212121, 0x00000007
        TEST_RR_OP 103, sra, 0x00008484, 0x21212121, 0x0000000e
        TEST_RR_OP 104, sra, 0x00000212, 0x21212121, 0x00000014
        TEST_RR_OP 105, sra, 0x00000000, 0x21212121, 0x0000001f
        TEST_RR_OP 106, sra, 0x21212121, 0x21212121, 0x00000020
        TEST_RR_OP 107, sra, 0x10909090, 0x21212121, 0x00000021
        TEST_RR_OP 108, sra, 0x00000000, 0x21212121, 0x0000003f
        TEST_RR_OP 109, sra, 0x21212121, 0x21212121, 0xffffffe0
        TEST_RR_OP 110, sra, 0x10909090, 0x21212121, 0xffffffe1
        TEST_RR_OP 111, sra, 0x00000000, 0x21212121, 0xffffffff
        TEST_RR_OP 112, sra, 0x00000212, 0x21212121, 0x12345674
        TEST_RR_OP 113, sra, 0x02121212, 0x21212121, 0x80000004

        # Source and destination registers overlapping, x0 as source and destination.
        TEST_RR_SRC1_EQ_DEST 114, sra, 0x000091a2, 0x12345678, 0x0000000d
        TEST_RR_SRC2_EQ_DEST 115, sra, 0x000091a2, 0x12345678, 0x0000000d
        TEST_RR_SRC12_EQ_DEST 116, sra, 0x00000012, 0x12345678
        TEST_RR_ZEROSRC1 117, sra, 0x00000000, 0x12345678
        TEST_RR_ZEROSRC2 118, sra, 0x12345678, 0x12345678
        TEST_RR_ZEROSRC12 119, sra, 0x00000000
        TEST_RR_ZERODEST 120, sra, 0x12345678, 0x0000000d
        RVTEST_CODE_END
