# bge: branch if signed rs1 >= signed rs2
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every pair of edge values (INT_MIN, INT_MAX, -1, 0, ...), taken or not, with the
        # branch going forwards and backwards.
        TEST_BR2_OP_TAKEN 2, bge, 0x00000000, 0x00000000
        TEST_BR2_OP_NOTTAKEN 3, bge, 0x00000000, 0x00000001
        TEST_BR2_OP_TAKEN 4, bge, 0x00000000, 0xffffffff
        TEST_BR2_OP_TAKEN 5, bge, 0x00000000, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 6, bge, 0x00000000, 0x7fffffff
        TEST_BR2_OP_TAKEN 7, bge, 0x00000000, 0x80000000
        TEST_BR2_OP_TAKEN 8, bge, 0x00000000, 0x80000001
        TEST_BR2_OP_NOTTAKEN 9, bge, 0x00000000, 0x12345678
        TEST_BR2_OP_TAKEN 10, bge, 0x00000001, 0x00000000
        TEST_BR2_OP_TAKEN 11, bge, 0x00000001, 0x00000001
        TEST_BR2_OP_TAKEN 12, bge, 0x00000001, 0xffffffff
        TEST_BR2_OP_TAKEN 13, bge, 0x00000001, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 14, bge, 0x00000001, 0x7fffffff
        TEST_BR2_OP_TAKEN 15, bge, 0x00000001, 0x80000000
        TEST_BR2_OP_TAKEN 16, bge, 0x00000001, 0x80000001
        TEST_BR2_OP_NOTTAKEN 17, bge, 0x00000001, 0x12345678
        TEST_BR2_OP_NOTTAKEN 18, bge, 0xffffffff, 0x00000000
        TEST_BR2_OP_NOTTAKEN 19, bge, 0xffffffff, 0x00000001
        TEST_BR2_OP_TAKEN 20, bge, 0xffffffff, 0xffffffff
        TEST_BR2_OP_TAKEN 21, bge, 0xffffffff, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 22, bge, 0xffffffff, 0x7fffffff
        TEST_BR2_OP_TAKEN 23, bge, 0xffffffff, 0x80000000
        TEST_BR2_OP_TAKEN 24, bge, 0xffffffff, 0x80000001
        TEST_BR2_OP_NOTTAKEN 25, bge, 0xffffffff, 0x12345678
        TEST_BR2_OP_NOTTAKEN 26, bge, 0xfffffffe, 0x00000000
        TEST_BR2_OP_NOTTAKEN 27, bge, 0xfffffffe, 0x00000001
        TEST_BR2_OP_NOTTAKEN 28, bge, 0xfffffffe, 0xffffffff
        TEST_BR2_OP_TAKEN 29, bge, 0xfffffffe, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 30, bge, 0xfffffffe, 0x7fffffff
        TEST_BR2_OP_TAKEN 31, bge, 0xfffffffe, 0x80000000
        TEST_BR2_OP_TAKEN 32, bge, 0xfffffffe, 0x80000001
        TEST_BR2_OP_NOTTAKEN 33, bge, 0xfffffffe, 0x12345678
        TEST_BR2_OP_TAKEN 34, bge, 0x7fffffff, 0x00000000
        TEST_BR2_OP_TAKEN 35, bge, 0x7fffffff, 0x00000001
        TEST_BR2_OP_TAKEN 36, bge, 0x7fffffff, 0xffffffff
        TEST_BR2_OP_TAKEN 37, bge, 0x7fffffff, 0xfffffffe
        TEST_BR2_OP_TAKEN 38, bge, 0x7fffffff, 0x7fffffff
        TEST_BR2_OP_TAKEN 39, bge, 0x7fffffff, 0x80000000
        TEST_BR2_OP_TAKEN 40, bge, 0x7fffffff, 0x80000001
        TEST_BR2_OP_TAKEN 41, bge, 0x7fffffff, 0x12345678
        TEST_BR2_OP_NOTTAKEN 42, bge, 0x80000000, 0x00000000
        TEST_BR2_OP_NOTTAKEN 43, bge, 0x80000000, 0x00000001
        TEST_BR2_OP_NOTTAKEN 44, bge, 0x80000000, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 45, bge, 0x80000000, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 46, bge, 0x80000000, 0x7fffffff
        TEST_BR2_OP_TAKEN 47, bge, 0x80000000, 0x80000000
        TEST_BR2_OP_NOTTAKEN 48, bge, 0x80000000, 0x80000001
        TEST_BR2_OP_NOTTAKEN 49, bge, 0x80000000, 0x12345678
        TEST_BR2_OP_NOTTAKEN 50, bge, 0x80000001, 0x00000000
        TEST_BR2_OP_NOTTAKEN 51, bge, 0x80000001, 0x00000001
        TEST_BR2_OP_NOTTAKEN 52, bge, 0x80000001, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 53, bge, 0x80000001, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 54, bge, 0x80000001, 0x7fffffff
        TEST_BR2_OP_TAKEN 55, bge, 0x80000001, 0x80000000
        TEST_BR2_OP_TAKEN 56, bge, 0x80000001, 0x80000001
        TEST_BR2_OP_NOTTAKEN 57, bge, 0x80000001, 0x12345678
        TEST_BR2_OP_TAKEN 58, bge, 0x12345678, 0x00000000
        TEST_BR2_OP_TAKEN 59, bge, 0x12345678, 0x00000001
        TEST_BR2_OP_TAKEN 60, bge, 0x12345678, 0xffffffff
        TEST_BR2_OP_TAKEN 61, bge, 0x12345678, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 62, bge, 0x12345678, 0x7fffffff
        TEST_BR2_OP_TAKEN 63, bge, 0x12345678, 0x80000000
        TEST_BR2_OP_TAKEN 64, bge, 0x12345678, 0x80000001
        TEST_BR2_OP_TAKEN 65, bge, 0x12345678, 0x12345678

        # Both operands the same register.
        TEST_BR1_SAME_TAKEN 66, bge, 0x00000000
        TEST_BR1_SAME_TAKEN 67, bge, 0x80000000
        TEST_BR1_SAME_TAKEN 68, bge, 0xffffffff

        # Comparisons against x0.
        TEST_BEGIN 69
        li x1, 0x00000000
        bge x1, x0, 1f
        j fail
1:
        TEST_BEGIN 70
        li x1, 0x00000000
        bge x0, x1, 1f
        j fail
1:
        TEST_BEGIN 71
        li x1, 0x00000001
        bge x1, x0, 1f
        j fail
1:
        TEST_BEGIN 72
        li x1, 0x00000001
        bge x0, x1, .Lbr_fail_72
        j 1f
.Lbr_fail_72:
        j fail
1:
        TEST_BEGIN 73
        li x1, 0xffffffff
        bge x1, x0, .Lbr_fail_73
        j 1f
.Lbr_fail_73:
        j fail
1:
        TEST_BEGIN 74
        li x1, 0xffffffff
        bge x0, x1, 1f
        j fail
1:
        TEST_BEGIN 75
        li x1, 0x80000000
        bge x1, x0, .Lbr_fail_75
        j 1f
.Lbr_fail_75:
        j fail
1:
        TEST_BEGIN 76
        li x1, 0x80000000
        bge x0, x1, 1f
        j fail
1:

        # Long offsets: forwards over 3 KiB (immediate bits 11..5), then backwards.
        TEST_BEGIN 77
        li x1, 0x00000000
        li x2, 0x00000000
        li x14, 0
        bge x1, x2, .Lfar_fwd
        j fail
.Lfar_back:
        addi x14, x14, 1
        j .Lfar_done
        .skip 3000             # zero words: executing any would fault
.Lfar_fwd:
        addi x14, x14, 2
        bge x1, x2, .Lfar_back
        j fail
.Lfar_done:
        TEST_END x14, 3
        RVTEST_CODE_END
