# Accesses that wrap around the top of the address space (0xffffffff -> 0), misaligned ones
# crossing from the last memory leaf (index 2^27 - 1) into the first, plus effective addresses
# that wrap (rs1 + imm modulo 2^32) and one word in each of the 16 memory slots.
# VM-only: qemu-user cannot map address 0 or the top page, so conformance.rs does not run this
# one under qemu. Exits 0 when every subtest passes, else (n << 1) | 1 for subtest n.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN

        # sw at 0xfffffffe: bytes 44 33 | 22 11 at 0xfffffffe, 0xffffffff, 0, 1.
        TEST_BEGIN 2
        li x2, 0x11223344
        sw x2, -2(x0)
        lw x14, -2(x0)
        TEST_END x14, 0x11223344
        TEST_LD_OP 3, lbu, 0x00000044, -2, 0
        TEST_LD_OP 4, lbu, 0x00000033, -1, 0
        TEST_LD_OP 5, lbu, 0x00000022, 0, 0
        TEST_LD_OP 6, lbu, 0x00000011, 1, 0
        TEST_LD_OP 7, lhu, 0x00003344, -2, 0
        TEST_LD_OP 8, lh, 0x00002233, -1, 0
        TEST_LD_OP 9, lhu, 0x00001122, 0, 0
        TEST_LD_OP 10, lw, 0x00112233, -1, 0
        TEST_LD_OP 11, lw, 0x22334400, -3, 0

        # sh at 0xffffffff: 0xcd at 0xffffffff, 0xab at 0.
        TEST_BEGIN 12
        li x2, 0xffffabcd
        sh x2, -1(x0)
        lh x14, -1(x0)
        TEST_END x14, 0xffffabcd
        TEST_LD_OP 13, lbu, 0x000000cd, -1, 0
        TEST_LD_OP 14, lbu, 0x000000ab, 0, 0
        TEST_LD_OP 15, lw, 0x0011abcd, -1, 0
        TEST_LD_OP 16, lw, 0x000011ab, 0, 0

        # sw at 0xffffffff: one byte at the top, three at 0..2.
        TEST_BEGIN 17
        li x2, 0xdeadbeef
        sw x2, -1(x0)
        lw x14, -1(x0)
        TEST_END x14, 0xdeadbeef
        TEST_LD_OP 18, lbu, 0x000000ef, -1, 0
        TEST_LD_OP 19, lhu, 0x0000dead, 1, 0
        TEST_LD_OP 20, lw, 0xadbeef44, -2, 0

        # sw at 0xfffffffd: three bytes at the top, one at 0.
        TEST_BEGIN 21
        li x2, 0x8badf00d
        sw x2, -3(x0)
        lbu x14, 0(x0)
        TEST_END x14, 0x0000008b
        TEST_LD_OP 22, lw, 0xadf00d00, -4, 0

        # Aligned word at the very top.
        TEST_BEGIN 23
        li x2, 0xcafebabe
        sw x2, -4(x0)
        lw x14, -4(x0)
        TEST_END x14, 0xcafebabe

        # Effective addresses wrap: 0xfffffff0 + 0x20 = 0x10, 0x10 - 0x20 = 0xfffffff0.
        TEST_BEGIN 24
        li x2, 0x600df00d
        sw x2, 0x10(x0)
        li x1, 0xfffffff0
        lw x14, 0x20(x1)
        TEST_END x14, 0x600df00d
        TEST_BEGIN 25
        li x2, 0x0d15ea5e
        li x1, 0x10
        sw x2, -0x20(x1)
        li x1, 0xfffffff0
        lw x14, 0(x1)
        TEST_END x14, 0x0d15ea5e
        TEST_BEGIN 26
        li x1, 0xffffff00
        li x2, 0x12
        sb x2, 0x7ff(x1)        # 0x6ff
        lbu x14, 0x6ff(x0)
        TEST_END x14, 0x12

        # A word in each of the 16 slots (0xN0000000 + 0x100 + N), misaligned, read back.
        TEST_BEGIN 27
        li x5, 0                # slot
        li x6, 16
1:      slli x1, x5, 28
        add x1, x1, x5
        addi x1, x1, 0x100
        li x2, 0x01010101
        mul x2, x2, x5
        xori x2, x2, 0x5a5
        sw x2, 0(x1)
        addi x5, x5, 1
        bne x5, x6, 1b
        li x5, 0
2:      slli x1, x5, 28
        add x1, x1, x5
        addi x1, x1, 0x100
        li x2, 0x01010101
        mul x2, x2, x5
        xori x2, x2, 0x5a5
        lw x14, 0(x1)
        CHECK_EQ x14, x2
        addi x5, x5, 1
        bne x5, x6, 2b

        RVTEST_CODE_END
