# jal: rd = pc + 4; pc = pc + sext(imm21). Covers forwards and backwards jumps, the link value,
# rd = x0 (plain jump), rd = other registers, and offsets using every immediate field.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"

.macro LA_ABS rd, sym
        lui \rd, %hi(\sym)
        addi \rd, \rd, %lo(\sym)
.endm

        RVTEST_CODE_BEGIN

        # Forwards, link in ra.
        TEST_BEGIN 2
        li ra, 0
        jal ra, 1f
2:      j fail
1:      LA_ABS x7, 2b
        CHECK_EQ ra, x7

        # Backwards, link in a register other than ra.
        TEST_BEGIN 3
        li x14, 0
        j 2f
1:      li x14, 7
        j 3f
2:      jal x5, 1b
4:      j fail
3:      CHECK_REG x14, 7
        LA_ABS x7, 4b
        CHECK_EQ x5, x7

        # rd = x0: no link.
        TEST_BEGIN 4
        jal x0, 1f
        j fail
1:      TEST_END x0, 0

        # Jump to the next instruction (offset 4) still links.
        TEST_BEGIN 5
        jal x14, 1f
1:      LA_ABS x7, 1b
        CHECK_EQ x14, x7

        # Long jumps: forwards over 6 KiB (immediate bits 12 and 11 set), then backwards into the
        # far past across the .smc page, which is several KiB away.
        TEST_BEGIN 6
        li x14, 0
        jal x1, far_fwd
far_ret:
        CHECK_REG x14, 3
        LA_ABS x7, far_ret
        CHECK_EQ x1, x7
        j 5f
far_back:
        addi x14, x14, 1
        jal x0, far_ret
        .skip 6000              # zero words: executing any would fault
far_fwd:
        addi x14, x14, 2
        jal x0, far_back
5:

        # Into the .smc section (another page, a 12+ bit offset) and back.
        TEST_BEGIN 7
        li x14, 0
        jal x1, in_other_page
        CHECK_REG x14, 0x77

        # A chain of jumps in both directions ending where it started.
        TEST_BEGIN 8
        li x14, 0
        jal x0, 3f
1:      addi x14, x14, 1
        jal x0, 4f
3:      addi x14, x14, 10
        jal x0, 1b
4:      TEST_END x14, 11

        RVTEST_CODE_END

        .section .smc, "awx"
in_other_page:
        li x14, 0x77
        jalr x0, 0(x1)
