# Expected fault: a CSR instruction (csrr a0, cycle) halts with Faulted(IllegalInstruction), pc at
# the csrr (checked by vm/tests/conformance.rs; not run under qemu).
        .option arch, +zicsr
        .text
        .globl _start
_start:
        li a0, 0
        li a7, 93
        csrr a0, cycle
        ecall                   # not reached: it would exit 0
