# Self-modifying code: fetch always reads current memory, with or without fence.i. The patched
# code lives in .smc (a read-write-execute segment, inside the VM's pre-decoded code range), so
# every patch also tests that stores invalidate pre-decoded instructions. New instruction words
# come from templates assembled into .data, so nothing is hand-encoded.
# Each patch is reached through a jump, so qemu-user (which retranslates only at block ends)
# agrees; patching the very next instruction is tested in smc_next.S (VM only).
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        .option arch, +zifencei  # fence.i (the programs are otherwise plain rv32im)

# Copies the instruction word at template tmpl over the instruction at target (clobbers x5, x6).
.macro PATCH target, tmpl
        la x5, \tmpl
        lw x6, 0(x5)
        la x5, \target
        sw x6, 0(x5)
.endm

        RVTEST_CODE_BEGIN

        # Patch an instruction never executed before, with fence.i.
        TEST_BEGIN 2
        PATCH p2, t_li14_2
        fence.i
        jal ra, f2
        TEST_END x14, 2

        # The same without fence.i.
        TEST_BEGIN 3
        PATCH p3, t_li14_2
        jal ra, f3
        TEST_END x14, 2

        # Patch an instruction that already ran (and was pre-decoded), without fence.i.
        TEST_BEGIN 4
        li x14, 0
        jal ra, f4              # x14 += 1
        PATCH p4, t_add14_16
        jal ra, f4              # x14 += 16
        TEST_END x14, 17

        # ... and with fence.i, patching it back.
        TEST_BEGIN 5
        PATCH p4, t_add14_1
        fence.i
        jal ra, f4              # x14 += 1
        TEST_END x14, 18

        # A single-byte store into an instruction: byte 3 of `addi x14, x0, 3` holds imm[11:4].
        TEST_BEGIN 6
        jal ra, f6
        CHECK_REG x14, 3
        la x5, p6
        li x6, 0x05
        sb x6, 3(x5)
        jal ra, f6
        TEST_END x14, 0x53

        # A halfword store into the upper half (imm[11:4] and imm[3:0] | rs1 bit 4 ...).
        TEST_BEGIN 7
        la x5, t_li14_1234
        lhu x6, 2(x5)
        la x5, p6
        sh x6, 2(x5)
        jal ra, f6
        TEST_END x14, 0x234

        # A misaligned word store spanning two instructions in two memory leaves: the upper half
        # of the first and the lower half of the second both change.
        TEST_BEGIN 8
        li x14, 0
        li x15, 0
        jal ra, f8              # x14 += 1; x15 = x14 + 2
        CHECK_REG x14, 1
        CHECK_REG x15, 3
        la x5, t_add14_0x100
        lw x6, 0(x5)
        srli x6, x6, 16
        la x5, t_add15_14_2
        lw x7, 0(x5)
        slli x7, x7, 16
        or x6, x6, x7           # upper half of `addi x14, x14, 0x100` | lower half of `addi x15, x14, 2`
        la x5, p8
        sw x6, 2(x5)
        jal ra, f8              # x14 += 0x100; x15 = x14 + 2
        CHECK_REG x14, 0x101
        TEST_END x15, 0x103

        # Replace a jump: the function returns early after the patch.
        TEST_BEGIN 9
        li x14, 0
        jal ra, f9
        CHECK_REG x14, 2
        PATCH p9, t_ret
        jal ra, f9
        TEST_END x14, 3

        # A loop patching its own body on the first iteration: later iterations run the new code.
        TEST_BEGIN 10
        li x14, 0
        li x15, 4
        jal ra, f10
        TEST_END x14, 0x31      # 1 + 3 * 0x10

        RVTEST_CODE_END

        .section .smc, "awx"
f2:
p2:     li x14, 1
        ret
f3:
p3:     li x14, 1
        ret
f4:
p4:     addi x14, x14, 1
        ret
f6:
p6:     addi x14, x0, 3
        ret
        .balign 32
        .skip 20                # zero words, never executed: p8 ends a 32-byte leaf
f8:     nop
        nop
p8:     addi x14, x14, 1        # so the patching store at p8 + 2 crosses into the next leaf
        addi x15, x14, 2
        ret
f9:     addi x14, x14, 1
p9:     addi x14, x14, 1
        ret
f10:    la x5, t_add14_0x10
        lw x6, 0(x5)
        la x5, p10
1:
p10:    addi x14, x14, 1
        sw x6, 0(x5)            # takes effect from the next iteration
        addi x15, x15, -1
        bnez x15, 1b
        ret

        .data
        .balign 4
        # Instruction templates (data, never executed here).
t_li14_2:       li x14, 2
t_li14_1234:    addi x14, x0, 0x234
t_add14_1:      addi x14, x14, 1
t_add14_16:     addi x14, x14, 16
t_add14_0x10:   addi x14, x14, 0x10
t_add14_0x100:  addi x14, x14, 0x100
t_add15_14_2:   addi x15, x14, 2
t_ret:          ret
