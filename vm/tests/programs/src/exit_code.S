# Expected exit: ecall exit with a0 = 0xdeadbeef halts with Exited(0xdeadbeef), the full 32-bit
# code (checked by vm/tests/conformance.rs; under qemu, Linux keeps the low byte, 0xef).
        .text
        .globl _start
_start:
        li a0, 0xdeadbeef
        li a7, 93
        ecall
        li a0, 0                # not reached
        ecall
