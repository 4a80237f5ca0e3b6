//! Differential tests: the fast interpreter against `prove_step` + the literal verifier on random
//! instructions and states, and the verifier's rejection of every tampered byte.
//!
//! Seeds are fixed so that CI is deterministic; set `PROPTEST_RNG_SEED=<u64>` (and optionally
//! `PROPTEST_CASES=<n>`) to explore other inputs. proptest saves the seed of a failing case in a
//! `proptest-regressions` file, replayed first on the next run.

mod common;

use common::asm::{self, opcode, reg::*};
use common::{check_run, Setup};
use opml_vm::merkle::keccak256;
use opml_vm::merkle::zero_hash;
use opml_vm::proof::{
    encode_leaf_proof, encode_leaf_proof_with_mask, LEAF_PROOF_HEADER_SIZE, MAX_LEAF_PROOF_SIZE,
};
use opml_vm::state::offset;
use opml_vm::verify::{self, verify_step, VerifyError};
use opml_vm::{Fault, Status, StepProof, VmState, STATE_SIZE};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngSeed;

/// `cases` cases from a fixed seed, unless the environment asks for others.
fn config(cases: u32, seed: u64) -> ProptestConfig {
    let base = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            base.cases
        } else {
            cases
        },
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
            base.rng_seed
        } else {
            RngSeed::Fixed(seed)
        },
        ..base
    }
}

// ---------------------------------------------------------------------------------------------
// Random single steps.

/// Where a load or store is steered.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// This absolute address.
    At(u32),
    /// pc plus this.
    NearPc(i32),
}

/// One random step to take.
#[derive(Debug, Clone)]
struct Case {
    pc: u32,
    word: u32,
    regs: [u32; 32],
    step: u64,
    status: Status,
    /// For loads and stores: rs1 is set so that the access lands here.
    target: Target,
    /// For `ecall`: a7.
    a7: u32,
    /// Random bytes around the data address (none: memory there was never written).
    data: Option<Vec<u8>>,
    /// Random bytes over the leaves before, at and after pc.
    code: Vec<u8>,
}

const fn imm_i(w: u32) -> u32 {
    ((w as i32) >> 20) as u32
}

const fn imm_s(w: u32) -> u32 {
    (((w as i32) >> 25) << 5) as u32 | (w >> 7) & 0x1F
}

impl Case {
    fn data_address(&self) -> u32 {
        match self.target {
            Target::At(a) => a,
            Target::NearPc(d) => self.pc.wrapping_add(d as u32),
        }
    }

    fn setup(&self) -> Setup {
        let mut s = Setup::new(self.pc).step(self.step).status(self.status);
        s.regs = self.regs;
        s.regs[0] = 0;
        let rs1 = (self.word >> 15) & 0x1F;
        let imm = match self.word & 0x7F {
            opcode::LOAD => Some(imm_i(self.word)),
            opcode::STORE => Some(imm_s(self.word)),
            _ => None,
        };
        let addr = self.data_address();
        if let (Some(imm), true) = (imm, rs1 != 0) {
            s.regs[rs1 as usize] = addr.wrapping_sub(imm);
        }
        if self.word == asm::ecall() {
            s.regs[A7 as usize] = self.a7;
        }
        let addr = imm.map_or(addr, |imm| s.regs[rs1 as usize].wrapping_add(imm));
        if let Some(data) = &self.data {
            s = s.bytes(addr.wrapping_sub(data.len() as u32 / 2), data);
        }
        s = s.bytes((self.pc & !31).wrapping_sub(32), &self.code);
        // The instruction last, so that it survives the fills; the decode cache covers it.
        s.code_at(self.pc, &[self.word])
    }
}

fn any_reg_value() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => any::<u32>(),
        1 => prop::sample::select(vec![0, 1, 2, 31, 32, 33, 0x7FFF_FFFF, 0x8000_0000, u32::MAX]),
        1 => (-64i32..64).prop_map(|v| v as u32),
    ]
}

fn any_status() -> impl Strategy<Value = Status> {
    prop_oneof![
        30 => Just(Status::Running),
        1 => any::<u32>().prop_map(Status::Exited),
        1 => prop::sample::select(vec![
            Fault::InstructionAddressMisaligned,
            Fault::IllegalInstruction,
            Fault::Breakpoint,
            Fault::UnsupportedSyscall,
        ])
        .prop_map(Status::Faulted),
    ]
}

fn any_pc() -> impl Strategy<Value = u32> {
    prop_oneof![
        16 => any::<u32>().prop_map(|p| p & !3),
        1 => any::<u32>(),
        1 => (-16i32..16).prop_map(|d| d as u32 & !3),
        1 => any::<u32>().prop_map(|p| p | 0x1C),
    ]
}

fn any_target() -> impl Strategy<Value = Target> {
    prop_oneof![
        6 => (any::<u32>(), -3i32..1).prop_map(|(a, d)| Target::At((a & !31).wrapping_add(d as u32))),
        1 => (any::<u32>(), -4i32..4)
            .prop_map(|(a, d)| Target::At((a & !0xFFF).wrapping_add(d as u32))),
        2 => (-8i32..8).prop_map(|d| Target::At(d as u32)),
        2 => (-8i32..12).prop_map(Target::NearPc),
        1 => any::<u32>().prop_map(Target::At),
    ]
}

/// Words that are mostly legal: a real opcode, and usually a legal funct3/funct7 for it.
fn likely_legal_word() -> impl Strategy<Value = u32> {
    let opcodes = prop_oneof![
        1 => Just(opcode::LUI),
        1 => Just(opcode::AUIPC),
        1 => Just(opcode::JAL),
        1 => Just(opcode::JALR),
        2 => Just(opcode::BRANCH),
        7 => Just(opcode::LOAD),
        7 => Just(opcode::STORE),
        3 => Just(opcode::OP_IMM),
        4 => Just(opcode::OP),
        1 => Just(opcode::MISC_MEM),
        2 => Just(opcode::SYSTEM),
    ];
    let funct7 = prop_oneof![3 => Just(0u32), 2 => Just(0x20), 3 => Just(1), 1 => 0u32..128];
    (
        opcodes,
        0u32..8,
        funct7,
        0u32..32,
        0u32..32,
        0u32..32,
        prop::bool::weighted(0.85),
        prop_oneof![4 => Just(asm::ecall()), 2 => Just(asm::ebreak()), 1 => any::<u32>()],
    )
        .prop_map(|(op, f3, f7, rd, rs1, rs2, legal, system)| {
            if op == opcode::SYSTEM {
                return if system & 0x7F == 0x7F {
                    system & !0x7F | opcode::SYSTEM
                } else {
                    system
                };
            }
            let f3 = match (op, legal) {
                (opcode::JALR, true) => 0,
                (opcode::BRANCH, true) => [0, 1, 4, 5, 6, 7][f3 as usize % 6],
                (opcode::LOAD, true) => [0, 1, 2, 4, 5][f3 as usize % 5],
                (opcode::STORE, true) => f3 % 3,
                (opcode::MISC_MEM, true) => f3 % 2,
                (opcode::OP, true) if f7 == 0x20 => [0, 5][f3 as usize % 2],
                _ => f3,
            };
            f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op
        })
}

fn any_case() -> impl Strategy<Value = Case> {
    (
        any_pc(),
        prop_oneof![1 => any::<u32>(), 4 => likely_legal_word()],
        proptest::array::uniform32(any_reg_value()),
        prop_oneof![0u64..4, any::<u64>().prop_map(|s| s.min(u64::MAX - 1))],
        any_status(),
        any_target(),
        prop_oneof![Just(93u32), Just(64), any::<u32>()],
        prop::option::weighted(0.9, prop::collection::vec(any::<u8>(), 64)),
        prop::collection::vec(any::<u8>(), 96),
    )
        .prop_map(
            |(pc, word, regs, step, status, target, a7, data, code)| Case {
                pc,
                word,
                regs,
                step,
                status,
                target,
                a7,
                data,
                code,
            },
        )
}

/// Runs `case` both ways and checks that they agree; returns the proof.
fn agree(case: &Case) -> Result<StepProof, TestCaseError> {
    let setup = case.setup();
    let pre = setup.state();

    let mut fast = setup.machine();
    let ran = fast.run(1);
    let fast_state = fast.state();
    prop_assert_eq!(ran, u64::from(!case.status.is_halted()));

    let mut prover = setup.machine();
    let proof = prover.prove_step();
    prop_assert_eq!(&proof.pre_state[..], &pre.encode()[..]);
    prop_assert_eq!(proof.pre_state_hash, pre.hash());
    let bytes = proof.proof_bytes();
    let verified = verify::step(&proof.pre_state, &bytes);
    prop_assert_eq!(verified, Ok(fast_state), "verifier vs fast interpreter");
    prop_assert_eq!(proof.post_state_hash, fast_state.hash());
    prop_assert_eq!(
        verify_step(&pre.hash(), &proof.pre_state, &bytes),
        Ok(fast_state.hash())
    );
    prop_assert_eq!(
        prover.state(),
        fast_state,
        "prover machine vs fast interpreter"
    );

    // The proof has exactly the leaves the step reads, each encoded canonically (a sibling is
    // omitted iff it is the zero-subtree root), and no other length verifies.
    prop_assert!(proof.leaves.len() <= 3);
    let mut expected_len = 0;
    for ((leaf, heights), mask) in proof
        .leaves
        .iter()
        .zip(proof.leaf_heights())
        .zip(proof.masks())
    {
        prop_assert!(mask >> heights == 0);
        for (h, sibling) in leaf.siblings[..heights].iter().enumerate() {
            prop_assert_eq!((mask >> h) & 1 == 1, sibling == zero_hash(h));
        }
        expected_len += LEAF_PROOF_HEADER_SIZE + 32 * (heights - mask.count_ones() as usize);
    }
    prop_assert_eq!(bytes.len(), expected_len);
    if !bytes.is_empty() {
        prop_assert_eq!(
            verify::step(&proof.pre_state, &bytes[..bytes.len() - 1]),
            Err(VerifyError::InvalidProofLength)
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    prop_assert_eq!(
        verify::step(&proof.pre_state, &longer),
        Err(VerifyError::InvalidProofLength)
    );
    Ok(proof)
}

proptest! {
    #![proptest_config(config(2000, 0x6F70_6D6C_0001))]

    /// (a) Random words on random states: the verifier's post-state is the interpreter's.
    #[test]
    fn random_steps_agree(case in any_case()) {
        agree(&case)?;
    }
}

proptest! {
    #![proptest_config(config(400, 0x6F70_6D6C_0002))]

    /// (b) Flipping any one byte of the pre-state or of the proof is rejected.
    #[test]
    fn random_byte_flips_are_rejected(
        case in any_case(),
        at in any::<Index>(),
        xor in 1u8..=255,
    ) {
        let proof = agree(&case)?;
        let bytes = proof.proof_bytes();
        let at = at.index(STATE_SIZE + bytes.len());
        let mut state = proof.pre_state.clone();
        let mut mem = bytes.clone();
        if at < STATE_SIZE {
            state[at] ^= xor;
            let got = verify_step(&proof.pre_state_hash, &state, &mem);
            prop_assert_eq!(got, Err(VerifyError::PreStateMismatch));
        } else {
            let at = at - STATE_SIZE;
            mem[at] ^= xor;
            let got = verify_step(&proof.pre_state_hash, &state, &mem);
            // A changed leaf or sibling breaks a fold. A changed mask also changes how many
            // siblings follow: the proof may then run out first.
            if is_mask_byte(&proof, at) {
                prop_assert!(
                    matches!(got, Err(VerifyError::InvalidMemoryProof | VerifyError::InvalidProofLength)),
                    "{:?}", got
                );
            } else {
                prop_assert_eq!(got, Err(VerifyError::InvalidMemoryProof));
            }
        }
    }
}

/// Counts of the kinds of steps (a) generates, to see that the mix is meaningful.
#[test]
fn random_steps_cover_every_kind_of_step() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::new(config(2000, 0x6F70_6D6C_0001));
    let strategy = any_case();
    let (mut loads, mut stores, mut crossing, mut halted, mut misaligned, mut illegal) =
        (0, 0, 0, 0, 0, 0);
    let mut legal = 0;
    for _ in 0..2000 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let insn = opml_vm::decode::decode(case.word);
        use opml_vm::decode::InsnKind::*;
        if case.status.is_halted() {
            halted += 1;
            continue;
        }
        if !case.pc.is_multiple_of(4) {
            misaligned += 1;
            continue;
        }
        match insn.kind {
            Illegal => illegal += 1,
            Lb | Lh | Lw | Lbu | Lhu => loads += 1,
            Sb | Sh | Sw => stores += 1,
            _ => {}
        }
        if insn.kind != Illegal {
            legal += 1;
        }
        let width = match insn.kind {
            Lh | Lhu | Sh => 2,
            Lw | Sw => 4,
            _ => 1,
        };
        let addr = case.setup().regs[insn.rs1 as usize].wrapping_add(insn.imm);
        if matches!(insn.kind, Lh | Lhu | Sh | Lw | Sw)
            && addr >> 5 != addr.wrapping_add(width - 1) >> 5
        {
            crossing += 1;
        }
    }
    eprintln!(
        "loads {loads}, stores {stores}, crossing {crossing}, halted {halted}, \
         misaligned pc {misaligned}, illegal {illegal}, legal {legal}"
    );
    assert!(
        loads > 250 && stores > 250,
        "loads {loads}, stores {stores}"
    );
    assert!(crossing > 80, "crossing {crossing}");
    assert!(
        halted > 50 && misaligned > 50,
        "halted {halted}, misaligned {misaligned}"
    );
    assert!(
        illegal > 100 && legal > 1000,
        "illegal {illegal}, legal {legal}"
    );
}

// ---------------------------------------------------------------------------------------------
// Every byte of a few representative proofs.

const PC: u32 = 0x0000_3FF8;
const DATA: u32 = 0x1000_0000;

fn representative_setups() -> Vec<(&'static str, Setup)> {
    let filled = |s: Setup| {
        s.bytes(
            DATA - 64,
            &(0..128).map(|i| (i * 37 + 5) as u8).collect::<Vec<_>>(),
        )
        .bytes(0xFFFF_FFE0, &[0xEE; 32])
        .bytes(0, &[0x77; 32])
        .reg(T2, 0xDDCC_BBAA)
    };
    vec![
        ("alu", filled(Setup::new(PC).code(&[asm::add(T0, T1, T2)]))),
        (
            "aligned load",
            filled(Setup::new(PC).code(&[asm::lw(T0, 4, T1)]).reg(T1, DATA)),
        ),
        (
            "load across leaves",
            filled(Setup::new(PC).code(&[asm::lw(T0, -2, T1)]).reg(T1, DATA)),
        ),
        (
            "store across leaves",
            filled(Setup::new(PC).code(&[asm::sw(T2, -1, T1)]).reg(T1, DATA)),
        ),
        (
            "store across the top of memory",
            filled(Setup::new(PC).code(&[asm::sh(T2, -1, ZERO)])),
        ),
        (
            "store into the instruction's leaf and the next",
            filled(
                Setup::new(PC + 4)
                    .code(&[asm::sw(T2, 2, T1)])
                    .reg(T1, PC + 4),
            ),
        ),
        (
            "load of the instruction itself",
            filled(Setup::new(PC).code(&[asm::lw(T0, 0, T1)]).reg(T1, PC)),
        ),
        (
            "ecall exit",
            filled(Setup::new(PC).code(&[asm::ecall()]).reg(A7, 93)),
        ),
        ("illegal", filled(Setup::new(PC).code(&[0]))),
        (
            "misaligned pc",
            filled(Setup::new(PC + 2).code(&[asm::nop()])),
        ),
        (
            "halted",
            filled(Setup::new(PC).code(&[asm::nop()]).status(Status::Exited(3))),
        ),
    ]
}

fn proof_of(setup: &Setup) -> StepProof {
    setup.machine().prove_step()
}

/// Where each encoded leaf proof lies in `proof.proof_bytes()`.
fn leaf_ranges(proof: &StepProof) -> Vec<std::ops::Range<usize>> {
    let mut start = 0;
    proof
        .leaf_proof_bytes()
        .iter()
        .map(|b| {
            start += b.len();
            start - b.len()..start
        })
        .collect()
}

/// Whether byte `at` of the proof bytes is a byte of a leaf proof's mask.
fn is_mask_byte(proof: &StepProof, at: usize) -> bool {
    leaf_ranges(proof)
        .iter()
        .any(|r| (r.start + 32..r.start + LEAF_PROOF_HEADER_SIZE).contains(&at))
}

/// The error that flipping bit `0x80 >> bit` of proof byte `at` must give: the changed leaf or
/// sibling breaks a fold (InvalidMemoryProof), and so does a mask bit set at a height the proof
/// does not cover, or on a sibling that is given; a mask bit cleared asks for one more sibling,
/// which the last leaf proof does not have (InvalidProofLength) and an earlier one takes from
/// the next leaf proof (a broken fold again).
fn flip_error(proof: &StepProof, at: usize, bit: usize) -> VerifyError {
    let ranges = leaf_ranges(proof);
    let n = ranges
        .iter()
        .position(|r| r.contains(&at))
        .expect("in a leaf proof");
    let offset = at - ranges[n].start;
    if (32..LEAF_PROOF_HEADER_SIZE).contains(&offset) {
        let mask_bit = 8 * (LEAF_PROOF_HEADER_SIZE - 1 - offset) + 7 - bit;
        let covered = mask_bit < proof.leaf_heights()[n];
        let was_set = (proof.masks()[n] >> mask_bit) & 1 == 1;
        if covered && was_set && n + 1 == ranges.len() {
            return VerifyError::InvalidProofLength;
        }
    }
    VerifyError::InvalidMemoryProof
}

/// Flips every bit of the pre-state and one bit of every proof byte, one at a time: each flip is
/// rejected, with the error `flip_error` says.
fn assert_every_byte_is_bound(name: &str, proof: &StepProof) {
    let bytes = proof.proof_bytes();
    let hash = proof.pre_state_hash;
    assert_eq!(
        verify_step(&hash, &proof.pre_state, &bytes),
        Ok(proof.post_state_hash),
        "{name}"
    );
    for at in 0..STATE_SIZE {
        let mut state = proof.pre_state.clone();
        state[at] ^= 1 << (at % 8);
        assert_eq!(
            verify_step(&hash, &state, &bytes),
            Err(VerifyError::PreStateMismatch),
            "{name}: state byte {at}"
        );
    }
    for at in 0..bytes.len() {
        // Every bit of the masks, one bit of every other byte.
        let bits = if is_mask_byte(proof, at) {
            0..8
        } else {
            at % 8..at % 8 + 1
        };
        for bit in bits {
            let mut mem = bytes.clone();
            mem[at] ^= 0x80 >> bit;
            assert_eq!(
                verify_step(&hash, &proof.pre_state, &mem),
                Err(flip_error(proof, at, bit)),
                "{name}: proof byte {at} of {}, bit {bit}",
                bytes.len()
            );
        }
    }
    // A pre-state with another memory root, presented with its own hash, does not verify
    // against this memory (when the step reads memory at all).
    if !bytes.is_empty() {
        for at in offset::MEM_ROOT..offset::MEM_ROOT + 32 {
            let mut state = proof.pre_state.clone();
            state[at] ^= 1;
            assert_eq!(
                verify_step(&keccak256(&state), &state, &bytes),
                Err(VerifyError::InvalidMemoryProof),
                "{name}: root byte {at}"
            );
        }
    }
}

#[test]
fn every_byte_of_representative_proofs_is_bound() {
    for (name, setup) in representative_setups() {
        assert_every_byte_is_bound(name, &proof_of(&setup));
    }
}

proptest! {
    #![proptest_config(config(12, 0x6F70_6D6C_0004))]

    /// (b) Every byte of some random proofs.
    #[test]
    fn every_byte_of_random_proofs_is_bound(case in any_case()) {
        let proof = agree(&case)?;
        assert_every_byte_is_bound("random", &proof);
    }
}

/// The proof bytes of `proof` with leaf proof `n` encoded with `mask` instead of its own.
fn with_mask(proof: &StepProof, n: usize, mask: u32) -> Vec<u8> {
    let mut parts = proof.leaf_proof_bytes();
    let leaf = &proof.leaves[n];
    let heights = proof.leaf_heights()[n];
    parts[n].clear();
    encode_leaf_proof_with_mask(&mut parts[n], &leaf.leaf, &leaf.siblings[..heights], mask);
    parts.concat()
}

#[test]
fn masks_are_checked() {
    let mut non_canonical = 0;
    for (name, setup) in representative_setups() {
        let proof = proof_of(&setup);
        let hash = proof.pre_state_hash;
        let verify = |mem: &[u8]| verify_step(&hash, &proof.pre_state, mem);
        for (n, (heights, mask)) in proof
            .leaf_heights()
            .into_iter()
            .zip(proof.masks())
            .enumerate()
        {
            // Z[h] given explicitly instead of omitted verifies too: every sibling given, and
            // each omitted one given alone.
            assert_eq!(
                verify(&with_mask(&proof, n, 0)),
                Ok(proof.post_state_hash),
                "{name}"
            );
            for h in (0..heights).filter(|h| (mask >> h) & 1 == 1) {
                let mem = with_mask(&proof, n, mask & !(1 << h));
                assert_eq!(
                    verify(&mem),
                    Ok(proof.post_state_hash),
                    "{name}: leaf {n}, Z[{h}]"
                );
                non_canonical += 1;
            }
            // A sibling that is not Z[h] cannot be left out.
            for h in (0..heights).filter(|h| (mask >> h) & 1 == 0) {
                let mem = with_mask(&proof, n, mask | 1 << h);
                assert_eq!(
                    verify(&mem),
                    Err(VerifyError::InvalidMemoryProof),
                    "{name}: {n}, {h}"
                );
            }
            // A bit at a height the proof does not cover: reserved, rejected as soon as read.
            for bit in heights..32 {
                let mut mem = proof.proof_bytes();
                let at = leaf_ranges(&proof)[n].start + 32;
                mem[at..at + 4].copy_from_slice(&(mask | 1 << bit).to_be_bytes());
                assert_eq!(
                    verify(&mem),
                    Err(VerifyError::InvalidMemoryProof),
                    "{name}: {n}, bit {bit}"
                );
                // ... before the length: with the rest of the proof cut off, too.
                assert_eq!(
                    verify(&mem[..at + 4]),
                    Err(VerifyError::InvalidMemoryProof),
                    "{name}: {n}, bit {bit}, truncated"
                );
            }
        }
    }
    assert!(non_canonical > 100, "{non_canonical}");
}

#[test]
fn proof_length_must_be_exact() {
    for (name, setup) in representative_setups() {
        let proof = proof_of(&setup);
        let bytes = proof.proof_bytes();
        let ranges = leaf_ranges(&proof);
        let hash = proof.pre_state_hash;
        let check = |mem: &[u8], what: &str| {
            assert_eq!(
                verify_step(&hash, &proof.pre_state, mem),
                Err(VerifyError::InvalidProofLength),
                "{name}: {what}"
            );
        };
        for r in &ranges {
            check(&bytes[..r.end - 1], "a leaf proof one byte short");
            check(
                &bytes[..r.end - 32],
                "a leaf proof one sibling or leaf short",
            );
            check(&bytes[..r.start + 35], "a mask one byte short");
            check(&bytes[..r.start], "a leaf proof short");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        check(&longer, "one byte extra");
        let mut longer = bytes.clone();
        longer.extend_from_slice(&bytes[..ranges.first().map_or(0, |r| r.end)]);
        longer.resize(bytes.len() + MAX_LEAF_PROOF_SIZE, 0);
        check(&longer, "one leaf proof extra");
    }
}

#[test]
fn tampered_leaves_are_rejected() {
    // A crossing load: both data leaves, in order. Leaf 0x7F_FFFF and 0x80_0000: pair height 23.
    let load = Setup::new(PC)
        .code(&[asm::lw(T0, -2, T1)])
        .reg(T1, DATA)
        .bytes(DATA - 4, &[1, 2, 3, 4, 5, 6, 7, 8]);
    let proof = proof_of(&load);
    assert_eq!(proof.leaves.len(), 3);
    assert_eq!(proof.leaf_heights(), [27, 27, 23]);
    let parts = proof.leaf_proof_bytes();
    let bytes = proof.proof_bytes();
    let verify = |mem: &[u8]| verify_step(&proof.pre_state_hash, &proof.pre_state, mem);
    assert_eq!(verify(&bytes), Ok(proof.post_state_hash));
    // Another leaf value with the right siblings.
    for (leaf, r) in leaf_ranges(&proof).into_iter().enumerate() {
        let mut mem = bytes.clone();
        mem[r.start..r.start + 32].copy_from_slice(&[0x42; 32]);
        assert_eq!(
            verify(&mem),
            Err(VerifyError::InvalidMemoryProof),
            "leaf {leaf}"
        );
    }
    // The two data leaves swapped: the pair proof read as the full proof of the first.
    let swapped = [parts[0].clone(), parts[2].clone(), parts[1].clone()].concat();
    assert!(matches!(
        verify(&swapped),
        Err(VerifyError::InvalidMemoryProof | VerifyError::InvalidProofLength)
    ));
    // The instruction leaf proven as a data leaf.
    let mem = [parts[0].clone(), parts[0].clone(), parts[2].clone()].concat();
    assert_eq!(verify(&mem), Err(VerifyError::InvalidMemoryProof));
    // The second data leaf as a full proof: the same siblings below the pair height, then more.
    let full = &proof.leaves[2];
    let mut mem = [parts[0].clone(), parts[1].clone()].concat();
    encode_leaf_proof_with_mask(&mut mem, &full.leaf, &full.siblings, 0);
    assert_eq!(verify(&mem), Err(VerifyError::InvalidProofLength));
    let mut mem = [parts[0].clone(), parts[1].clone()].concat();
    encode_leaf_proof(&mut mem, &full.leaf, &full.siblings);
    assert_eq!(verify(&mem), Err(VerifyError::InvalidMemoryProof));
    // A valid proof from a memory with a different instruction.
    let other = Setup::new(PC)
        .code(&[asm::lw(T0, -1, T1)])
        .reg(T1, DATA)
        .bytes(DATA - 4, &[1, 2, 3, 4, 5, 6, 7, 8]);
    let other_parts = proof_of(&other).leaf_proof_bytes();
    assert_eq!(other_parts[0].len(), parts[0].len());
    assert_eq!(
        verify(&other_parts.concat()),
        Err(VerifyError::InvalidMemoryProof)
    );
    // With the right instruction leaf, the other memory's data leaves still do not fit this
    // root (their siblings commit to the other instruction).
    let mem = [
        parts[0].clone(),
        other_parts[1].clone(),
        other_parts[2].clone(),
    ]
    .concat();
    assert_eq!(verify(&mem), Err(VerifyError::InvalidMemoryProof));

    // A crossing store: the pair proof is checked against the first leaf's sibling at the pair
    // height, with the leaf as it is before the store.
    let store = Setup::new(PC)
        .code(&[asm::sw(T2, -2, T1)])
        .reg(T1, DATA)
        .reg(T2, 0xDDCC_BBAA)
        .bytes(DATA - 4, &[1, 2, 3, 4, 5, 6, 7, 8]);
    let proof = proof_of(&store);
    let parts = proof.leaf_proof_bytes();
    let verify = |mem: &[u8]| verify_step(&proof.pre_state_hash, &proof.pre_state, mem);
    assert_eq!(verify(&parts.concat()), Ok(proof.post_state_hash));
    let mut after = store.machine();
    after.run(1);
    let stored = after.memory_mut().proof(DATA >> 5);
    assert_ne!(stored.leaf, proof.leaves[2].leaf);
    let mut mem = [parts[0].clone(), parts[1].clone()].concat();
    encode_leaf_proof(&mut mem, &stored.leaf, &stored.siblings[..23]);
    assert_eq!(verify(&mem), Err(VerifyError::InvalidMemoryProof));
    // The pair proof of the leaf after the second one.
    let next = store.machine().memory_mut().proof((DATA >> 5) + 1);
    let mut mem = [parts[0].clone(), parts[1].clone()].concat();
    encode_leaf_proof(&mut mem, &next.leaf, &next.siblings[..23]);
    assert_eq!(verify(&mem), Err(VerifyError::InvalidMemoryProof));
}

#[test]
fn wrong_or_malformed_pre_states_are_rejected() {
    let setup = Setup::new(PC).code(&[asm::addi(T0, T0, 1)]);
    let proof = proof_of(&setup);
    let bytes = proof.proof_bytes();
    let state = &proof.pre_state;
    assert_eq!(
        verify_step(&[0; 32], state, &bytes),
        Err(VerifyError::PreStateMismatch)
    );
    let other = Setup::new(PC).code(&[asm::addi(T0, T0, 1)]).step(5).state();
    assert_eq!(
        verify_step(&other.hash(), state, &bytes),
        Err(VerifyError::PreStateMismatch)
    );
    assert_eq!(
        verify_step(&proof.post_state_hash, state, &bytes),
        Err(VerifyError::PreStateMismatch)
    );
    // Wrong lengths, presented with their own hash.
    for len in [0, STATE_SIZE - 1, STATE_SIZE + 1] {
        let mut s = state.clone();
        s.resize(len, 0);
        assert_eq!(
            verify_step(&keccak256(&s), &s, &bytes),
            Err(VerifyError::InvalidStateLength),
            "length {len}"
        );
    }
    // Non-canonical status fields, presented with their own hash.
    let with = |status: u8, code: u32| {
        let mut s = state.clone();
        s[offset::STATUS] = status;
        s[offset::CODE..offset::CODE + 4].copy_from_slice(&code.to_be_bytes());
        s
    };
    for (status, code) in [
        (3, 0),
        (0xFF, 0),
        (0, 1),
        (0, 0x8000_0000),
        (2, 1),
        (2, 4),
        (2, 9),
    ] {
        let s = with(status, code);
        assert_eq!(
            verify_step(&keccak256(&s), &s, &bytes),
            Err(VerifyError::InvalidStatus),
            "status {status} code {code}"
        );
        assert_eq!(verify::step(&s, &[]), Err(VerifyError::InvalidStatus));
    }
    // Every canonical halted status is accepted, with an empty proof.
    for (status, code) in [(1, 0), (1, u32::MAX), (2, 0), (2, 2), (2, 3), (2, 8)] {
        let s = with(status, code);
        let decoded = VmState::decode(&s).unwrap();
        assert_eq!(verify_step(&keccak256(&s), &s, &[]), Ok(decoded.hash()));
    }
}

// ---------------------------------------------------------------------------------------------
// Random programs: many steps in one `run` (decode cache, self-modifying stores) against the
// chain of proven steps.

const CODE: u32 = 0x0000_2FC0;
const CODE_WORDS: u32 = 24;

fn program_word() -> impl Strategy<Value = u32> {
    type R = fn(u32, u32, u32) -> u32;
    type I = fn(u32, u32, i32) -> u32;
    type M = fn(u32, i32, u32) -> u32;
    // Sources among x0..x15; destinations avoid the base registers x8, x9, x10. Loads and stores
    // reach from before the code (x9) to past its end.
    let src = 0u32..16;
    let dst = prop::sample::select(vec![0u32, 1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15]);
    let base = prop::sample::select(vec![S0, S1, A0]);
    let r: Vec<R> = vec![
        asm::add,
        asm::sub,
        asm::sll,
        asm::slt,
        asm::sltu,
        asm::xor,
        asm::srl,
        asm::sra,
        asm::or,
        asm::and,
        asm::mul,
        asm::mulh,
        asm::mulhsu,
        asm::mulhu,
        asm::div,
        asm::divu,
        asm::rem,
        asm::remu,
    ];
    let i: Vec<I> = vec![
        asm::addi,
        asm::slti,
        asm::sltiu,
        asm::xori,
        asm::ori,
        asm::andi,
    ];
    let loads: Vec<M> = vec![asm::lb, asm::lh, asm::lw, asm::lbu, asm::lhu];
    let stores: Vec<M> = vec![asm::sb, asm::sh, asm::sw];
    let branches: Vec<I> = vec![asm::beq, asm::bne, asm::blt, asm::bge, asm::bltu, asm::bgeu];
    prop_oneof![
        4 => (prop::sample::select(r), dst.clone(), src.clone(), src.clone())
            .prop_map(|(f, d, a, b)| f(d, a, b)),
        3 => (prop::sample::select(i), dst.clone(), src.clone(), -2048i32..2048)
            .prop_map(|(f, d, a, imm)| f(d, a, imm)),
        1 => (dst.clone(), src.clone(), 0u32..32, 0usize..3)
            .prop_map(|(d, a, sh, k)| [asm::slli as R, asm::srli, asm::srai][k](d, a, sh)),
        3 => (prop::sample::select(loads), dst.clone(), -40i32..104, base.clone())
            .prop_map(|(f, d, imm, b)| f(d, imm, b)),
        3 => (prop::sample::select(stores), src.clone(), -40i32..104, base)
            .prop_map(|(f, v, imm, b)| f(v, imm, b)),
        2 => (prop::sample::select(branches), src.clone(), src, -6i32..7)
            .prop_map(|(f, a, b, k)| f(a, b, 4 * k)),
        1 => (dst.clone(), -6i32..7).prop_map(|(d, k)| asm::jal(d, 4 * k)),
        1 => (dst.clone(), 0i32..(4 * CODE_WORDS as i32)).prop_map(|(d, o)| asm::jalr(d, o, S1)),
        1 => (dst, any::<u32>(), any::<bool>()).prop_map(|(d, imm, upper)| {
            if upper { asm::lui(d, imm >> 12) } else { asm::auipc(d, imm >> 12) }
        }),
        1 => prop::sample::select(vec![asm::ecall(), asm::fence(), asm::fence_i()]),
    ]
}

#[derive(Debug, Clone)]
struct Program {
    words: Vec<u32>,
    regs: [u32; 32],
    data_base: u32,
    data: Vec<u8>,
    top: Vec<u8>,
    exit: bool,
}

fn any_program() -> impl Strategy<Value = Program> {
    (
        prop::collection::vec(program_word(), CODE_WORDS as usize),
        proptest::array::uniform32(any_reg_value()),
        (any::<u32>(), -8i32..8).prop_map(|(a, d)| (a & !0xFFF).wrapping_add((4 * d) as u32)),
        prop::collection::vec(any::<u8>(), 192),
        prop::collection::vec(any::<u8>(), 64),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(words, regs, data_base, data, top, exit)| Program {
            words,
            regs,
            data_base,
            data,
            top,
            exit,
        })
}

impl Program {
    fn setup(&self, cached: bool) -> Setup {
        let mut s = Setup::new(CODE);
        s.regs = self.regs;
        s.regs[0] = 0;
        s.regs[S0 as usize] = self.data_base;
        s.regs[S1 as usize] = CODE;
        s.regs[A0 as usize] = 0xFFFF_FFE0;
        s.regs[A7 as usize] = if self.exit { 93 } else { 64 };
        let mut s = s
            .bytes(self.data_base.wrapping_sub(64), &self.data)
            .bytes(0xFFFF_FFC0, &self.top[..32])
            .bytes(0, &self.top[32..])
            .code(&self.words);
        if !cached {
            s.code_range = None;
        }
        s
    }
}

proptest! {
    #![proptest_config(config(100, 0x6F70_6D6C_0003))]

    /// (c) Random programs: `run(n)` equals `n` proven and verified steps.
    #[test]
    fn random_programs_agree_with_their_proven_steps(program in any_program()) {
        let cached = check_run(&program.setup(true), 48);
        let mut uncached = program.setup(false).machine();
        uncached.run(48);
        prop_assert_eq!(uncached.state(), cached);
    }
}
