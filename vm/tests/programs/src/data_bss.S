# Program data: initialised .data and .rodata are loaded from the ELF, .bss (no file bytes) is
# zero, and all of them can be written (except .rodata, which is only read) and read back.
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN

        # Initialised data.
        TEST_LD_OP 2, lw, 0x01234567, 0, dwords
        TEST_LD_OP 3, lw, 0x89abcdef, 4, dwords
        TEST_LD_OP 4, lw, 0xffffffff, 8, dwords
        TEST_LD_OP 5, lhu, 0x0000beef, 0, dhalf
        TEST_LD_OP 6, lbu, 0x00000061, 0, dstr
        TEST_LD_OP 7, lbu, 0x00000000, 5, dstr        # .asciz terminator
        TEST_LD_OP 8, lw, 0xfeedface, 0, ro

        # The last initialised word (ends exactly where .bss starts).
        TEST_LD_OP 9, lw, 0x5a5a5a5a, 0, dlast

        # .bss is zero: or of every fourth word of its 4 KiB.
        TEST_BEGIN 10
        la x5, bss
        li x6, 256
        li x14, 0
1:      lw x15, 0(x5)
        or x14, x14, x15
        addi x5, x5, 16
        addi x6, x6, -1
        bnez x6, 1b
        TEST_END x14, 0

        # Fill 1 KiB of .bss with a pattern, then check it all.
        TEST_BEGIN 11
        la x5, bss
        li x6, 0
        li x8, 256
2:      mul x15, x6, x6
        xor x15, x15, x6
        sw x15, 0(x5)
        addi x5, x5, 4
        addi x6, x6, 1
        bne x6, x8, 2b
        la x5, bss
        li x6, 0
3:      mul x15, x6, x6
        xor x15, x15, x6
        lw x14, 0(x5)
        CHECK_EQ x14, x15
        addi x5, x5, 4
        addi x6, x6, 1
        bne x6, x8, 3b

        # Writes to .data persist and do not disturb neighbours.
        TEST_BEGIN 12
        la x5, dwords
        li x15, 0x0badf00d
        sw x15, 4(x5)
        lw x14, 4(x5)
        CHECK_EQ x14, x15
        TEST_LD_OP 13, lw, 0x01234567, 0, dwords
        TEST_LD_OP 14, lw, 0xffffffff, 8, dwords

        # Words of .bss after the pattern area, never written, are still zero.
        TEST_LD_OP 15, lw, 0x00000000, 1024, bss
        TEST_LD_OP 17, lw, 0x00000000, 0, bss_end

        # A table of words in .data summed (a data-driven loop).
        TEST_BEGIN 16
        la x5, table
        li x6, 8
        li x14, 0
4:      lw x15, 0(x5)
        add x14, x14, x15
        addi x5, x5, 4
        addi x6, x6, -1
        bnez x6, 4b
        TEST_END x14, 0x8000001d

        RVTEST_CODE_END

        .section .rodata
        .balign 4
ro:     .word 0xfeedface

        RVTEST_DATA_BEGIN
dwords: .word 0x01234567, 0x89abcdef, 0xffffffff
dhalf:  .half 0xbeef
dstr:   .asciz "abcde"
        .balign 4
table:  .word 1, 2, 3, 4, 5, 6, 7, 0x80000001
dlast:  .word 0x5a5a5a5a

        .bss
        .balign 32
bss:    .skip 4096
bss_end: .skip 4
