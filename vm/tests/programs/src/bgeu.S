# bgeu: branch if unsigned rs1 >= unsigned rs2
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every pair of edge values (INT_MIN, INT_MAX, -1, 0, ...), taken or not, with the
        # branch going forwards and backwards.
        TEST_BR2_OP_TAKEN 2, bgeu, 0x00000000, 0x00000000
        TEST_BR2_OP_NOTTAKEN 3, bgeu, 0x00000000, 0x00000001
        TEST_BR2_OP_NOTTAKEN 4, bgeu, 0x00000000, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 5, bgeu, 0x00000000, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 6, bgeu, 0x00000000, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 7, bgeu, 0x00000000, 0x80000000
        TEST_BR2_OP_NOTTAKEN 8, bgeu, 0x00000000, 0x80000001
        TEST_BR2_OP_NOTTAKEN 9, bgeu, 0x00000000, 0x12345678
        TEST_BR2_OP_TAKEN 10, bgeu, 0x00000001, 0x00000000
        TEST_BR2_OP_TAKEN 11, bgeu, 0x00000001, 0x00000001
        TEST_BR2_OP_NOTTAKEN 12, bgeu, 0x00000001, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 13, bgeu, 0x00000001, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 14, bgeu, 0x00000001, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 15, bgeu, 0x00000001, 0x80000000
        TEST_BR2_OP_NOTTAKEN 16, bgeu, 0x00000001, 0x80000001
        TEST_BR2_OP_NOTTAKEN 17, bgeu, 0x00000001, 0x12345678
        TEST_BR2_OP_TAKEN 18, bgeu, 0xffffffff, 0x00000000
        TEST_BR2_OP_TAKEN 19, bgeu, 0xffffffff, 0x00000001
        TEST_BR2_OP_TAKEN 20, bgeu, 0xffffffff, 0xffffffff
        TEST_BR2_OP_TAKEN 21, bgeu, 0xffffffff, 0xfffffffe
        TEST_BR2_OP_TAKEN 22, bgeu, 0xffffffff, 0x7fffffff
        TEST_BR2_OP_TAKEN 23, bgeu, 0xffffffff, 0x80000000
        TEST_BR2_OP_TAKEN 24, bgeu, 0xffffffff, 0x80000001
        TEST_BR2_OP_TAKEN 25, bgeu, 0xffffffff, 0x12345678
        TEST_BR2_OP_TAKEN 26, bgeu, 0xfffffffe, 0x00000000
        TEST_BR2_OP_TAKEN 27, bgeu, 0xfffffffe, 0x00000001
        TEST_BR2_OP_NOTTAKEN 28, bgeu, 0xfffffffe, 0xffffffff
        TEST_BR2_OP_TAKEN 29, bgeu, 0xfffffffe, 0xfffffffe
        TEST_BR2_OP_TAKEN 30, bgeu, 0xfffffffe, 0x7fffffff
        TEST_BR2_OP_TAKEN 31, bgeu, 0xfffffffe, 0x80000000
        TEST_BR2_OP_TAKEN 32, bgeu, 0xfffffffe, 0x80000001
        TEST_BR2_OP_TAKEN 33, bgeu, 0xfffffffe, 0x12345678
        TEST_BR2_OP_TAKEN 34, bgeu, 0x7fffffff, 0x00000000
        TEST_BR2_OP_TAKEN 35, bgeu, 0x7fffffff, 0x00000001
        TEST_BR2_OP_NOTTAKEN 36, bgeu, 0x7fffffff, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 37, bgeu, 0x7fffffff, 0xfffffffe
        TEST_BR2_OP_TAKEN 38, bgeu, 0x7fffffff, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 39, bgeu, 0x7fffffff, 0x80000000
        TEST_BR2_OP_NOTTAKEN 40, bgeu, 0x7fffffff, 0x80000001
        TEST_BR2_OP_TAKEN 41, bgeu, 0x7fffffff, 0x12345678
        TEST_BR2_OP_TAKEN 42, bgeu, 0x80000000, 0x00000000
        TEST_BR2_OP_TAKEN 43, bgeu, 0x80000000, 0x00000001
        TEST_BR2_OP_NOTTAKEN 44, bgeu, 0x80000000, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 45, bgeu, 0x80000000, 0xfffffffe
        TEST_BR2_OP_TAKEN 46, bgeu, 0x80000000, 0x7fffffff
        TEST_BR2_OP_TAKEN 47, bgeu, 0x80000000, 0x80000000
        TEST_BR2_OP_NOTTAKEN 48, bgeu, 0x80000000, 0x80000001
        TEST_BR2_OP_TAKEN 49, bgeu, 0x80000000, 0x12345678
        TEST_BR2_OP_TAKEN 50, bgeu, 0x80000001, 0x00000000
        TEST_BR2_OP_TAKEN 51, bgeu, 0x80000001, 0x00000001
        TEST_BR2_OP_NOTTAKEN 52, bgeu, 0x80000001, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 53, bgeu, 0x80000001, 0xfffffffe
        TEST_BR2_OP_TAKEN 54, bgeu, 0x80000001, 0x7fffffff
        TEST_BR2_OP_TAKEN 55, bgeu, 0x80000001, 0x80000000
        TEST_BR2_OP_TAKEN 56, bgeu, 0x80000001, 0x80000001
        TEST_BR2_OP_TAKEN 57, bgeu, 0x80000001, 0x12345678
        TEST_BR2_OP_TAKEN 58, bgeu, 0x12345678, 0x00000000
        TEST_BR2_OP_TAKEN 59, bgeu, 0x12345678, 0x00000001
        TEST_BR2_OP_NOTTAKEN 60, bgeu, 0x12345678, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 61, bgeu, 0x12345678, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 62, bgeu, 0x12345678, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 63, bgeu, 0x12345678, 0x80000000
        TEST_BR2_OP_NOTTAKEN 64, bgeu, 0x12345678, 0x80000001
        TEST_BR2_OP_TAKEN 65, bgeu, 0x12345678, 0x12345678

        # Both operands the same register.
        TEST_BR1_SAME_TAKEN 66, bgeu, 0x00000000
        TEST_BR1_SAME_TAKEN 67, bgeu, 0x80000000
        TEST_BR1_SAME_TAKEN 68, bgeu, 0xffffffff

        # Comparisons against x0.
        TEST_BEGIN 69
        li x1, 0x00000000
        bgeu x1, x0, 1f
        j fail
1:
        TEST_BEGIN 70
        li x1, 0x00000000
        bgeu x0, x1, 1f
        j fail
1:
        TEST_BEGIN 71
        li x1, 0x00000001
        bgeu x1, x0, 1f
        j fail
1:
        TEST_BEGIN 72
        li x1, 0x00000001
        bgeu x0, x1, .Lbr_fail_72
        j 1f
.Lbr_fail_72:
        j fail
1:
        TEST_BEGIN 73
        li x1, 0xffffffff
        bgeu x1, x0, 1f
        j fail
1:
        TEST_BEGIN 74
        li x1, 0xffffffff
        bgeu x0, x1, .Lbr_fail_74
        j 1f
.Lbr_fail_74:
        j fail
1:
        TEST_BEGIN 75
        li x1, 0x80000000
        bgeu x1, x0, 1f
        j fail
1:
        TEST_BEGIN 76
        li x1, 0x80000000
        bgeu x0, x1, .Lbr_fail_76
        j 1f
.Lbr_fail_76:
        j fail
1:

        # Long offsets: forwards over 3 KiB (immediate bits 11..5), then backwards.
        TEST_BEGIN 77
        li x1, 0x00000000
        li x2, 0x00000000
        li x14, 0
        bgeu x1, x2, .Lfar_fwd
        j fail
.Lfar_back:
        addi x14, x14, 1
        j .Lfar_done
        .skip 3000             # zero words: executing any would fault
.Lfar_fwd:
        addi x14, x14, 2
        bgeu x1, x2, .Lfar_back
        j fail
.Lfar_done:
        TEST_END x14, 3
        RVTEST_CODE_END
