# Expected fault: ebreak halts with Faulted(Breakpoint), pc at the ebreak (checked by
# vm/tests/conformance.rs; not run under qemu).
        .text
        .globl _start
_start:
        li a0, 0
        li a7, 93
        ebreak
        ecall                   # not reached: it would exit 0
