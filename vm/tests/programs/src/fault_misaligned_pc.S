# Expected fault: jalr to an address = 2 mod 4 (target + 3 with bit 0 cleared) succeeds, then the
# fetch there halts with Faulted(InstructionAddressMisaligned) with pc = that address, which the
# program leaves in a1 for vm/tests/conformance.rs to compare (not run under qemu).
        .text
        .globl _start
_start:
        la t0, target
        addi t0, t0, 3
        addi a1, t0, -1         # the pc the fault must report: target + 2
        li a0, 0
        li a7, 93
        jalr ra, 0(t0)
        ecall                   # not reached: it would exit 0
        .balign 4
target: ecall                   # not reached either
        ecall
