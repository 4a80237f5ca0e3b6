# Expected fault: the all-zero word is not an instruction; it halts with
# Faulted(IllegalInstruction), pc at the word (checked by vm/tests/conformance.rs; not run
# under qemu).
        .text
        .globl _start
_start:
        li a0, 0
        li a7, 93
        .word 0x00000000
        ecall                   # not reached: it would exit 0
