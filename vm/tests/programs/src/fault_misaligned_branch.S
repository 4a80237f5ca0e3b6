# Expected fault: a taken branch to pc + 6 (an address = 2 mod 4) succeeds, then the fetch there
# halts with Faulted(InstructionAddressMisaligned) with pc = that address, which the program
# leaves in a1 for vm/tests/conformance.rs to compare (not run under qemu).
        .text
        .globl _start
_start:
        la a1, br
        addi a1, a1, 6          # the pc the fault must report
        li a0, 0
        li a7, 93
br:     .word 0x00000363        # beq x0, x0, .+6 (the assembler will not emit it)
        ecall                   # not reached: it would exit 0
        ecall
        ecall
