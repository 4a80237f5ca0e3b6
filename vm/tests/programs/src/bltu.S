# bltu: branch if unsigned rs1 < unsigned rs2
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every pair of edge values (INT_MIN, INT_MAX, -1, 0, ...), taken or not, with the
        # branch going forwards and backwards.
        TEST_BR2_OP_NOTTAKEN 2, bltu, 0x00000000, 0x00000000
        TEST_BR2_OP_TAKEN 3, bltu, 0x00000000, 0x00000001
        TEST_BR2_OP_TAKEN 4, bltu, 0x00000000, 0xffffffff
        TEST_BR2_OP_TAKEN 5, bltu, 0x00000000, 0xfffffffe
        TEST_BR2_OP_TAKEN 6, bltu, 0x00000000, 0x7fffffff
        TEST_BR2_OP_TAKEN 7, bltu, 0x00000000, 0x80000000
        TEST_BR2_OP_TAKEN 8, bltu, 0x00000000, 0x80000001
        TEST_BR2_OP_TAKEN 9, bltu, 0x00000000, 0x12345678
        TEST_BR2_OP_NOTTAKEN 10, bltu, 0x00000001, 0x00000000
        TEST_BR2_OP_NOTTAKEN 11, bltu, 0x00000001, 0x00000001
        TEST_BR2_OP_TAKEN 12, bltu, 0x00000001, 0xffffffff
        TEST_BR2_OP_TAKEN 13, bltu, 0x00000001, 0xfffffffe
        TEST_BR2_OP_TAKEN 14, bltu, 0x00000001, 0x7fffffff
        TEST_BR2_OP_TAKEN 15, bltu, 0x00000001, 0x80000000
        TEST_BR2_OP_TAKEN 16, bltu, 0x00000001, 0x80000001
        TEST_BR2_OP_TAKEN 17, bltu, 0x00000001, 0x12345678
        TEST_BR2_OP_NOTTAKEN 18, bltu, 0xffffffff, 0x00000000
        TEST_BR2_OP_NOTTAKEN 19, bltu, 0xffffffff, 0x00000001
        TEST_BR2_OP_NOTTAKEN 20, bltu, 0xffffffff, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 21, bltu, 0xffffffff, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 22, bltu, 0xffffffff, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 23, bltu, 0xffffffff, 0x80000000
        TEST_BR2_OP_NOTTAKEN 24, bltu, 0xffffffff, 0x80000001
        TEST_BR2_OP_NOTTAKEN 25, bltu, 0xffffffff, 0x12345678
        TEST_BR2_OP_NOTTAKEN 26, bltu, 0xfffffffe, 0x00000000
        TEST_BR2_OP_NOTTAKEN 27, bltu, 0xfffffffe, 0x00000001
        TEST_BR2_OP_TAKEN 28, bltu, 0xfffffffe, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 29, bltu, 0xfffffffe, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 30, bltu, 0xfffffffe, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 31, bltu, 0xfffffffe, 0x80000000
        TEST_BR2_OP_NOTTAKEN 32, bltu, 0xfffffffe, 0x80000001
        TEST_BR2_OP_NOTTAKEN 33, bltu, 0xfffffffe, 0x12345678
        TEST_BR2_OP_NOTTAKEN 34, bltu, 0x7fffffff, 0x00000000
        TEST_BR2_OP_NOTTAKEN 35, bltu, 0x7fffffff, 0x00000001
        TEST_BR2_OP_TAKEN 36, bltu, 0x7fffffff, 0xffffffff
        TEST_BR2_OP_TAKEN 37, bltu, 0x7fffffff, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 38, bltu, 0x7fffffff, 0x7fffffff
        TEST_BR2_OP_TAKEN 39, bltu, 0x7fffffff, 0x80000000
        TEST_BR2_OP_TAKEN 40, bltu, 0x7fffffff, 0x80000001
        TEST_BR2_OP_NOTTAKEN 41, bltu, 0x7fffffff, 0x12345678
        TEST_BR2_OP_NOTTAKEN 42, bltu, 0x80000000, 0x00000000
        TEST_BR2_OP_NOTTAKEN 43, bltu, 0x80000000, 0x00000001
        TEST_BR2_OP_TAKEN 44, bltu, 0x80000000, 0xffffffff
        TEST_BR2_OP_TAKEN 45, bltu, 0x80000000, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 46, bltu, 0x80000000, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 47, bltu, 0x80000000, 0x80000000
        TEST_BR2_OP_TAKEN 48, bltu, 0x80000000, 0x80000001
        TEST_BR2_OP_NOTTAKEN 49, bltu, 0x80000000, 0x12345678
        TEST_BR2_OP_NOTTAKEN 50, bltu, 0x80000001, 0x00000000
        TEST_BR2_OP_NOTTAKEN 51, bltu, 0x80000001, 0x00000001
        TEST_BR2_OP_TAKEN 52, bltu, 0x80000001, 0xffffffff
        TEST_BR2_OP_TAKEN 53, bltu, 0x80000001, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 54, bltu, 0x80000001, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 55, bltu, 0x80000001, 0x80000000
        TEST_BR2_OP_NOTTAKEN 56, bltu, 0x80000001, 0x80000001
        TEST_BR2_OP_NOTTAKEN 57, bltu, 0x80000001, 0x12345678
        TEST_BR2_OP_NOTTAKEN 58, bltu, 0x12345678, 0x00000000
        TEST_BR2_OP_NOTTAKEN 59, bltu, 0x12345678, 0x00000001
        TEST_BR2_OP_TAKEN 60, bltu, 0x12345678, 0xffffffff
        TEST_BR2_OP_TAKEN 61, bltu, 0x12345678, 0xfffffffe
        TEST_BR2_OP_TAKEN 62, bltu, 0x12345678, 0x7fffffff
        TEST_BR2_OP_TAKEN 63, bltu, 0x12345678, 0x80000000
        TEST_BR2_OP_TAKEN 64, bltu, 0x12345678, 0x80000001
        TEST_BR2_OP_NOTTAKEN 65, bltu, 0x12345678, 0x12345678

        # Both operands the same register.
        TEST_BR1_SAME_NOTTAKEN 66, bltu, 0x00000000
        TEST_BR1_SAME_NOTTAKEN 67, bltu, 0x80000000
        TEST_BR1_SAME_NOTTAKEN 68, bltu, 0xffffffff

        # Comparisons against x0.
        TEST_BEGIN 69
        li x1, 0x00000000
        bltu x1, x0, .Lbr_fail_69
        j 1f
.Lbr_fail_69:
        j fail
1:
        TEST_BEGIN 70
        li x1, 0x00000000
        bltu x0, x1, .Lbr_fail_70
        j 1f
.Lbr_fail_70:
        j fail
1:
        TEST_BEGIN 71
        li x1, 0x00000001
        bltu x1, x0, .Lbr_fail_71
        j 1f
.Lbr_fail_71:
        j fail
1:
        TEST_BEGIN 72
        li x1, 0x00000001
        bltu x0, x1, 1f
        j fail
1:
        TEST_BEGIN 73
        li x1, 0xffffffff
        bltu x1, x0, .Lbr_fail_73
        j 1f
.Lbr_fail_73:
        j fail
1:
        TEST_BEGIN 74
        li x1, 0xffffffff
        bltu x0, x1, 1f
        j fail
1:
        TEST_BEGIN 75
        li x1, 0x80000000
        bltu x1, x0, .Lbr_fail_75
        j 1f
.Lbr_fail_75:
        j fail
1:
        TEST_BEGIN 76
        li x1, 0x80000000
        bltu x0, x1, 1f
        j fail
1:

        # Long offsets: forwards over 3 KiB (immediate bits 11..5), then backwards.
        TEST_BEGIN 77
        li x1, 0x00000000
        li x2, 0x00000001
        li x14, 0
        bltu x1, x2, .Lfar_fwd
        j fail
.Lfar_back:
        addi x14, x14, 1
        j .Lfar_done
        .skip 3000             # zero words: executing any would fault
.Lfar_fwd:
        addi x14, x14, 2
        bltu x1, x2, .Lfar_back
        j fail
.Lfar_done:
        TEST_END x14, 3
        RVTEST_CODE_END
