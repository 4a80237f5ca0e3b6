# beq: branch if rs1 == rs2
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n. Expected values are independent of the VM: they were computed from the RISC-V spec
# and the program is also run under qemu-riscv32 by vm/tests/conformance.rs.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        # Every pair of edge values (INT_MIN, INT_MAX, -1, 0, ...), taken or not, with the
        # branch going forwards and backwards.
        TEST_BR2_OP_TAKEN 2, beq, 0x00000000, 0x00000000
        TEST_BR2_OP_NOTTAKEN 3, beq, 0x00000000, 0x00000001
        TEST_BR2_OP_NOTTAKEN 4, beq, 0x00000000, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 5, beq, 0x00000000, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 6, beq, 0x00000000, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 7, beq, 0x00000000, 0x80000000
        TEST_BR2_OP_NOTTAKEN 8, beq, 0x00000000, 0x80000001
        TEST_BR2_OP_NOTTAKEN 9, beq, 0x00000000, 0x12345678
        TEST_BR2_OP_NOTTAKEN 10, beq, 0x00000001, 0x00000000
        TEST_BR2_OP_TAKEN 11, beq, 0x00000001, 0x00000001
        TEST_BR2_OP_NOTTAKEN 12, beq, 0x00000001, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 13, beq, 0x00000001, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 14, beq, 0x00000001, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 15, beq, 0x00000001, 0x80000000
        TEST_BR2_OP_NOTTAKEN 16, beq, 0x00000001, 0x80000001
        TEST_BR2_OP_NOTTAKEN 17, beq, 0x00000001, 0x12345678
        TEST_BR2_OP_NOTTAKEN 18, beq, 0xffffffff, 0x00000000
        TEST_BR2_OP_NOTTAKEN 19, beq, 0xffffffff, 0x00000001
        TEST_BR2_OP_TAKEN 20, beq, 0xffffffff, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 21, beq, 0xffffffff, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 22, beq, 0xffffffff, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 23, beq, 0xffffffff, 0x80000000
        TEST_BR2_OP_NOTTAKEN 24, beq, 0xffffffff, 0x80000001
        TEST_BR2_OP_NOTTAKEN 25, beq, 0xffffffff, 0x12345678
        TEST_BR2_OP_NOTTAKEN 26, beq, 0xfffffffe, 0x00000000
        TEST_BR2_OP_NOTTAKEN 27, beq, 0xfffffffe, 0x00000001
        TEST_BR2_OP_NOTTAKEN 28, beq, 0xfffffffe, 0xffffffff
        TEST_BR2_OP_TAKEN 29, beq, 0xfffffffe, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 30, beq, 0xfffffffe, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 31, beq, 0xfffffffe, 0x80000000
        TEST_BR2_OP_NOTTAKEN 32, beq, 0xfffffffe, 0x80000001
        TEST_BR2_OP_NOTTAKEN 33, beq, 0xfffffffe, 0x12345678
        TEST_BR2_OP_NOTTAKEN 34, beq, 0x7fffffff, 0x00000000
        TEST_BR2_OP_NOTTAKEN 35, beq, 0x7fffffff, 0x00000001
        TEST_BR2_OP_NOTTAKEN 36, beq, 0x7fffffff, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 37, beq, 0x7fffffff, 0xfffffffe
        TEST_BR2_OP_TAKEN 38, beq, 0x7fffffff, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 39, beq, 0x7fffffff, 0x80000000
        TEST_BR2_OP_NOTTAKEN 40, beq, 0x7fffffff, 0x80000001
        TEST_BR2_OP_NOTTAKEN 41, beq, 0x7fffffff, 0x12345678
        TEST_BR2_OP_NOTTAKEN 42, beq, 0x80000000, 0x00000000
        TEST_BR2_OP_NOTTAKEN 43, beq, 0x80000000, 0x00000001
        TEST_BR2_OP_NOTTAKEN 44, beq, 0x80000000, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 45, beq, 0x80000000, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 46, beq, 0x80000000, 0x7fffffff
        TEST_BR2_OP_TAKEN 47, beq, 0x80000000, 0x80000000
        TEST_BR2_OP_NOTTAKEN 48, beq, 0x80000000, 0x80000001
        TEST_BR2_OP_NOTTAKEN 49, beq, 0x80000000, 0x12345678
        TEST_BR2_OP_NOTTAKEN 50, beq, 0x80000001, 0x00000000
        TEST_BR2_OP_NOTTAKEN 51, beq, 0x80000001, 0x00000001
        TEST_BR2_OP_NOTTAKEN 52, beq, 0x80000001, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 53, beq, 0x80000001, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 54, beq, 0x80000001, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 55, beq, 0x80000001, 0x80000000
        TEST_BR2_OP_TAKEN 56, beq, 0x80000001, 0x80000001
        TEST_BR2_OP_NOTTAKEN 57, beq, 0x80000001, 0x12345678
        TEST_BR2_OP_NOTTAKEN 58, beq, 0x12345678, 0x00000000
        TEST_BR2_OP_NOTTAKEN 59, beq, 0x12345678, 0x00000001
        TEST_BR2_OP_NOTTAKEN 60, beq, 0x12345678, 0xffffffff
        TEST_BR2_OP_NOTTAKEN 61, beq, 0x12345678, 0xfffffffe
        TEST_BR2_OP_NOTTAKEN 62, beq, 0x12345678, 0x7fffffff
        TEST_BR2_OP_NOTTAKEN 63, beq, 0x12345678, 0x80000000
        TEST_BR2_OP_NOTTAKEN 64, beq, 0x12345678, 0x80000001
        TEST_BR2_OP_TAKEN 65, beq, 0x12345678, 0x12345678

        # Both operands the same register.
        TEST_BR1_SAME_TAKEN 66, beq, 0x00000000
        TEST_BR1_SAME_TAKEN 67, beq, 0x80000000
        TEST_BR1_SAME_TAKEN 68, beq, 0xffffffff

        # Comparisons against x0.
        TEST_BEGIN 69
        li x1, 0x00000000
        beq x1, x0, 1f
        j fail
1:
        TEST_BEGIN 70
        li x1, 0x00000000
        beq x0, x1, 1f
        j fail
1:
        TEST_BEGIN 71
        li x1, 0x00000001
        beq x1, x0, .Lbr_fail_71
        j 1f
.Lbr_fail_71:
        j fail
1:
        TEST_BEGIN 72
        li x1, 0x00000001
        beq x0, x1, .Lbr_fail_72
        j 1f
.Lbr_fail_72:
        j fail
1:
        TEST_BEGIN 73
        li x1, 0xffffffff
        beq x1, x0, .Lbr_fail_73
        j 1f
.Lbr_fail_73:
        j fail
1:
        TEST_BEGIN 74
        li x1, 0xffffffff
        beq x0, x1, .Lbr_fail_74
        j 1f
.Lbr_fail_74:
        j fail
1:
        TEST_BEGIN 75
        li x1, 0x80000000
        beq x1, x0, .Lbr_fail_75
        j 1f
.Lbr_fail_75:
        j fail
1:
        TEST_BEGIN 76
        li x1, 0x80000000
        beq x0, x1, .Lbr_fail_76
        j 1f
.Lbr_fail_76:
        j fail
1:

        # Long offsets: forwards over 3 KiB (immediate bits 11..5), then backwards.
        TEST_BEGIN 77
        li x1, 0x00000000
        li x2, 0x00000000
        li x14, 0
        beq x1, x2, .Lfar_fwd
        j fail
.Lfar_back:
        addi x14, x14, 1
        j .Lfar_done
        .skip 3000             # zero words: executing any would fault
.Lfar_fwd:
        addi x14, x14, 2
        beq x1, x2, .Lfar_back
        j fail
.Lfar_done:
        TEST_END x14, 3
        RVTEST_CODE_END
