# Misaligned loads and stores WORK in this VM (docs/spec.md): every width at every byte offset,
# including accesses that cross a 32-byte memory leaf (e.g. lw at an address = 30 mod 32, whose
# proof then covers two leaves) and a 4 KiB page. Wrap-around at 0xffffffff is in
# misaligned_wrap.S (it needs address 0, which qemu-user cannot map).
# opml RV32IM conformance program; exits 0 when every subtest passes, else (n << 1) | 1 for
# subtest n (also run under qemu-riscv32 by vm/tests/conformance.rs).
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN

        # Loads of every width at every offset of a 64-byte table (leaf boundary at 32).
        TEST_LD_OP 2, lh, 0x00004db0, 1, pat
        TEST_LD_OP 3, lh, 0xffff87ea, 3, pat
        TEST_LD_OP 4, lh, 0xffffc124, 5, pat
        TEST_LD_OP 5, lh, 0xfffffb5e, 7, pat
        TEST_LD_OP 6, lh, 0x00003598, 9, pat
        TEST_LD_OP 7, lh, 0x00006fd2, 11, pat
        TEST_LD_OP 8, lh, 0xffffa90c, 13, pat
        TEST_LD_OP 9, lh, 0xffffe346, 15, pat
        TEST_LD_OP 10, lh, 0x00001d80, 17, pat
        TEST_LD_OP 11, lh, 0x000057ba, 19, pat
        TEST_LD_OP 12, lh, 0xffff91f4, 21, pat
        TEST_LD_OP 13, lh, 0xffffcb2e, 23, pat
        TEST_LD_OP 14, lh, 0x00000568, 25, pat
        TEST_LD_OP 15, lh, 0x00003fa2, 27, pat
        TEST_LD_OP 16, lh, 0x000079dc, 29, pat
        TEST_LD_OP 17, lh, 0xffffb316, 31, pat
        TEST_LD_OP 18, lh, 0xffffed50, 33, pat
        TEST_LD_OP 19, lh, 0x0000278a, 35, pat
        TEST_LD_OP 20, lh, 0x000061c4, 37, pat
        TEST_LD_OP 21, lh, 0xffff9bfe, 39, pat
        TEST_LD_OP 22, lh, 0xffffd538, 41, pat
        TEST_LD_OP 23, lh, 0x00000f72, 43, pat
        TEST_LD_OP 24, lh, 0x000049ac, 45, pat
        TEST_LD_OP 25, lh, 0xffff83e6, 47, pat
        TEST_LD_OP 26, lh, 0xffffbd20, 49, pat
        TEST_LD_OP 27, lh, 0xfffff75a, 51, pat
        TEST_LD_OP 28, lh, 0x00003194, 53, pat
        TEST_LD_OP 29, lh, 0x00006bce, 55, pat
        TEST_LD_OP 30, lh, 0xffffa508, 57, pat
        TEST_LD_OP 31, lh, 0xffffdf42, 59, pat
        TEST_LD_OP 32, lh, 0x0000197c, 61, pat
        TEST_LD_OP 33, lhu, 0x00004db0, 1, pat
        TEST_LD_OP 34, lhu, 0x000087ea, 3, pat
        TEST_LD_OP 35, lhu, 0x0000c124, 5, pat
        TEST_LD_OP 36, lhu, 0x0000fb5e, 7, pat
        TEST_LD_OP 37, lhu, 0x00003598, 9, pat
        TEST_LD_OP 38, lhu, 0x00006fd2, 11, pat
        TEST_LD_OP 39, lhu, 0x0000a90c, 13, pat
        TEST_LD_OP 40, lhu, 0x0000e346, 15, pat
        TEST_LD_OP 41, lhu, 0x00001d80, 17, pat
        TEST_LD_OP 42, lhu, 0x000057ba, 19, pat
        TEST_LD_OP 43, lhu, 0x000091f4, 21, pat
        TEST_LD_OP 44, lhu, 0x0000cb2e, 23, pat
        TEST_LD_OP 45, lhu, 0x00000568, 25, pat
        TEST_LD_OP 46, lhu, 0x00003fa2, 27, pat
        TEST_LD_OP 47, lhu, 0x000079dc, 29, pat
        TEST_LD_OP 48, lhu, 0x0000b316, 31, pat
        TEST_LD_OP 49, lhu, 0x0000ed50, 33, pat
        TEST_LD_OP 50, lhu, 0x0000278a, 35, pat
        TEST_LD_OP 51, lhu, 0x000061c4, 37, pat
        TEST_LD_OP 52, lhu, 0x00009bfe, 39, pat
        TEST_LD_OP 53, lhu, 0x0000d538, 41, pat
        TEST_LD_OP 54, lhu, 0x00000f72, 43, pat
        TEST_LD_OP 55, lhu, 0x000049ac, 45, pat
        TEST_LD_OP 56, lhu, 0x000083e6, 47, pat
        TEST_LD_OP 57, lhu, 0x0000bd20, 49, pat
        TEST_LD_OP 58, lhu, 0x0000f75a, 51, pat
        TEST_LD_OP 59, lhu, 0x00003194, 53, pat
        TEST_LD_OP 60, lhu, 0x00006bce, 55, pat
        TEST_LD_OP 61, lhu, 0x0000a508, 57, pat
        TEST_LD_OP 62, lhu, 0x0000df42, 59, pat
        TEST_LD_OP 63, lhu, 0x0000197c, 61, pat
        TEST_LD_OP 64, lw, 0x87ea4db0, 1, pat
        TEST_LD_OP 65, lw, 0x2487ea4d, 2, pat
        TEST_LD_OP 66, lw, 0xc12487ea, 3, pat
        TEST_LD_OP 67, lw, 0xfb5ec124, 5, pat
        TEST_LD_OP 68, lw, 0x98fb5ec1, 6, pat
        TEST_LD_OP 69, lw, 0x3598fb5e, 7, pat
        TEST_LD_OP 70, lw, 0x6fd23598, 9, pat
        TEST_LD_OP 71, lw, 0x0c6fd235, 10, pat
        TEST_LD_OP 72, lw, 0xa90c6fd2, 11, pat
        TEST_LD_OP 73, lw, 0xe346a90c, 13, pat
        TEST_LD_OP 74, lw, 0x80e346a9, 14, pat
        TEST_LD_OP 75, lw, 0x1d80e346, 15, pat
        TEST_LD_OP 76, lw, 0x57ba1d80, 17, pat
        TEST_LD_OP 77, lw, 0xf457ba1d, 18, pat
        TEST_LD_OP 78, lw, 0x91f457ba, 19, pat
        TEST_LD_OP 79, lw, 0xcb2e91f4, 21, pat
        TEST_LD_OP 80, lw, 0x68cb2e91, 22, pat
        TEST_LD_OP 81, lw, 0x0568cb2e, 23, pat
        TEST_LD_OP 82, lw, 0x3fa20568, 25, pat
        TEST_LD_OP 83, lw, 0xdc3fa205, 26, pat
        TEST_LD_OP 84, lw, 0x79dc3fa2, 27, pat
        TEST_LD_OP 85, lw, 0xb31679dc, 29, pat
        TEST_LD_OP 86, lw, 0x50b31679, 30, pat
        TEST_LD_OP 87, lw, 0xed50b316, 31, pat
        TEST_LD_OP 88, lw, 0x278aed50, 33, pat
        TEST_LD_OP 89, lw, 0xc4278aed, 34, pat
        TEST_LD_OP 90, lw, 0x61c4278a, 35, pat
        TEST_LD_OP 91, lw, 0x9bfe61c4, 37, pat
        TEST_LD_OP 92, lw, 0x389bfe61, 38, pat
        TEST_LD_OP 93, lw, 0xd5389bfe, 39, pat
        TEST_LD_OP 94, lw, 0x0f72d538, 41, pat
        TEST_LD_OP 95, lw, 0xac0f72d5, 42, pat
        TEST_LD_OP 96, lw, 0x49ac0f72, 43, pat
        TEST_LD_OP 97, lw, 0x83e649ac, 45, pat
        TEST_LD_OP 98, lw, 0x2083e649, 46, pat
        TEST_LD_OP 99, lw, 0xbd2083e6, 47, pat
        TEST_LD_OP 100, lw, 0xf75abd20, 49, pat
        TEST_LD_OP 101, lw, 0x94f75abd, 50, pat
        TEST_LD_OP 102, lw, 0x3194f75a, 51, pat
        TEST_LD_OP 103, lw, 0x6bce3194, 53, pat
        TEST_LD_OP 104, lw, 0x086bce31, 54, pat
        TEST_LD_OP 105, lw, 0xa5086bce, 55, pat
        TEST_LD_OP 106, lw, 0xdf42a508, 57, pat
        TEST_LD_OP 107, lw, 0x7cdf42a5, 58, pat
        TEST_LD_OP 108, lw, 0x197cdf42, 59, pat
        TEST_LD_OP 109, lb, 0x00000016, 31, pat
        TEST_LD_OP 110, lb, 0xffffffb3, 32, pat
        TEST_LD_OP 111, lb, 0x00000050, 33, pat
        TEST_LD_OP 112, lbu, 0x00000016, 31, pat
        TEST_LD_OP 113, lbu, 0x000000b3, 32, pat
        TEST_LD_OP 114, lbu, 0x00000050, 33, pat

        # Negative offsets reaching back across the leaf boundary.
        TEST_LD_OP 115, lw, 0x50b31679, -34, pat_end
        TEST_LD_OP 116, lh, 0xffffb316, -33, pat_end
        TEST_LD_OP 117, lhu, 0x0000b316, -33, pat_end
        TEST_LD_OP 118, lw, 0xb31679dc, -35, pat_end
        TEST_LD_OP 119, lw, 0xed50b316, -33, pat_end

        # Stores of every width at misaligned offsets of a 64-byte buffer; each is read back
        # with the same width and the aligned words around it are checked byte-exactly.
        TEST_ST_OP 120, lhu, sh, 0x00003344, 1, sbuf
        TEST_LD_OP 121, lw, 0xea334413, 0, sbuf
        TEST_ST_OP 122, lhu, sh, 0x0000beef, 3, sbuf
        TEST_LD_OP 123, lw, 0xef334413, 0, sbuf
        TEST_LD_OP 124, lw, 0x5ec124be, 4, sbuf
        TEST_ST_OP 125, lhu, sh, 0x00000001, 5, sbuf
        TEST_LD_OP 126, lw, 0x5e0001be, 4, sbuf
        TEST_ST_OP 127, lhu, sh, 0x0000fffe, 7, sbuf
        TEST_LD_OP 128, lw, 0xfe0001be, 4, sbuf
        TEST_LD_OP 129, lw, 0xd23598ff, 8, sbuf
        TEST_ST_OP 130, lhu, sh, 0x0000f00d, 27, sbuf
        TEST_LD_OP 131, lw, 0x0d0568cb, 24, sbuf
        TEST_LD_OP 132, lw, 0x1679dcf0, 28, sbuf
        TEST_ST_OP 133, lhu, sh, 0x0000c0de, 29, sbuf
        TEST_LD_OP 134, lw, 0x16c0def0, 28, sbuf
        TEST_ST_OP 135, lhu, sh, 0x00003344, 31, sbuf
        TEST_LD_OP 136, lw, 0x44c0def0, 28, sbuf
        TEST_LD_OP 137, lw, 0x8aed5033, 32, sbuf
        TEST_ST_OP 138, lhu, sh, 0x0000beef, 33, sbuf
        TEST_LD_OP 139, lw, 0x8abeef33, 32, sbuf
        TEST_ST_OP 140, lhu, sh, 0x00000001, 59, sbuf
        TEST_LD_OP 141, lw, 0x01a5086b, 56, sbuf
        TEST_LD_OP 142, lw, 0xb6197c00, 60, sbuf
        TEST_ST_OP 143, lhu, sh, 0x0000fffe, 61, sbuf
        TEST_LD_OP 144, lw, 0xb6fffe00, 60, sbuf
        TEST_ST_OP 145, lw, sw, 0xcafef00d, 1, sbuf
        TEST_LD_OP 146, lw, 0xfef00d13, 0, sbuf
        TEST_LD_OP 147, lw, 0xfe0001ca, 4, sbuf
        TEST_ST_OP 148, lw, sw, 0x0badc0de, 2, sbuf
        TEST_LD_OP 149, lw, 0xc0de0d13, 0, sbuf
        TEST_LD_OP 150, lw, 0xfe000bad, 4, sbuf
        TEST_ST_OP 151, lw, sw, 0x11223344, 3, sbuf
        TEST_LD_OP 152, lw, 0x44de0d13, 0, sbuf
        TEST_LD_OP 153, lw, 0xfe112233, 4, sbuf
        TEST_ST_OP 154, lw, sw, 0xdeadbeef, 5, sbuf
        TEST_LD_OP 155, lw, 0xadbeef33, 4, sbuf
        TEST_LD_OP 156, lw, 0xd23598de, 8, sbuf
        TEST_ST_OP 157, lw, sw, 0x80000001, 6, sbuf
        TEST_LD_OP 158, lw, 0x0001ef33, 4, sbuf
        TEST_LD_OP 159, lw, 0xd2358000, 8, sbuf
        TEST_ST_OP 160, lw, sw, 0x7ffffffe, 7, sbuf
        TEST_LD_OP 161, lw, 0xfe01ef33, 4, sbuf
        TEST_LD_OP 162, lw, 0xd27fffff, 8, sbuf
        TEST_ST_OP 163, lw, sw, 0xcafef00d, 26, sbuf
        TEST_LD_OP 164, lw, 0xf00d68cb, 24, sbuf
        TEST_LD_OP 165, lw, 0x44c0cafe, 28, sbuf
        TEST_ST_OP 166, lw, sw, 0x0badc0de, 27, sbuf
        TEST_LD_OP 167, lw, 0xde0d68cb, 24, sbuf
        TEST_LD_OP 168, lw, 0x440badc0, 28, sbuf
        TEST_ST_OP 169, lw, sw, 0x11223344, 29, sbuf
        TEST_LD_OP 170, lw, 0x223344c0, 28, sbuf
        TEST_LD_OP 171, lw, 0x8abeef11, 32, sbuf
        TEST_ST_OP 172, lw, sw, 0xdeadbeef, 30, sbuf
        TEST_LD_OP 173, lw, 0xbeef44c0, 28, sbuf
        TEST_LD_OP 174, lw, 0x8abedead, 32, sbuf
        TEST_ST_OP 175, lw, sw, 0x80000001, 31, sbuf
        TEST_LD_OP 176, lw, 0x01ef44c0, 28, sbuf
        TEST_LD_OP 177, lw, 0x8a800000, 32, sbuf
        TEST_ST_OP 178, lw, sw, 0x7ffffffe, 33, sbuf
        TEST_LD_OP 179, lw, 0xfffffe00, 32, sbuf
        TEST_LD_OP 180, lw, 0xfe61c47f, 36, sbuf
        TEST_ST_OP 181, lw, sw, 0xcafef00d, 34, sbuf
        TEST_LD_OP 182, lw, 0xf00dfe00, 32, sbuf
        TEST_LD_OP 183, lw, 0xfe61cafe, 36, sbuf
        TEST_ST_OP 184, lw, sw, 0x0badc0de, 57, sbuf
        TEST_LD_OP 185, lw, 0xadc0de6b, 56, sbuf
        TEST_LD_OP 186, lw, 0xb6fffe0b, 60, sbuf
        TEST_ST_OP 187, lw, sw, 0x11223344, 58, sbuf
        TEST_LD_OP 188, lw, 0x3344de6b, 56, sbuf
        TEST_LD_OP 189, lw, 0xb6ff1122, 60, sbuf
        TEST_ST_OP 190, lw, sw, 0xdeadbeef, 59, sbuf
        TEST_LD_OP 191, lw, 0xef44de6b, 56, sbuf
        TEST_LD_OP 192, lw, 0xb6deadbe, 60, sbuf

        # Every byte of the buffer after all the stores.
        TEST_LD_OP 193, lbu, 0x00000013, 0, sbuf
        TEST_LD_OP 194, lbu, 0x0000000d, 1, sbuf
        TEST_LD_OP 195, lbu, 0x000000de, 2, sbuf
        TEST_LD_OP 196, lbu, 0x00000044, 3, sbuf
        TEST_LD_OP 197, lbu, 0x00000033, 4, sbuf
        TEST_LD_OP 198, lbu, 0x000000ef, 5, sbuf
        TEST_LD_OP 199, lbu, 0x00000001, 6, sbuf
        TEST_LD_OP 200, lbu, 0x000000fe, 7, sbuf
        TEST_LD_OP 201, lbu, 0x000000ff, 8, sbuf
        TEST_LD_OP 202, lbu, 0x000000ff, 9, sbuf
        TEST_LD_OP 203, lbu, 0x0000007f, 10, sbuf
        TEST_LD_OP 204, lbu, 0x000000d2, 11, sbuf
        TEST_LD_OP 205, lbu, 0x0000006f, 12, sbuf
        TEST_LD_OP 206, lbu, 0x0000000c, 13, sbuf
        TEST_LD_OP 207, lbu, 0x000000a9, 14, sbuf
        TEST_LD_OP 208, lbu, 0x00000046, 15, sbuf
        TEST_LD_OP 209, lbu, 0x000000e3, 16, sbuf
        TEST_LD_OP 210, lbu, 0x00000080, 17, sbuf
        TEST_LD_OP 211, lbu, 0x0000001d, 18, sbuf
        TEST_LD_OP 212, lbu, 0x000000ba, 19, sbuf
        TEST_LD_OP 213, lbu, 0x00000057, 20, sbuf
        TEST_LD_OP 214, lbu, 0x000000f4, 21, sbuf
        TEST_LD_OP 215, lbu, 0x00000091, 22, sbuf
        TEST_LD_OP 216, lbu, 0x0000002e, 23, sbuf
        TEST_LD_OP 217, lbu, 0x000000cb, 24, sbuf
        TEST_LD_OP 218, lbu, 0x00000068, 25, sbuf
        TEST_LD_OP 219, lbu, 0x0000000d, 26, sbuf
        TEST_LD_OP 220, lbu, 0x000000de, 27, sbuf
        TEST_LD_OP 221, lbu, 0x000000c0, 28, sbuf
        TEST_LD_OP 222, lbu, 0x00000044, 29, sbuf
        TEST_LD_OP 223, lbu, 0x000000ef, 30, sbuf
        TEST_LD_OP 224, lbu, 0x00000001, 31, sbuf
        TEST_LD_OP 225, lbu, 0x00000000, 32, sbuf
        TEST_LD_OP 226, lbu, 0x000000fe, 33, sbuf
        TEST_LD_OP 227, lbu, 0x0000000d, 34, sbuf
        TEST_LD_OP 228, lbu, 0x000000f0, 35, sbuf
        TEST_LD_OP 229, lbu, 0x000000fe, 36, sbuf
        TEST_LD_OP 230, lbu, 0x000000ca, 37, sbuf
        TEST_LD_OP 231, lbu, 0x00000061, 38, sbuf
        TEST_LD_OP 232, lbu, 0x000000fe, 39, sbuf
        TEST_LD_OP 233, lbu, 0x0000009b, 40, sbuf
        TEST_LD_OP 234, lbu, 0x00000038, 41, sbuf
        TEST_LD_OP 235, lbu, 0x000000d5, 42, sbuf
        TEST_LD_OP 236, lbu, 0x00000072, 43, sbuf
        TEST_LD_OP 237, lbu, 0x0000000f, 44, sbuf
        TEST_LD_OP 238, lbu, 0x000000ac, 45, sbuf
        TEST_LD_OP 239, lbu, 0x00000049, 46, sbuf
        TEST_LD_OP 240, lbu, 0x000000e6, 47, sbuf
        TEST_LD_OP 241, lbu, 0x00000083, 48, sbuf
        TEST_LD_OP 242, lbu, 0x00000020, 49, sbuf
        TEST_LD_OP 243, lbu, 0x000000bd, 50, sbuf
        TEST_LD_OP 244, lbu, 0x0000005a, 51, sbuf
        TEST_LD_OP 245, lbu, 0x000000f7, 52, sbuf
        TEST_LD_OP 246, lbu, 0x00000094, 53, sbuf
        TEST_LD_OP 247, lbu, 0x00000031, 54, sbuf
        TEST_LD_OP 248, lbu, 0x000000ce, 55, sbuf
        TEST_LD_OP 249, lbu, 0x0000006b, 56, sbuf
        TEST_LD_OP 250, lbu, 0x000000de, 57, sbuf
        TEST_LD_OP 251, lbu, 0x00000044, 58, sbuf
        TEST_LD_OP 252, lbu, 0x000000ef, 59, sbuf
        TEST_LD_OP 253, lbu, 0x000000be, 60, sbuf
        TEST_LD_OP 254, lbu, 0x000000ad, 61, sbuf
        TEST_LD_OP 255, lbu, 0x000000de, 62, sbuf
        TEST_LD_OP 256, lbu, 0x000000b6, 63, sbuf

        # Crossing a 4 KiB page (and a leaf): stores into zeroed .bss, then loads.
        TEST_BEGIN 257
        la x1, page
        li x2, 0x89abcdef
        li x5, 4094
        add x1, x1, x5
        sw x2, 0(x1)
        TEST_END x0, 0
        TEST_BEGIN 258
        la x1, page
        li x5, 4093
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0xabcdef00
        TEST_BEGIN 259
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x89abcdef
        TEST_BEGIN 260
        la x1, page
        li x5, 4095
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x0089abcd
        TEST_BEGIN 261
        la x1, page
        li x5, 4093
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0xffffef00
        TEST_BEGIN 262
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0xffffcdef
        TEST_BEGIN 263
        la x1, page
        li x5, 4095
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0xffffabcd
        TEST_BEGIN 264
        la x1, page
        li x5, 4093
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x0000ef00
        TEST_BEGIN 265
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x0000cdef
        TEST_BEGIN 266
        la x1, page
        li x5, 4095
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x0000abcd
        TEST_BEGIN 267
        la x1, page
        li x5, 4093
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0x00000000
        TEST_BEGIN 268
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0xffffffef
        TEST_BEGIN 269
        la x1, page
        li x5, 4095
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0xffffffcd
        TEST_BEGIN 270
        la x1, page
        li x2, 0x0000fedc
        li x5, 8191
        add x1, x1, x5
        sh x2, 0(x1)
        TEST_END x0, 0
        TEST_BEGIN 271
        la x1, page
        li x5, 8190
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x00fedc00
        TEST_BEGIN 272
        la x1, page
        li x5, 8191
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x0000fedc
        TEST_BEGIN 273
        la x1, page
        li x5, 8192
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x000000fe
        TEST_BEGIN 274
        la x1, page
        li x5, 8190
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0xffffdc00
        TEST_BEGIN 275
        la x1, page
        li x5, 8191
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0xfffffedc
        TEST_BEGIN 276
        la x1, page
        li x5, 8192
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0x000000fe
        TEST_BEGIN 277
        la x1, page
        li x5, 8190
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x0000dc00
        TEST_BEGIN 278
        la x1, page
        li x5, 8191
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x0000fedc
        TEST_BEGIN 279
        la x1, page
        li x5, 8192
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x000000fe
        TEST_BEGIN 280
        la x1, page
        li x5, 8190
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0x00000000
        TEST_BEGIN 281
        la x1, page
        li x5, 8191
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0xffffffdc
        TEST_BEGIN 282
        la x1, page
        li x5, 8192
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0xfffffffe
        TEST_BEGIN 283
        la x1, page
        li x2, 0x01234567
        li x5, 8189
        add x1, x1, x5
        sw x2, 0(x1)
        TEST_END x0, 0
        TEST_BEGIN 284
        la x1, page
        li x5, 8188
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x23456700
        TEST_BEGIN 285
        la x1, page
        li x5, 8189
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x01234567
        TEST_BEGIN 286
        la x1, page
        li x5, 8190
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x00012345
        TEST_BEGIN 287
        la x1, page
        li x5, 8188
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0x00006700
        TEST_BEGIN 288
        la x1, page
        li x5, 8189
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0x00004567
        TEST_BEGIN 289
        la x1, page
        li x5, 8190
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0x00002345
        TEST_BEGIN 290
        la x1, page
        li x5, 8188
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x00006700
        TEST_BEGIN 291
        la x1, page
        li x5, 8189
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x00004567
        TEST_BEGIN 292
        la x1, page
        li x5, 8190
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x00002345
        TEST_BEGIN 293
        la x1, page
        li x5, 8188
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0x00000000
        TEST_BEGIN 294
        la x1, page
        li x5, 8189
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0x00000067
        TEST_BEGIN 295
        la x1, page
        li x5, 8190
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0x00000045
        TEST_BEGIN 296
        la x1, page
        li x2, 0x5555aaaa
        li x5, 4093
        add x1, x1, x5
        sw x2, 0(x1)
        TEST_END x0, 0
        TEST_BEGIN 297
        la x1, page
        li x5, 4092
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x55aaaa00
        TEST_BEGIN 298
        la x1, page
        li x5, 4093
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x5555aaaa
        TEST_BEGIN 299
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x895555aa
        TEST_BEGIN 300
        la x1, page
        li x5, 4092
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0xffffaa00
        TEST_BEGIN 301
        la x1, page
        li x5, 4093
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0xffffaaaa
        TEST_BEGIN 302
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0x000055aa
        TEST_BEGIN 303
        la x1, page
        li x5, 4092
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x0000aa00
        TEST_BEGIN 304
        la x1, page
        li x5, 4093
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x0000aaaa
        TEST_BEGIN 305
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x000055aa
        TEST_BEGIN 306
        la x1, page
        li x5, 4092
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0x00000000
        TEST_BEGIN 307
        la x1, page
        li x5, 4093
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0xffffffaa
        TEST_BEGIN 308
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0xffffffaa
        TEST_BEGIN 309
        la x1, page
        li x2, 0x00008001
        li x5, 4095
        add x1, x1, x5
        sh x2, 0(x1)
        TEST_END x0, 0
        TEST_BEGIN 310
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x898001aa
        TEST_BEGIN 311
        la x1, page
        li x5, 4095
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x00898001
        TEST_BEGIN 312
        la x1, page
        li x5, 4096
        add x1, x1, x5
        lw x14, 0(x1)
        TEST_END x14, 0x00008980
        TEST_BEGIN 313
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0x000001aa
        TEST_BEGIN 314
        la x1, page
        li x5, 4095
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0xffff8001
        TEST_BEGIN 315
        la x1, page
        li x5, 4096
        add x1, x1, x5
        lh x14, 0(x1)
        TEST_END x14, 0xffff8980
        TEST_BEGIN 316
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x000001aa
        TEST_BEGIN 317
        la x1, page
        li x5, 4095
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x00008001
        TEST_BEGIN 318
        la x1, page
        li x5, 4096
        add x1, x1, x5
        lhu x14, 0(x1)
        TEST_END x14, 0x00008980
        TEST_BEGIN 319
        la x1, page
        li x5, 4094
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0xffffffaa
        TEST_BEGIN 320
        la x1, page
        li x5, 4095
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0x00000001
        TEST_BEGIN 321
        la x1, page
        li x5, 4096
        add x1, x1, x5
        lb x14, 0(x1)
        TEST_END x14, 0xffffff80

        RVTEST_CODE_END

        RVTEST_DATA_BEGIN
        # pat: 64 bytes of (i * 0x9d + 0x13) & 0xff, 32-byte aligned.
pat:    .byte 0x13, 0xb0, 0x4d, 0xea, 0x87, 0x24, 0xc1, 0x5e, 0xfb, 0x98, 0x35, 0xd2, 0x6f, 0x0c, 0xa9, 0x46
        .byte 0xe3, 0x80, 0x1d, 0xba, 0x57, 0xf4, 0x91, 0x2e, 0xcb, 0x68, 0x05, 0xa2, 0x3f, 0xdc, 0x79, 0x16
        .byte 0xb3, 0x50, 0xed, 0x8a, 0x27, 0xc4, 0x61, 0xfe, 0x9b, 0x38, 0xd5, 0x72, 0x0f, 0xac, 0x49, 0xe6
        .byte 0x83, 0x20, 0xbd, 0x5a, 0xf7, 0x94, 0x31, 0xce, 0x6b, 0x08, 0xa5, 0x42, 0xdf, 0x7c, 0x19, 0xb6
pat_end:
        .balign 32
sbuf:   .byte 0x13, 0xb0, 0x4d, 0xea, 0x87, 0x24, 0xc1, 0x5e, 0xfb, 0x98, 0x35, 0xd2, 0x6f, 0x0c, 0xa9, 0x46
        .byte 0xe3, 0x80, 0x1d, 0xba, 0x57, 0xf4, 0x91, 0x2e, 0xcb, 0x68, 0x05, 0xa2, 0x3f, 0xdc, 0x79, 0x16
        .byte 0xb3, 0x50, 0xed, 0x8a, 0x27, 0xc4, 0x61, 0xfe, 0x9b, 0x38, 0xd5, 0x72, 0x0f, 0xac, 0x49, 0xe6
        .byte 0x83, 0x20, 0xbd, 0x5a, 0xf7, 0x94, 0x31, 0xce, 0x6b, 0x08, 0xa5, 0x42, 0xdf, 0x7c, 0x19, 0xb6

        .bss
        .balign 4096
page:   .skip 12288
