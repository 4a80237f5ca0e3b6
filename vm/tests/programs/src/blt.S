# blt: branch if signed rs1 < signed rs2
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every pair of edge values (INT_MIN, INT_MAX, -1, 0, ...), taken or not, with the
        # branch going forwards and backwards.
        TEST_BR2_OP_NOTTAKEN 2, blt, 0x00000000, 0x00000000
        TEST_BR2_OP_TAKEN 3, blt, 0x00000000, 0x00000001
        TEST_BR2_OP_NOTTAKEN 4, blt, 0x00000000, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 5, blt, 0x00000000, 0xfffffffe
        TEST_BR2_OP_TAKEN 6, blt, 0x00000000, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 7, blt, 0x00000000, 0x80000000
        TEST_BR2_OP_NOTTAKEN 8, blt, 0x00000000, 0x80000001
        TEST_BR2_OP_TAKEN 9, blt, 0x00000000, 0x12345678
        TEST_BR2_OP_NOTTAKEN 10, blt, 0x00000001, 0x00000000
        TEST_BR2_OP_NOTTAKEN 11, blt, 0x00000001, 0x00000001
        TEST_BR2_OP_NOTTAKEN 12, blt, 0x00000001, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 13, blt, 0x00000001, 0xfffffffe
        TEST_BR2_OP_TAKEN 14, blt, 0x00000001, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 15, blt, 0x00000001, 0x80000000
        TEST_BR2_OP_NOTTAKEN 16, blt, 0x00000001, 0x80000001
        TEST_BR2_OP_TAKEN 17, blt, 0x00000001, 0x12345678
        TEST_BR2_OP_TAKEN 18, blt, 0xffffffff, 0x00000000
        TEST_BR2_OP_TAKEN 19, blt, 0xffffffff, 0x00000001
        TEST_BR2_OP_NOTTAKEN 20, blt, 0xffffffff, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 21, blt, 0xffffffff, 0xfffffffe
        TEST_BR2_OP_TAKEN 22, blt, 0xffffffff, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 23, blt, 0xffffffff, 0x80000000
        TEST_BR2_OP_NOTTAKEN 24, blt, 0xffffffff, 0x80000001
        TEST_BR2_OP_TAKEN 25, blt, 0xffffffff, 0x12345678
        TEST_BR2_OP_TAKEN 26, blt, 0xfffffffe, 0x00000000
        TEST_BR2_OP_TAKEN 27, blt, 0xfffffffe, 0x00000001
        TEST_BR2_OP_TAKEN 28, blt, 0xfffffffe, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 29, blt, 0xfffffffe, 0xfffffffe
        TEST_BR2_OP_TAKEN 30, blt, 0xfffffffe, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 31, blt, 0xfffffffe, 0x80000000
        TEST_BR2_OP_NOTTAKEN 32, blt, 0xfffffffe, 0x80000001
        TEST_BR2_OP_TAKEN 33, blt, 0xfffffffe, 0x12345678
        TEST_BR2_OP_NOTTAKEN 34, blt, 0x7fffffff, 0x00000000
        TEST_BR2_OP_NOTTAKEN 35, blt, 0x7fffffff, 0x00000001
        TEST_BR2_OP_NOTTAKEN 36, blt, 0x7fffffff, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 37, blt, 0x7fffffff, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 38, blt, 0x7fffffff, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 39, blt, 0x7fffffff, 0x80000000
        TEST_BR2_OP_NOTTAKEN 40, blt, 0x7fffffff, 0x80000001
        TEST_BR2_OP_NOTTAKEN 41, blt, 0x7fffffff, 0x12345678
        TEST_BR2_OP_TAKEN 42, blt, 0x80000000, 0x00000000
        TEST_BR2_OP_TAKEN 43, blt, 0x80000000, 0x00000001
        TEST_BR2_OP_TAKEN 44, blt, 0x80000000, 0xffffffff
        TEST_BR2_OP_TAKEN 45, blt, 0x80000000, 0xfffffffe
        TEST_BR2_OP_TAKEN 46, blt, 0x80000000, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 47, blt, 0x80000000, 0x80000000
        TEST_BR2_OP_TAKEN 48, blt, 0x80000000, 0x80000001
        TEST_BR2_OP_TAKEN 49, blt, 0x80000000, 0x12345678
        TEST_BR2_OP_TAKEN 50, blt, 0x80000001, 0x00000000
        TEST_BR2_OP_TAKEN 51, blt, 0x80000001, 0x00000001
        TEST_BR2_OP_TAKEN 52, blt, 0x80000001, 0xffffffff
        TEST_BR2_OP_TAKEN 53, blt, 0x80000001, 0xfffffffe
        TEST_BR2_OP_TAKEN 54, blt, 0x80000001, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 55, blt, 0x80000001, 0x80000000
        TEST_BR2_OP_NOTTAKEN 56, blt, 0x80000001, 0x80000001
        TEST_BR2_OP_TAKEN 57, blt, 0x80000001, 0x12345678
        TEST_BR2_OP_NOTTAKEN 58, blt, 0x12345678, 0x00000000
        TEST_BR2_OP_NOTTAKEN 59, blt, 0x12345678, 0x00000001
        TEST_BR2_OP_NOTTAKEN 60, blt, 0x12345678, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 61, blt, 0x12345678, 0xfffffffe
        TEST_BR2_OP_TAKEN 62, blt, 0x12345678, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 63, blt, 0x12345678, 0x80000000
        TEST_BR2_OP_NOTTAKEN 64, blt, 0x12345678, 0x80000001
        TEST_BR2_OP_NOTTAKEN 65, blt, 0x12345678, 0x12345678

        # Both operands the same register.
        TEST_BR1_SAME_NOTTAKEN 66, blt, 0x00000000
        TEST_BR1_SAME_NOTTAKEN 67, blt, 0x80000000
        TEST_BR1_SAME_NOTTAKEN 68, blt, 0xffffffff

        # Comparisons against x0.
        TEST_BEGIN 69
        li x1, 0x00000000
        blt x1, x0, .Lbr_fail_69
        j 1f
.Lbr_fail_69:
        j fail
1:
        TEST_BEGIN 70
        li x1, 0x00000000
        blt x0, x1, .Lbr_fail_70
        j 1f
.Lbr_fail_70:
        j fail
1:
        TEST_BEGIN 71
        li x1, 0x00000001
        blt x1, x0, .Lbr_fail_71
        j 1f
.Lbr_fail_71:
        j fail
1:
        TEST_BEGIN 72
        li x1, 0x00000001
        blt x0, x1, 1f
        j fail
1:
        TEST_BEGIN 73
        li x1, 0xffffffff
        blt x1, x0, 1f
        j fail
1:
        TEST_BEGIN 74
        li x1, 0xffffffff
        blt x0, x1, .Lbr_fail_74
        j 1f
.Lbr_fail_74:
        j fail
1:
        TEST_BEGIN 75
        li x1, 0x80000000
        blt x1, x0, 1f
        j fail
1:
        TEST_BEGIN 76
        li x1, 0x80000000
        blt x0, x1, .Lbr_fail_76
        j 1f
.Lbr_fail_76:
        j fail
1:

        # Long offsets: forwards over 3 KiB (immediate bits 11..5), then backwards.
        TEST_BEGIN 77
        li x1, 0x00000000
        li x2, 0x00000001
        li x14, 0
        blt x1, x2, .Lfar_fwd
        j fail
.Lfar_back:
        addi x14, x14, 1
        j .Lfar_done
        .skip 3000             # zero words: executing any would fault
.Lfar_fwd:
        addi x14, x14, 2
        blt x1, x2, .Lfar_back
        j fail
.Lfar_done:
        TEST_END x14, 3
        RVTEST_CODE_END
