# Harness self-test: subtests 2 and 3 pass, subtest 4 has a deliberately wrong expected value, so
# the program must exit with (4 << 1) | 1 = 9. vm/tests/conformance.rs checks exactly that (in
# the VM and under qemu): proof that a failing subtest is reported, and by number.
        .include "test_macros.inc"
        RVTEST_CODE_BEGIN
        TEST_RR_OP 2, add, 0x00000003, 0x00000001, 0x00000002
        TEST_RR_OP 3, sub, 0xffffffff, 0x00000001, 0x00000002
        TEST_RR_OP 4, add, 0x00000004, 0x00000001, 0x00000002    # wrong on purpose: 1 + 2 = 3
        TEST_RR_OP 5, add, 0x00000003, 0x00000001, 0x00000002
        RVTEST_CODE_END
