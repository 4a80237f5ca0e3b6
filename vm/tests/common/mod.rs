//! Shared helpers of the opml-vm integration tests: an instruction encoder ([`asm`]), machines
//! built from a description of their state ([`Setup`]), and the check that the fast interpreter
//! and the literal verifier agree on a step ([`check_step`], [`check_run`]).
//!
//! (`common/mod.rs` rather than `common.rs`, so that cargo does not build it as a test target.)
#![allow(dead_code)]

pub(crate) mod asm;

use opml_vm::memory::Memory;
use opml_vm::verify::{self, verify_step};
use opml_vm::{Machine, Status, StepProof, VmState};

/// The step counter of most hand-written cases: not zero, larger than 32 bits.
pub(crate) const STEP: u64 = 0x1_0000_0007;

/// A machine state to build: pc, registers, step, status and memory contents.
#[derive(Debug, Clone)]
pub(crate) struct Setup {
    pub(crate) pc: u32,
    pub(crate) regs: [u32; 32],
    pub(crate) step: u64,
    pub(crate) status: Status,
    /// Byte ranges written in order (later ones win); addresses wrap modulo 2^32.
    pub(crate) mem: Vec<(u32, Vec<u8>)>,
    /// The decode-cache hint, if any.
    pub(crate) code_range: Option<(u32, u32)>,
}

/// Distinct values in every register, so that a write to the wrong one shows.
pub(crate) fn pattern_regs() -> [u32; 32] {
    std::array::from_fn(|i| {
        if i == 0 {
            0
        } else {
            0x5A5A_0000 | (i as u32) << 8 | i as u32
        }
    })
}

impl Setup {
    /// A running machine at `pc`, step [`STEP`], patterned registers, empty memory.
    pub(crate) fn new(pc: u32) -> Self {
        Self {
            pc,
            regs: pattern_regs(),
            step: STEP,
            status: Status::Running,
            mem: Vec::new(),
            code_range: None,
        }
    }

    /// `words` at `pc`, which is also the decode-cache range.
    pub(crate) fn code(self, words: &[u32]) -> Self {
        let pc = self.pc;
        self.code_at(pc, words)
    }

    /// `words` at `addr`, which is also the decode-cache range.
    pub(crate) fn code_at(mut self, addr: u32, words: &[u32]) -> Self {
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        self.code_range = Some((addr, bytes.len() as u32));
        self.mem.push((addr, bytes));
        self
    }

    /// Sets x`i` (x0 stays zero).
    pub(crate) fn reg(mut self, i: u32, value: u32) -> Self {
        if i != 0 {
            self.regs[i as usize] = value;
        }
        self
    }

    /// Writes `bytes` at `addr` (wrapping).
    pub(crate) fn bytes(mut self, addr: u32, bytes: &[u8]) -> Self {
        self.mem.push((addr, bytes.to_vec()));
        self
    }

    /// Sets the step counter.
    pub(crate) fn step(mut self, step: u64) -> Self {
        self.step = step;
        self
    }

    /// Sets the status.
    pub(crate) fn status(mut self, status: Status) -> Self {
        self.status = status;
        self
    }

    /// The memory described.
    pub(crate) fn memory(&self) -> Memory {
        let mut mem = Memory::new().expect("reserve 4 GiB");
        write_all(&mut mem, &self.mem);
        mem
    }

    /// A machine in this state.
    pub(crate) fn machine(&self) -> Machine {
        let mut m = Machine::from_parts(self.memory(), self.pc, self.regs, self.step, self.status);
        if let Some((base, len)) = self.code_range {
            m.set_code_range(base, len);
        }
        m
    }

    /// The packed state of this setup.
    pub(crate) fn state(&self) -> VmState {
        VmState {
            mem_root: self.memory().root(),
            pc: self.pc,
            step: self.step,
            status: self.status,
            regs: self.regs,
        }
    }
}

/// Writes byte ranges in order, wrapping at 2^32.
pub(crate) fn write_all(mem: &mut Memory, ranges: &[(u32, Vec<u8>)]) {
    for (addr, bytes) in ranges {
        if (*addr as u64) + bytes.len() as u64 <= 1 << 32 {
            mem.write_bytes(*addr, bytes);
        } else {
            for (i, b) in bytes.iter().enumerate() {
                mem.write_u8(addr.wrapping_add(i as u32), *b);
            }
        }
    }
}

/// The exact post-state a step must produce.
#[derive(Debug, Clone)]
pub(crate) struct Expect {
    pub(crate) pc: u32,
    pub(crate) regs: [u32; 32],
    pub(crate) step: u64,
    pub(crate) status: Status,
    /// Bytes the step writes (wrapping); all other memory must be unchanged.
    pub(crate) writes: Vec<(u32, Vec<u8>)>,
    /// Leaf proofs the step proof must carry.
    pub(crate) leaves: usize,
    /// Instructions `run(1)` must report.
    pub(crate) ran: u64,
}

impl Expect {
    /// An instruction that falls through: pc + 4, step + 1, nothing else changes yet.
    pub(crate) fn next(s: &Setup) -> Self {
        Self {
            pc: s.pc.wrapping_add(4),
            regs: s.regs,
            step: s.step + 1,
            status: Status::Running,
            writes: Vec::new(),
            leaves: 1,
            ran: 1,
        }
    }

    /// An instruction that halts: pc and registers unchanged, step + 1.
    pub(crate) fn halt(s: &Setup, status: Status) -> Self {
        Self {
            pc: s.pc,
            status,
            ..Self::next(s)
        }
    }

    /// A step from a halted state: nothing changes, no leaf is proven.
    pub(crate) fn fixed_point(s: &Setup) -> Self {
        Self {
            pc: s.pc,
            regs: s.regs,
            step: s.step,
            status: s.status,
            writes: Vec::new(),
            leaves: 0,
            ran: 0,
        }
    }

    /// Expects x`i` = `value` (x0 must stay zero: use [`Expect::reg`] only for real writes).
    pub(crate) fn reg(mut self, i: u32, value: u32) -> Self {
        assert_ne!(i, 0, "x0 is never written");
        self.regs[i as usize] = value;
        self
    }

    /// Expects this pc.
    pub(crate) fn pc(mut self, pc: u32) -> Self {
        self.pc = pc;
        self
    }

    /// Expects these bytes written at `addr` (wrapping).
    pub(crate) fn write(mut self, addr: u32, bytes: &[u8]) -> Self {
        self.writes.push((addr, bytes.to_vec()));
        self
    }

    /// Expects this many leaf proofs.
    pub(crate) fn leaves(mut self, n: usize) -> Self {
        self.leaves = n;
        self
    }

    /// The expected packed state, memory root included.
    pub(crate) fn state(&self, setup: &Setup) -> VmState {
        let mut mem = setup.memory();
        write_all(&mut mem, &self.writes);
        VmState {
            mem_root: mem.root(),
            pc: self.pc,
            step: self.step,
            status: self.status,
            regs: self.regs,
        }
    }
}

/// Runs one step of `setup` on the fast interpreter and through `prove_step` + the literal
/// verifier, and checks both against `expect` exactly (registers, pc, step, status, memory root,
/// written bytes, number of leaf proofs). Returns the proof for further checks.
#[track_caller]
pub(crate) fn check_step(setup: &Setup, expect: &Expect) -> StepProof {
    let want = expect.state(setup);

    // Fast interpreter.
    let mut fast = setup.machine();
    assert_eq!(fast.run(1), expect.ran, "instructions run");
    assert_eq!(
        fast.pc(),
        want.pc,
        "pc: {:#010x} vs {:#010x}",
        fast.pc(),
        want.pc
    );
    assert_regs(&fast.regs(), &want.regs);
    assert_eq!(fast.step(), want.step, "step");
    assert_eq!(fast.status(), want.status, "status");
    for (addr, bytes) in &expect.writes {
        for (i, b) in bytes.iter().enumerate() {
            let a = addr.wrapping_add(i as u32);
            assert_eq!(fast.memory().read_u8(a), *b, "byte at {a:#010x}");
        }
    }
    let fast_state = fast.state();
    assert_eq!(fast_state, want, "fast interpreter post-state");

    // Proof and literal verifier.
    let mut prover = setup.machine();
    let proof = prover.prove_step();
    let pre = setup.state();
    assert_eq!(proof.step, setup.step);
    assert_eq!(proof.pre_state, pre.encode().to_vec(), "proof pre-state");
    assert_eq!(proof.pre_state_hash, pre.hash());
    assert_eq!(proof.leaves.len(), expect.leaves, "leaf proofs");
    assert_eq!(
        proof.post_state_hash,
        want.hash(),
        "prover's post-state hash"
    );
    assert_eq!(prover.state(), want, "prover machine post-state");
    let bytes = proof.proof_bytes();
    assert_eq!(bytes, proof.leaf_proof_bytes().concat());
    assert_eq!(proof.leaf_proof_bytes().len(), expect.leaves);
    assert_eq!(
        verify::step(&proof.pre_state, &bytes),
        Ok(want),
        "verifier post-state"
    );
    assert_eq!(
        verify_step(&proof.pre_state_hash, &proof.pre_state, &bytes),
        Ok(fast_state.hash()),
        "verify_step hash"
    );
    proof
}

/// Asserts equal register files, naming the registers that differ, in hex.
#[track_caller]
pub(crate) fn assert_regs(got: &[u32; 32], want: &[u32; 32]) {
    let diff: Vec<String> = (0..32)
        .filter(|&i| got[i] != want[i])
        .map(|i| format!("x{i}: got {:#010x}, want {:#010x}", got[i], want[i]))
        .collect();
    assert!(diff.is_empty(), "registers differ: {}", diff.join("; "));
}

/// Runs `setup` for up to `max_steps` on the fast interpreter in one call (decode cache and
/// all), and step by step through proofs checked by the verifier, each post-state hash chained
/// into the next pre-state hash. Asserts both end in the same state; returns it.
#[track_caller]
pub(crate) fn check_run(setup: &Setup, max_steps: u64) -> VmState {
    let mut fast = setup.machine();
    let ran = fast.run(max_steps);
    let fast_state = fast.state();

    let mut prover = setup.machine();
    let mut hash = setup.state().hash();
    for i in 0..ran {
        let proof = prover.prove_step();
        assert_eq!(proof.pre_state_hash, hash, "pre-state of step {i}");
        let post = verify_step(&hash, &proof.pre_state, &proof.proof_bytes())
            .unwrap_or_else(|e| panic!("step {i} does not verify: {e}"));
        assert_eq!(post, proof.post_state_hash, "post-state of step {i}");
        hash = post;
    }
    let proven = prover.state();
    assert_eq!(proven, fast_state, "run({max_steps}) vs {ran} proven steps");
    assert_eq!(hash, fast_state.hash());
    fast_state
}
