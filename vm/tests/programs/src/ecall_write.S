# ecall with a7 = 64 (write): the VM performs no I/O but returns a0 = a2 (the length, what a
# successful Linux write returns) and execution continues; every other register is unchanged.
# Writes go to fd 1 with valid buffers so that qemu-user (which really writes) agrees; the
# harness compares what the VM captured with qemu's stdout.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"

.macro WRITE fd, buf, len
        li a0, \fd
        la a1, \buf
        li a2, \len
        li a7, 64
        ecall
.endm

        RVTEST_CODE_BEGIN

        TEST_BEGIN 2
        WRITE 1, hello, 6
        TEST_END a0, 6

        # Registers other than a0 survive.
        TEST_BEGIN 3
        li x5, 0x55555555
        li x31, 0xaaaaaaaa
        WRITE 1, world, 7
        CHECK_REG a0, 7
        CHECK_REG a2, 7
        CHECK_REG a7, 64
        CHECK_REG x5, 0x55555555
        CHECK_REG x31, 0xaaaaaaaa
        la x7, world
        CHECK_EQ a1, x7

        # Length zero returns zero.
        TEST_BEGIN 4
        WRITE 1, hello, 0
        TEST_END a0, 0

        # Several writes in a row, each continuing with the next instruction.
        TEST_BEGIN 5
        li x14, 0
        WRITE 1, digits, 1
        add x14, x14, a0
        WRITE 1, digits+1, 2
        add x14, x14, a0
        WRITE 1, digits+3, 3
        add x14, x14, a0
        WRITE 1, newline, 1
        add x14, x14, a0
        TEST_END x14, 7

        # The ecall in a loop.
        TEST_BEGIN 6
        li x14, 0
        li x15, 3
1:      WRITE 1, dot, 1
        add x14, x14, a0
        addi x15, x15, -1
        bnez x15, 1b
        WRITE 1, newline, 1
        TEST_END x14, 3

        RVTEST_CODE_END

        .data
hello:  .ascii "hello "
world:  .ascii "world!\n"
digits: .ascii "123456"
newline: .ascii "\n"
dot:    .ascii "."
