# Expected fault: ecall with a7 = 1 (not exit 93 or write 64) halts with
# Faulted(UnsupportedSyscall), pc at the ecall (checked by vm/tests/conformance.rs; not run
# under qemu).
        .text
        .globl _start
_start:
        li a0, 0
        li a7, 1
        ecall
        li a7, 93               # not reached: it would exit 0
        ecall
