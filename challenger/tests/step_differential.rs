//! Differential test of the compiled Solidity step (`contracts/artifacts/Step.json`, run in revm)
//! against the Rust VM: the prover's post-state hash (`StepProof::post_state_hash`), the literal
//! verifier `opml_vm::verify`, and the contract's `step` and `verifyStep` must agree on every
//! step, and on every rejected input the contract must revert with the custom error named like
//! the verifier's `VerifyError` variant.
//!
//! - real runs: every step of conformance programs, a seeded sample of the matmul guest; each
//!   honest step also runs in a second EVM with Cancun's gas rules, and each run reports its
//!   most expensive `verifyStep` transaction at revm's default hardfork (with the EIP-7623
//!   calldata floor) and at Cancun (`--nocapture` shows it);
//! - the named vectors of `contracts/test/fixtures/step_vectors.json`, every instruction kind;
//! - random instructions on random states (proptest), and byte-flipped proofs and states;
//! - `#[ignore]`d, for release builds (`cargo test --release -p opml-challenger --test
//!   step_differential -- --ignored`, about 90 s on 2 cores): `OPML_DIFF_STEPS` (default
//!   100,000) random steps, and every step of the matmul guest.

use alloy_primitives::B256;
use opml_challenger::contracts::{ContractError, SpecId, StepContract};
use opml_vm::merkle::keccak256;
use opml_vm::verify::{self, VerifyError};
use opml_vm::{Fault, Machine, Memory, Program, Status, StepProof, Trace};
use proptest::prelude::*;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn deploy() -> StepContract {
    StepContract::deploy().expect("deploy Step")
}

/// Runs `f` on this test thread's deployed contract (the EVM is not `Send`).
fn with_contract<R>(f: impl FnOnce(&mut StepContract) -> R) -> R {
    thread_local! {
        static C: RefCell<StepContract> = RefCell::new(deploy());
    }
    C.with_borrow_mut(f)
}

/// The Solidity custom error for a verifier error: the variant's name.
fn error_name(e: VerifyError) -> &'static str {
    match e {
        VerifyError::InvalidStateLength => "InvalidStateLength",
        VerifyError::InvalidStatus => "InvalidStatus",
        VerifyError::PreStateMismatch => "PreStateMismatch",
        VerifyError::InvalidProofLength => "InvalidProofLength",
        VerifyError::InvalidMemoryProof => "InvalidMemoryProof",
    }
}

/// What the contract is expected to answer, from the Rust verifier's answer.
fn expected(r: Result<[u8; 32], VerifyError>) -> Result<B256, ContractError> {
    r.map(B256::from)
        .map_err(|e| ContractError::Revert(error_name(e)))
}

/// `step` and `verifyStep` on (`pre_hash`, `state`, `proof`) against the Rust verifier; returns
/// the verifier's `verify_step` answer.
fn check_inputs(
    c: &mut StepContract,
    what: &dyn std::fmt::Display,
    pre_hash: &[u8; 32],
    state: &[u8],
    proof: &[u8],
) -> Result<[u8; 32], VerifyError> {
    let rust_step = verify::step(state, proof).map(|s| s.hash());
    let evm_step = c.step(state, proof);
    assert_eq!(
        evm_step,
        expected(rust_step),
        "step() differs: {what}\nstate 0x{}\nproof 0x{}",
        hex::encode(state),
        hex::encode(proof)
    );
    let rust_verify = verify::verify_step(pre_hash, state, proof);
    let evm_verify = c.verify_step(B256::from(*pre_hash), state, proof);
    assert_eq!(
        evm_verify,
        expected(rust_verify),
        "verifyStep() differs: {what}\npre 0x{}\nstate 0x{}\nproof 0x{}",
        hex::encode(pre_hash),
        hex::encode(state),
        hex::encode(proof)
    );
    rust_verify
}

/// A prover's step proof: the contract, the verifier and the prover agree on the post-state.
fn check_proof(c: &mut StepContract, what: &dyn std::fmt::Display, p: &StepProof) {
    let proof = p.proof_bytes();
    let got = check_inputs(c, what, &p.pre_state_hash, &p.pre_state, &proof);
    assert_eq!(got, Ok(p.post_state_hash), "verifier vs prover: {what}");
}

/// Flips one byte of the proof (or of the state) and checks that the contract answers as the
/// verifier does: the same post-state hash, or a revert with the same error.
fn check_tampered(
    c: &mut StepContract,
    what: &dyn std::fmt::Display,
    p: &StepProof,
    rng: &mut SmallRng,
) -> Result<[u8; 32], VerifyError> {
    let mut state = p.pre_state.clone();
    let mut proof = p.proof_bytes();
    let mut pre_hash = p.pre_state_hash;
    match rng.gen_range(0..8) {
        0 if !proof.is_empty() => proof.truncate(rng.gen_range(0..proof.len())),
        1 => proof.extend(std::iter::repeat_n(0u8, rng.gen_range(1..40))),
        2 => {
            state.truncate(rng.gen_range(0..state.len()));
            pre_hash = keccak256(&state);
        }
        3 => {
            // A state whose hash is trusted: the flip reaches the decoder, not the hash check.
            let i = rng.gen_range(0..state.len());
            state[i] ^= 1 << rng.gen_range(0..8);
            pre_hash = keccak256(&state);
        }
        4 => {
            let i = rng.gen_range(0..state.len());
            state[i] ^= 1 << rng.gen_range(0..8);
        }
        _ if !proof.is_empty() => {
            let i = rng.gen_range(0..proof.len());
            proof[i] ^= rng.gen_range(1..=255u8);
        }
        _ => proof.push(rng.gen()),
    }
    check_inputs(c, what, &pre_hash, &state, &proof)
}

// ---------------------------------------------------------------------------------------------
// Real runs.

/// Steps of `elf` to check: all of them (and the fixed point after the halt) or a sample.
fn check_program(elf: &Path, sample: Option<(usize, u64)>) -> u64 {
    let bytes = std::fs::read(elf).unwrap_or_else(|e| panic!("{}: {e}", elf.display()));
    let program = Program::parse(&bytes).expect("parse ELF");
    let trace = Trace::record(program.machine().expect("machine"), 10_000_000, 1 << 12);
    let end = trace.final_state().step;
    assert!(
        trace.final_state().status.is_halted(),
        "{} did not halt",
        elf.display()
    );
    let steps: Vec<u64> = match sample {
        None => (0..=end).collect(),
        Some((n, seed)) => {
            let mut rng = SmallRng::seed_from_u64(seed);
            let mut s = std::collections::BTreeSet::from([0, end - 1, end]);
            while s.len() < n + 3 {
                s.insert(rng.gen_range(0..end));
            }
            s.into_iter().collect()
        }
    };
    let mut c = deploy();
    // The same contract under Cancun's gas rules (no EIP-7623 calldata floor), for the report.
    let mut cancun = StepContract::deploy_at(SpecId::CANCUN).expect("deploy Step");
    let name = elf.file_name().unwrap().to_string_lossy().into_owned();
    let mut rng = SmallRng::seed_from_u64(0x5eed);
    // Walk one machine forward through the sorted steps; every 64th proof is also taken with
    // `Trace::prove` and must be the same.
    let mut m = trace.machine_at(steps[0]).expect("machine_at");
    let (mut max_gas, mut max_cancun) = ((0, 0, 0), (0, 0, 0));
    for (i, &step) in steps.iter().enumerate() {
        if m.step() < step {
            m.run(step - m.step());
        }
        let p = m.prove_step();
        assert_eq!(p.step, step.min(end), "{name}: walked machine");
        if i % 64 == 0 {
            let q = trace.prove(step).expect("prove");
            assert_eq!(
                q, p,
                "{name} step {step}: Trace::prove vs the machine walked forward"
            );
        }
        let what = format!("{name} step {step}");
        check_proof(&mut c, &what, &p);
        let proof = p.proof_bytes();
        max_gas = max_gas.max((c.last_gas_used(), step, proof.len()));
        assert_eq!(
            cancun.verify_step(p.pre_state_hash.into(), &p.pre_state, &proof),
            Ok(p.post_state_hash.into()),
            "{what}: under Cancun"
        );
        max_cancun = max_cancun.max((cancun.last_gas_used(), step, proof.len()));
        if i % 8 == 0 {
            let _ = check_tampered(&mut c, &what, &p, &mut rng);
        }
    }
    let (spec, at) = (SpecId::default(), |(gas, step, len): (u64, u64, usize)| {
        format!("{gas} (step {step}, {len} proof bytes)")
    });
    eprintln!(
        "{name}: {} steps, most gas of a verifyStep transaction: {} at {spec:?} (revm's \
         default, EIP-7623 floor), {} at CANCUN",
        steps.len(),
        at(max_gas),
        at(max_cancun)
    );
    steps.len() as u64
}

const PROGRAMS: &[&str] = &[
    "add",
    "addi",
    "lw",
    "lb",
    "lbu",
    "lh",
    "lhu",
    "sw",
    "sh",
    "sb",
    "misaligned",
    "misaligned_wrap",
    "smc",
    "smc_next",
    "mul",
    "mulh",
    "mulhsu",
    "div",
    "divu",
    "rem",
    "jalr",
    "beq",
    "sra",
    "ecall_write",
    "exit_code",
    "fault_csr",
    "fault_compressed",
    "fault_misaligned_pc",
    "fault_misaligned_branch",
    "fault_syscall",
    "fault_ebreak",
];

#[test]
fn every_step_of_conformance_programs() {
    let dir = repo_root().join("vm/tests/programs");
    let t = Instant::now();
    let mut total = 0;
    for p in PROGRAMS {
        total += check_program(&dir.join(format!("{p}.elf")), None);
    }
    eprintln!(
        "{} programs, {total} steps in {:?}",
        PROGRAMS.len(),
        t.elapsed()
    );
}

#[test]
fn matmul_guest_sample() {
    let elf = repo_root().join("dnn-lib/guest/bin/matmul.elf");
    let t = Instant::now();
    let n = check_program(&elf, Some((2000, 0x6d61_746d)));
    assert!(n >= 2000, "{n} distinct steps sampled");
    eprintln!("matmul: {n} steps in {:?}", t.elapsed());
}

/// Every one of the matmul guest's 245,524 steps (about a minute in release).
#[test]
#[ignore = "long: run in release with --ignored"]
fn matmul_guest_every_step() {
    let elf = repo_root().join("dnn-lib/guest/bin/matmul.elf");
    let t = Instant::now();
    let n = check_program(&elf, None);
    eprintln!("matmul: all {n} steps in {:?}", t.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Named vectors.

fn unhex(v: &serde_json::Value) -> Vec<u8> {
    let s = v.as_str().expect("hex string");
    hex::decode(s.trim_start_matches("0x")).expect("hex")
}

#[test]
fn step_vectors() {
    let path = repo_root().join("contracts/test/fixtures/step_vectors.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read vectors")).expect("json");
    let mut c = deploy();
    let vectors = json["vectors"].as_array().expect("vectors");
    let errors = json["errors"].as_array().expect("errors");
    assert!(vectors.len() >= 127 && errors.len() >= 25);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let pre: [u8; 32] = unhex(&v["preStateHash"]).try_into().unwrap();
        let post: [u8; 32] = unhex(&v["postStateHash"]).try_into().unwrap();
        let got = check_inputs(
            &mut c,
            &name,
            &pre,
            &unhex(&v["state"]),
            &unhex(&v["proof"]),
        );
        assert_eq!(got, Ok(post), "vector {name}");
    }
    for v in errors {
        let name = v["name"].as_str().unwrap();
        let pre: [u8; 32] = unhex(&v["preStateHash"]).try_into().unwrap();
        let got = check_inputs(
            &mut c,
            &name,
            &pre,
            &unhex(&v["state"]),
            &unhex(&v["proof"]),
        );
        let want = v["error"].as_str().unwrap();
        assert_eq!(got.map_err(error_name), Err(want), "error vector {name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Random instructions on random states.

mod enc {
    pub(crate) fn r(op: u32, rd: u32, f3: u32, rs1: u32, rs2: u32, f7: u32) -> u32 {
        f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op
    }
    pub(crate) fn i(op: u32, rd: u32, f3: u32, rs1: u32, imm: u32) -> u32 {
        (imm & 0xFFF) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op
    }
    pub(crate) fn s(f3: u32, rs1: u32, rs2: u32, imm: u32) -> u32 {
        ((imm >> 5) & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 0x1F) << 7 | 0x23
    }
    pub(crate) fn b(f3: u32, rs1: u32, rs2: u32, imm: u32) -> u32 {
        ((imm >> 12) & 1) << 31
            | ((imm >> 5) & 0x3F) << 25
            | rs2 << 20
            | rs1 << 15
            | f3 << 12
            | ((imm >> 1) & 0xF) << 8
            | ((imm >> 11) & 1) << 7
            | 0x63
    }
    pub(crate) fn u(op: u32, rd: u32, imm: u32) -> u32 {
        (imm & 0xFFFF_F000) | rd << 7 | op
    }
    pub(crate) fn j(rd: u32, imm: u32) -> u32 {
        ((imm >> 20) & 1) << 31
            | ((imm >> 1) & 0x3FF) << 21
            | ((imm >> 11) & 1) << 20
            | ((imm >> 12) & 0xFF) << 12
            | rd << 7
            | 0x6F
    }
}

fn edge_value(rng: &mut SmallRng) -> u32 {
    match rng.gen_range(0..10) {
        0 => 0,
        1 => 1,
        2 => u32::MAX,
        3 => 0x8000_0000,
        4 => 0x7FFF_FFFF,
        5 => rng.gen_range(0..64),
        6 => 0u32.wrapping_sub(rng.gen_range(0..64)),
        _ => rng.gen(),
    }
}

/// An address worth touching: near a leaf boundary, the top of memory, or the instruction.
fn target_address(rng: &mut SmallRng, pc: u32) -> u32 {
    let base = match rng.gen_range(0..6) {
        0 | 1 => rng.gen::<u32>() & !31,
        2 => 0,
        3 => pc.wrapping_add(rng.gen_range(0..3) * 4),
        4 => rng.gen::<u32>() & !0xFFF,
        _ => return rng.gen(),
    };
    base.wrapping_add(rng.gen_range(0..8)).wrapping_sub(4)
}

/// A random one-instruction machine: biased to legal encodings, memory accesses near leaf
/// boundaries and 0xFFFFFFFF, self-modifying stores, and some halted or misaligned states.
fn random_machine(rng: &mut SmallRng) -> (Machine, String) {
    let mut regs = [0u32; 32];
    for r in regs.iter_mut().skip(1) {
        *r = edge_value(rng);
    }
    let pc = match rng.gen_range(0..10) {
        0 => 0u32.wrapping_sub(4 * rng.gen_range(1..4)),
        1 => 0,
        2 => rng.gen::<u32>() | rng.gen_range(1..4), // misaligned
        3 => (rng.gen::<u32>() & !31) + 28,          // last word of a leaf
        _ => rng.gen::<u32>() & !3,
    };
    let rd = if rng.gen_ratio(1, 10) {
        0
    } else {
        rng.gen_range(0..32)
    };
    let rs1 = rng.gen_range(0..32);
    let rs2 = rng.gen_range(0..32);
    let f3 = rng.gen_range(0..8);
    let legal = rng.gen_ratio(4, 5);
    let imm = match rng.gen_range(0..4) {
        0 => edge_value(rng),
        1 => 0xFFF,
        2 => 0x800,
        _ => rng.gen(),
    };
    let f7 = [0, 0x20, 1, 0, 0x20, 1, rng.gen_range(0..128)][rng.gen_range(0..7)];
    let shift_imm = (f7 << 5) | (imm & 31);
    let insn = match rng.gen_range(0..32) {
        0 => enc::u(0x37, rd, imm),
        1 => enc::u(0x17, rd, imm),
        2 => enc::j(rd, imm),
        3 => enc::i(0x67, rd, if rng.gen_ratio(1, 8) { f3 } else { 0 }, rs1, imm),
        4..=6 => enc::b(f3, rs1, rs2, imm),
        7..=11 => enc::i(
            0x03,
            rd,
            if legal {
                [0, 1, 2, 4, 5][f3 as usize % 5]
            } else {
                f3
            },
            rs1,
            imm,
        ),
        12..=16 => enc::s(if legal { f3 % 3 } else { f3 }, rs1, rs2, imm),
        17..=19 => enc::i(
            0x13,
            rd,
            f3,
            rs1,
            if f3 == 1 || f3 == 5 { shift_imm } else { imm },
        ),
        20..=25 => enc::r(0x33, rd, f3, rs1, rs2, f7),
        26 => enc::i(0x0F, rd, f3, rs1, imm),
        27 => {
            regs[17] = [93, 64, 64, rng.gen()][rng.gen_range(0..4)];
            [
                0x73,
                0x73,
                0x0010_0073,
                0x3002_1073,
                rng.gen::<u32>() | 0x73,
            ][rng.gen_range(0..5)]
        }
        28 => (rng.gen::<u32>() & !3) | 3, // random 32-bit encoding
        29 => rng.gen(),                   // anything, compressed included
        30 => 0,
        _ => enc::r(0x33, rd, f3, rs1, rs2, 1), // M extension
    };
    // Loads and stores: aim the effective address at an interesting target.
    let opcode = insn & 0x7F;
    let mut target = None;
    if (opcode == 0x03 || opcode == 0x23) && rs1 != 0 {
        let t = target_address(rng, pc);
        let off = if opcode == 0x03 {
            insn >> 20
        } else {
            (insn >> 25) << 5 | (insn >> 7) & 31
        };
        let off = (((off << 20) as i32) >> 20) as u32;
        regs[rs1 as usize] = t.wrapping_sub(off);
        target = Some(t);
    }
    let mut mem = Memory::new().expect("memory");
    let write = |mem: &mut Memory, addr: u32, bytes: &[u8]| {
        for (i, b) in bytes.iter().enumerate() {
            mem.write_u8(addr.wrapping_add(i as u32), *b);
        }
    };
    if let Some(t) = target {
        let data: Vec<u8> = (0..16).map(|_| rng.gen()).collect();
        write(&mut mem, t.wrapping_sub(8), &data);
    }
    if rng.gen_ratio(1, 4) {
        let data: Vec<u8> = (0..64).map(|_| rng.gen()).collect();
        write(&mut mem, rng.gen(), &data);
    }
    write(&mut mem, pc & !3, &insn.to_le_bytes());
    let status = match rng.gen_range(0..20) {
        0 => Status::Exited(edge_value(rng)),
        1 => Status::Faulted(
            [
                Fault::InstructionAddressMisaligned,
                Fault::IllegalInstruction,
                Fault::Breakpoint,
                Fault::UnsupportedSyscall,
            ][rng.gen_range(0..4)],
        ),
        _ => Status::Running,
    };
    let step = match rng.gen_range(0..4) {
        0 => 0,
        1 => u64::MAX - rng.gen_range(0..2), // the counter wraps
        2 => u32::MAX as u64,
        _ => rng.gen(),
    };
    let m = Machine::from_parts(mem, pc, regs, step, status);
    let what = format!("insn {insn:#010x} at pc {pc:#010x}, status {status:?}, target {target:x?}");
    (m, what)
}

/// What a random case exercised.
#[derive(Debug)]
struct Outcome {
    /// Leaf proofs of the honest step.
    leaves: usize,
    /// Status byte after the honest step.
    status: u8,
    /// The verifier's answer to the tampered input.
    tampered: Result<[u8; 32], VerifyError>,
}

/// One random case from `seed`: the honest proof, then one tampered variant.
fn random_case(c: &mut StepContract, seed: u64) -> Outcome {
    let mut rng = SmallRng::seed_from_u64(seed);
    let (mut m, what) = random_machine(&mut rng);
    if rng.gen_ratio(1, 2) {
        m.set_code_range(m.pc() & !3, 4);
    }
    let p = m.prove_step();
    let what = format!("seed {seed:#x}: {what}");
    check_proof(c, &what, &p);
    let tampered = check_tampered(c, &what, &p, &mut rng);
    Outcome {
        leaves: p.leaves.len(),
        status: m.status().tag(),
        tampered,
    }
}

/// Tallies of outcomes, to show what a run covered.
#[derive(Debug, Default)]
struct Tally(std::collections::BTreeMap<String, u64>);

impl Tally {
    fn add(&mut self, o: &Outcome) {
        for key in [
            format!("leaves={}", o.leaves),
            format!("status={}", o.status),
            match o.tampered {
                Ok(_) => "tampered:accepted".to_string(),
                Err(e) => format!("tampered:{}", error_name(e)),
            },
        ] {
            *self.0.entry(key).or_default() += 1;
        }
    }

    fn count(&self, key: &str) -> u64 {
        self.0.get(key).copied().unwrap_or(0)
    }
}

#[test]
fn random_cases_cover_every_outcome() {
    let mut c = deploy();
    let mut tally = Tally::default();
    for seed in 0..1000 {
        tally.add(&random_case(&mut c, 0xC0FF_EE00_0000 + seed));
    }
    eprintln!("{:?}", tally.0);
    for key in [
        "leaves=0",
        "leaves=1",
        "leaves=2",
        "leaves=3",
        "status=0",
        "status=1",
        "status=2",
        "tampered:accepted",
        "tampered:InvalidStateLength",
        "tampered:InvalidStatus",
        "tampered:PreStateMismatch",
        "tampered:InvalidProofLength",
        "tampered:InvalidMemoryProof",
    ] {
        assert!(tally.count(key) >= 5, "{key}: {:?}", tally.0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_instructions_on_random_states(seed in any::<u64>()) {
        with_contract(|c| random_case(c, seed));
    }
}

/// `OPML_DIFF_STEPS` random steps (default 100,000) from seed `OPML_DIFF_SEED` (default 0), on
/// `OPML_DIFF_THREADS` threads (default: all cores), each with its own EVM.
#[test]
#[ignore = "long: run in release with --ignored"]
fn many_random_steps() {
    let var = |name: &str| {
        std::env::var(name).ok().map(|s| {
            s.replace('_', "")
                .parse::<u64>()
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        })
    };
    let n = var("OPML_DIFF_STEPS").unwrap_or(100_000);
    let seed = var("OPML_DIFF_SEED").unwrap_or(0);
    let threads = var("OPML_DIFF_THREADS")
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as u64))
        .max(1);
    let t = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|k| {
                scope.spawn(move || {
                    let mut c = deploy();
                    let mut tally = Tally::default();
                    for i in (k..n).step_by(threads as usize) {
                        tally.add(&random_case(
                            &mut c,
                            seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i,
                        ));
                        if k == 0 && (i + threads) % 1_000_000 < threads {
                            let secs = t.elapsed().as_secs_f64();
                            eprintln!(
                                "~{} steps, {:.0}/s",
                                i + threads,
                                (i + threads) as f64 / secs
                            );
                        }
                    }
                    tally
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker"))
            .collect()
    });
    let mut total = Tally::default();
    for tally in tallies {
        for (k, v) in tally.0 {
            *total.0.entry(k).or_default() += v;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    eprintln!("{:?}", total.0);
    eprintln!(
        "{n} random steps (and as many tampered) agree, seed {seed}, {threads} threads: \
         {secs:.1} s, {:.0} steps/s",
        n as f64 / secs
    );
}
