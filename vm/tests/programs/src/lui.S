# lui: rd = imm20 << 12 (the low 12 bits are zero).
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN

        TEST_BEGIN 2
        lui x14, 0x00000
        TEST_END x14, 0x00000000

        TEST_BEGIN 3
        lui x14, 0x00001
        TEST_END x14, 0x00001000

        TEST_BEGIN 4
        lui x14, 0x7ffff
        TEST_END x14, 0x7ffff000

        TEST_BEGIN 5
        lui x14, 0x80000
        TEST_END x14, 0x80000000

        TEST_BEGIN 6
        lui x14, 0xfffff
        TEST_END x14, 0xfffff000

        TEST_BEGIN 7
        lui x14, 0x12345
        TEST_END x14, 0x12345000

        # The old low bits of rd do not survive.
        TEST_BEGIN 8
        li x14, -1
        lui x14, 0xabcde
        TEST_END x14, 0xabcde000

        # lui + addi building constants, with a negative low part borrowing from the upper.
        TEST_BEGIN 9
        lui x14, 0x12345
        addi x14, x14, -0x800
        TEST_END x14, 0x12344800

        TEST_BEGIN 10
        lui x14, 0x80000
        addi x14, x14, -1
        TEST_END x14, 0x7fffffff

        # Arithmetic shift of a lui result keeps the sign.
        TEST_BEGIN 11
        lui x1, 0x80000
        srai x14, x1, 12
        TEST_END x14, 0xfff80000

        TEST_BEGIN 12
        lui x1, 0x7ffff
        srai x14, x1, 12
        TEST_END x14, 0x0007ffff

        # rd = x0 discards the value.
        TEST_BEGIN 13
        lui x0, 0x80000
        TEST_END x0, 0

        # Every register can be a destination.
        TEST_BEGIN 14
        lui x31, 0x55555
        TEST_END x31, 0x55555000

        RVTEST_CODE_END
