# fence and fence.i are no-ops: every variant leaves registers and memory alone and execution
# continues with the next instruction.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        .option arch, +zifencei, +zihintpause  # fence.i, pause (otherwise plain rv32im)
        RVTEST_CODE_BEGIN

        # Each variant runs between two increments; the counter shows none was skipped or
        # repeated, and x1/x2 and a stored word are unchanged.
        li x1, 0x12345678
        li x2, 0x9abcdef0
        la x8, word
        sw x1, 0(x8)
        li x14, 0

        TEST_BEGIN 2
        addi x14, x14, 1
        fence
        addi x14, x14, 1
        TEST_END x14, 2

        TEST_BEGIN 3
        fence rw, rw
        addi x14, x14, 1
        fence iorw, iorw
        addi x14, x14, 1
        fence r, w
        addi x14, x14, 1
        fence w, r
        addi x14, x14, 1
        fence i, o
        addi x14, x14, 1
        TEST_END x14, 7

        TEST_BEGIN 4
        fence.tso
        addi x14, x14, 1
        pause                   # fence w, 0 (Zihintpause hint)
        addi x14, x14, 1
        TEST_END x14, 9

        TEST_BEGIN 5
        fence.i
        addi x14, x14, 1
        fence.i
        fence.i
        addi x14, x14, 1
        TEST_END x14, 11

        TEST_BEGIN 6
        li x7, 0x12345678
        CHECK_EQ x1, x7
        li x7, 0x9abcdef0
        CHECK_EQ x2, x7
        lw x15, 0(x8)
        CHECK_EQ x15, x1

        # A store then a fence then a load sees the store.
        TEST_BEGIN 7
        li x2, 0x0f0f0f0f
        sw x2, 0(x8)
        fence w, r
        lw x14, 0(x8)
        TEST_END x14, 0x0f0f0f0f

        # A fence as a branch target and right before the exit.
        TEST_BEGIN 8
        li x14, 0
        j 1f
        j fail
1:      fence
        fence.i
        addi x14, x14, 1
        TEST_END x14, 1
        fence

        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
word:   .word 0
