# bne: branch if rs1 != rs2
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every pair of edge values (INT_MIN, INT_MAX, -1, 0, ...), taken or not, with the
        # branch going forwards and backwards.
        TEST_BR2_OP_NOTTAKEN 2, bne, 0x00000000, 0x00000000
        TEST_BR2_OP_TAKEN 3, bne, 0x00000000, 0x00000001
        TEST_BR2_OP_TAKEN 4, bne, 0x00000000, 0xffffffff
        TEST_BR2_OP_TAKEN 5, bne, 0x00000000, 0xfffffffe
        TEST_BR2_OP_TAKEN 6, bne, 0x00000000, 0x7fffffff
        TEST_BR2_OP_TAKEN 7, bne, 0x00000000, 0x80000000
        TEST_BR2_OP_TAKEN 8, bne, 0x00000000, 0x80000001
        TEST_BR2_OP_TAKEN 9, bne, 0x00000000, 0x12345678
        TEST_BR2_OP_TAKEN 10, bne, 0x00000001, 0x00000000
        TEST_BR2_OP_NOTTAKEN 11, bne, 0x00000001, 0x00000001
        TEST_BR2_OP_TAKEN 12, bne, 0x00000001, 0xffffffff
        TEST_BR2_OP_TAKEN 13, bne, 0x00000001, 0xfffffffe
        TEST_BR2_OP_TAKEN 14, bne, 0x00000001, 0x7fffffff
        TEST_BR2_OP_TAKEN 15, bne, 0x00000001, 0x80000000
        TEST_BR2_OP_TAKEN 16, bne, 0x00000001, 0x80000001
        TEST_BR2_OP_TAKEN 17, bne, 0x00000001, 0x12345678
        TEST_BR2_OP_TAKEN 18, bne, 0xffffffff, 0x00000000
        TEST_BR2_OP_TAKEN 19, bne, 0xffffffff, 0x00000001
        TEST_BR2_OP_NOTTAKEN 20, bne, 0xffffffff, 0xffffffff
        TEST_BR2_OP_TAKEN 21, bne, 0xffffffff, 0xfffffffe
        TEST_BR2_OP_TAKEN 22, bne, 0xffffffff, 0x7fffffff
        TEST_BR2_OP_TAKEN 23, bne, 0xffffffff, 0x80000000
        TEST_BR2_OP_TAKEN 24, bne, 0xffffffff, 0x80000001
        TEST_BR2_OP_TAKEN 25, bne, 0xffffffff, 0x12345678
        TEST_BR2_OP_TAKEN 26, bne, 0xfffffffe, 0x00000000
        TEST_BR2_OP_TAKEN 27, bne, 0xfffffffe, 0x00000001
        TEST_BR2_OP_TAKEN 28, bne, 0xfffffffe, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 29, bne, 0xfffffffe, 0xfffffffe
        TEST_BR2_OP_TAKEN 30, bne, 0xfffffffe, 0x7fffffff
        TEST_BR2_OP_TAKEN 31, bne, 0xfffffffe, 0x80000000
        TEST_BR2_OP_TAKEN 32, bne, 0xfffffffe, 0x80000001
        TEST_BR2_OP_TAKEN 33, bne, 0xfffffffe, 0x12345678
        TEST_BR2_OP_TAKEN 34, bne, 0x7fffffff, 0x00000000
        TEST_BR2_OP_TAKEN 35, bne, 0x7fffffff, 0x00000001
        TEST_BR2_OP_TAKEN 36, bne, 0x7fffffff, 0xffffffff
        TEST_BR2_OP_TAKEN 37, bne, 0x7fffffff, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 38, bne, 0x7fffffff, 0x7fffffff
        TEST_BR2_OP_TAKEN 39, bne, 0x7fffffff, 0x80000000
        TEST_BR2_OP_TAKEN 40, bne, 0x7fffffff, 0x80000001
        TEST_BR2_OP_TAKEN 41, bne, 0x7fffffff, 0x12345678
        TEST_BR2_OP_TAKEN 42, bne, 0x80000000, 0x00000000
        TEST_BR2_OP_TAKEN 43, bne, 0x80000000, 0x00000001
        TEST_BR2_OP_TAKEN 44, bne, 0x80000000, 0xffffffff
        TEST_BR2_OP_TAKEN 45, bne, 0x80000000, 0xfffffffe
        TEST_BR2_OP_TAKEN 46, bne, 0x80000000, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 47, bne, 0x80000000, 0x80000000
        TEST_BR2_OP_TAKEN 48, bne, 0x80000000, 0x80000001
        TEST_BR2_OP_TAKEN 49, bne, 0x80000000, 0x12345678
        TEST_BR2_OP_TAKEN 50, bne, 0x80000001, 0x00000000
        TEST_BR2_OP_TAKEN 51, bne, 0x80000001, 0x00000001
        TEST_BR2_OP_TAKEN 52, bne, 0x80000001, 0xffffffff
        TEST_BR2_OP_TAKEN 53, bne, 0x80000001, 0xfffffffe
        TEST_BR2_OP_TAKEN 54, bne, 0x80000001, 0x7fffffff
        TEST_BR2_OP_TAKEN 55, bne, 0x80000001, 0x80000000
        TEST_BR2_OP_NOTTAKEN 56, bne, 0x80000001, 0x80000001
        TEST_BR2_OP_TAKEN 57, bne, 0x80000001, 0x12345678
        TEST_BR2_OP_TAKEN 58, bne, 0x12345678, 0x00000000
        TEST_BR2_OP_TAKEN 59, bne, 0x12345678, 0x00000001
        TEST_BR2_OP_TAKEN 60, bne, 0x12345678, 0xffffffff
        TEST_BR2_OP_TAKEN 61, bne, 0x12345678, 0xfffffffe
        TEST_BR2_OP_TAKEN 62, bne, 0x12345678, 0x7fffffff
        TEST_BR2_OP_TAKEN 63, bne, 0x12345678, 0x80000000
        TEST_BR2_OP_TAKEN 64, bne, 0x12345678, 0x80000001
        TEST_BR2_OP_NOTTAKEN 65, bne, 0x12345678, 0x12345678

        # Both operands the same register.
        TEST_BR1_SAME_NOTTAKEN 66, bne, 0x00000000
        TEST_BR1_SAME_NOTTAKEN 67, bne, 0x80000000
        TEST_BR1_SAME_NOTTAKEN 68, bne, 0xffffffff

        # Comparisons against x0.
        TEST_BEGIN 69
        li x1, 0x00000000
        bne x1, x0, .Lbr_fail_69
        j 1f
.Lbr_fail_69:
        j fail
1:
        TEST_BEGIN 70
        li x1, 0x00000000
        bne x0, x1, .Lbr_fail_70
        j 1f
.Lbr_fail_70:
        j fail
1:
        TEST_BEGIN 71
        li x1, 0x00000001
        bne x1, x0, 1f
        j fail
1:
        TEST_BEGIN 72
        li x1, 0x00000001
        bne x0, x1, 1f
        j fail
1:
        TEST_BEGIN 73
        li x1, 0xffffffff
        bne x1, x0, 1f
        j fail
1:
        TEST_BEGIN 74
        li x1, 0xffffffff
        bne x0, x1, 1f
        j fail
1:
        TEST_BEGIN 75
        li x1, 0x80000000
        bne x1, x0, 1f
        j fail
1:
        TEST_BEGIN 76
        li x1, 0x80000000
        bne x0, x1, 1f
        j fail
1:

        # Long offsets: forwards over 3 KiB (immediate bits 11..5), then backwards.
        TEST_BEGIN 77
        li x1, 0x00000000
        li x2, 0x00000001
        li x14, 0
        bne x1, x2, .Lfar_fwd
        j fail
.Lfar_back:
        addi x14, x14, 1
        j .Lfar_done
        .skip 3000             # zero words: executing any would fault
.Lfar_fwd:
        addi x14, x14, 2
        bne x1, x2, .Lfar_back
        j fail
.Lfar_done:
        TEST_END x14, 3
        RVTEST_CODE_END
