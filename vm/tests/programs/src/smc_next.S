# Self-modifying code, strictly: a store rewrites the very next instruction, which then runs in
# its new form with no fence.i and no jump in between (the VM fetches from current memory every
# step). Also code copied to and run from the stack area, outside the ELF's code range.
# VM-only: qemu-user may keep running the old translation of the current block (RISC-V only
# promises this after fence.i), so conformance.rs does not run this one under qemu.
# Exits 0 when every subtest passes, else (n << 1) | 1 for subtest n.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN

        # Overwrite the next instruction (already pre-decoded: the function runs twice).
        TEST_BEGIN 2
        li x14, 0
        la x5, t_li14_7
        lw x6, 0(x5)
        jal ra, next1           # x14 = 1 (stores the same word back: no change)
        CHECK_REG x14, 1
        la x5, t_li14_7
        lw x6, 0(x5)
        la x5, n1
        sw x6, 0(x5)            # p1 is now `li x14, 7`
        jal ra, next1           # the store in next1 writes `li x14, 7` again; x14 = 7
        TEST_END x14, 7

        # Store the next instruction from the instruction right before it.
        TEST_BEGIN 3
        la x5, t_li14_9
        lw x6, 0(x5)
        jal ra, next2
        TEST_END x14, 9

        # Copy a function to the stack area (0x3fff0000, outside the code range), run it,
        # patch it there and run it again.
        TEST_BEGIN 4
        li x8, 0x3fff0000
        la x5, fcopy
        lw x6, 0(x5)
        sw x6, 0(x8)
        lw x6, 4(x5)
        sw x6, 4(x8)
        li x14, 0
        jalr ra, 0(x8)
        CHECK_REG x14, 0x21
        la x5, t_li14_9
        lw x6, 0(x5)
        sw x6, 0(x8)
        jalr ra, 0(x8)
        TEST_END x14, 9

        RVTEST_CODE_END

        .section .smc, "awx"
next1:  la x5, n1
        lw x6, 0(x5)
        sw x6, 0(x5)
n1:     li x14, 1
        ret
next2:  la x5, n2
        sw x6, 0(x5)
n2:     li x14, 2
        ret
fcopy:  li x14, 0x21
        ret

        .data
        .balign 4
t_li14_7:       li x14, 7
t_li14_9:       li x14, 9
