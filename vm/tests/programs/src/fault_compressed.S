# Expected fault: a compressed instruction (c.li a0, 0 followed by c.nop, as one word) is not
# executed: Faulted(IllegalInstruction), pc at the word (checked by vm/tests/conformance.rs;
# not run under qemu).
        .text
        .globl _start
_start:
        li a0, 0
        li a7, 93
        .half 0x4501            # c.li a0, 0
        .half 0x0001            # c.nop
        ecall                   # not reached: it would exit 0
