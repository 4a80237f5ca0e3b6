//! The literal one-step verifier: the oracle for the Solidity step contract.
//!
//! It is written the way the contract is — decode fields by hand, one function per instruction
//! family, memory only through the proofs it is given — and shares nothing with the fast
//! interpreter but the packed-state layout. Names mirror the Solidity (`execute_load` ↔
//! `executeLoad`, `VerifyError::InvalidMemoryProof` ↔ `error InvalidMemoryProof()`).

use crate::layout::MEMORY_DEPTH;
use crate::merkle::{keccak256, root_from_proof, zero_hash, Hash};
use crate::state::{Fault, StateError, Status, VmState};

/// Why a step proof does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The packed state has the wrong length.
    #[error("packed state has the wrong length")]
    InvalidStateLength,
    /// The packed state's status or code field is not canonical.
    #[error("packed state has an invalid status")]
    InvalidStatus,
    /// The pre-state does not hash to the trusted pre-state hash.
    #[error("pre-state does not match the trusted hash")]
    PreStateMismatch,
    /// The memory proof ends inside a leaf proof, or goes on after the last one.
    #[error("memory proof has the wrong length for this instruction")]
    InvalidProofLength,
    /// A leaf proof's mask has a bit set at a height the proof does not cover, or the leaf proof
    /// does not fold to the memory root (full proof) or to the first leaf's sibling at the pair
    /// height (pair proof).
    #[error("memory proof does not match the memory root")]
    InvalidMemoryProof,
}

impl From<StateError> for VerifyError {
    fn from(e: StateError) -> Self {
        match e {
            StateError::Length(_) => Self::InvalidStateLength,
            StateError::Status { .. } => Self::InvalidStatus,
        }
    }
}

/// Height where the paths of leaf `first` and the next leaf `second` meet: the highest bit of
/// `first ^ second`.
fn pair_height(first: u32, second: u32) -> usize {
    31 - (first ^ second).leading_zeros() as usize
}

/// Memory as seen through a list of leaf proofs, read in order (docs/spec.md §6).
struct ProofMemory<'a> {
    root: Hash,
    proof: &'a [u8],
    /// Bytes of the proof read so far.
    cursor: usize,
    /// Index and siblings (all 27, omitted ones filled in) of the last full leaf proof read.
    last: Option<(u32, Vec<Hash>)>,
    /// Index and siblings (below the pair height) of the last pair proof read.
    pair: Option<(u32, Vec<Hash>)>,
}

impl ProofMemory<'_> {
    /// The next `n` bytes of the proof; `InvalidProofLength` if it ends before.
    fn take(&mut self, n: usize) -> Result<&[u8], VerifyError> {
        let bytes = self
            .proof
            .get(self.cursor..self.cursor + n)
            .ok_or(VerifyError::InvalidProofLength)?;
        self.cursor += n;
        Ok(bytes)
    }

    fn take_hash(&mut self) -> Result<Hash, VerifyError> {
        Ok(self.take(32)?.try_into().expect("32 bytes"))
    }

    /// Reads one encoded leaf proof whose siblings cover heights `0..heights`: the leaf, the
    /// mask (a bit at `heights` or above is `InvalidMemoryProof`), then for each height the
    /// sibling, Z[h] where the mask bit is set, else the next 32 bytes.
    fn read_leaf_proof(&mut self, heights: usize) -> Result<(Hash, Vec<Hash>), VerifyError> {
        let leaf = self.take_hash()?;
        let mask = u32::from_be_bytes(self.take(4)?.try_into().expect("4 bytes"));
        if mask >> heights != 0 {
            return Err(VerifyError::InvalidMemoryProof);
        }
        let mut siblings = Vec::with_capacity(heights);
        for height in 0..heights {
            siblings.push(if (mask >> height) & 1 == 1 {
                *zero_hash(height)
            } else {
                self.take_hash()?
            });
        }
        Ok((leaf, siblings))
    }

    /// Reads the next (full) leaf proof, which must be of leaf `index` under the current root.
    fn read_leaf(&mut self, index: u32) -> Result<Hash, VerifyError> {
        let (leaf, siblings) = self.read_leaf_proof(MEMORY_DEPTH)?;
        if root_from_proof(&leaf, u64::from(index), &siblings) != self.root {
            return Err(VerifyError::InvalidMemoryProof);
        }
        self.last = Some((index, siblings));
        Ok(leaf)
    }

    /// Reads the next leaf proof as the pair proof of leaf `index`, the leaf after the one read
    /// last, with pair height `k`: folded to height `k` it must give the last leaf's sibling
    /// there.
    fn read_pair_leaf(&mut self, index: u32, k: usize) -> Result<Hash, VerifyError> {
        let (leaf, siblings) = self.read_leaf_proof(k)?;
        let (_, first) = self.last.as_ref().expect("the first leaf is read before");
        if root_from_proof(&leaf, u64::from(index), &siblings) != first[k] {
            return Err(VerifyError::InvalidMemoryProof);
        }
        self.pair = Some((index, siblings));
        Ok(leaf)
    }

    /// Replaces the leaf read last (which is leaf `index`) and updates the root.
    fn write_leaf(&mut self, index: u32, leaf: &Hash) {
        let (last, siblings) = self
            .last
            .as_ref()
            .expect("a leaf is read before it is written");
        assert_eq!(*last, index, "writes go to the leaf read last");
        self.root = root_from_proof(leaf, u64::from(index), siblings);
    }

    /// Replaces both leaves of the last full and pair proofs and updates the root: the second
    /// leaf folded up to the pair height k is the first leaf's sibling there (the sibling at k is
    /// off the first leaf's path, so the second leaf's proof holds after the first is written).
    fn write_leaf_pair(&mut self, first_leaf: &Hash, second_leaf: &Hash) {
        let (first, siblings) = self.last.as_ref().expect("first leaf read");
        let (second, pair) = self.pair.as_ref().expect("second leaf read");
        let mut siblings = siblings.clone();
        siblings[pair.len()] = root_from_proof(second_leaf, u64::from(*second), pair);
        self.root = root_from_proof(first_leaf, u64::from(*first), &siblings);
    }

    /// Reads `width` bytes at `addr`, little-endian; a range that crosses into the next leaf
    /// reads that leaf's pair proof.
    fn read_memory(&mut self, addr: u32, width: u32) -> Result<u32, VerifyError> {
        let first = addr >> 5;
        let last = addr.wrapping_add(width - 1) >> 5;
        let a = self.read_leaf(first)?;
        let b = if last != first {
            self.read_pair_leaf(last, pair_height(first, last))?
        } else {
            a
        };
        let mut value = 0u32;
        for i in 0..width {
            let byte_addr = addr.wrapping_add(i);
            let leaf = if byte_addr >> 5 == first { &a } else { &b };
            value |= (leaf[(byte_addr & 31) as usize] as u32) << (8 * i);
        }
        Ok(value)
    }

    /// Writes the low `width` bytes of `value` at `addr`, little-endian: reads the leaf (and the
    /// next one if the range crosses into it), replaces the bytes, writes them back.
    fn write_memory(&mut self, addr: u32, width: u32, value: u32) -> Result<(), VerifyError> {
        let first = addr >> 5;
        let last = addr.wrapping_add(width - 1) >> 5;
        let mut a = self.read_leaf(first)?;
        let mut b = if last != first {
            self.read_pair_leaf(last, pair_height(first, last))?
        } else {
            a
        };
        for i in 0..width {
            let byte_addr = addr.wrapping_add(i);
            let leaf = if byte_addr >> 5 == first {
                &mut a
            } else {
                &mut b
            };
            leaf[(byte_addr & 31) as usize] = (value >> (8 * i)) as u8;
        }
        if last != first {
            self.write_leaf_pair(&a, &b);
        } else {
            self.write_leaf(first, &a);
        }
        Ok(())
    }
}

fn sign_extend(value: u32, bits: u32) -> u32 {
    (((value << (32 - bits)) as i32) >> (32 - bits)) as u32
}

/// The post-state of one step from `state` with memory proof `proof`.
pub fn step(state: &[u8], proof: &[u8]) -> Result<VmState, VerifyError> {
    let mut s = VmState::decode(state)?;
    if s.status.is_halted() {
        return if proof.is_empty() {
            Ok(s)
        } else {
            Err(VerifyError::InvalidProofLength)
        };
    }
    s.step = s.step.wrapping_add(1);
    if s.pc % 4 != 0 {
        if !proof.is_empty() {
            return Err(VerifyError::InvalidProofLength);
        }
        s.status = Status::Faulted(Fault::InstructionAddressMisaligned);
        return Ok(s);
    }
    let mut mem = ProofMemory {
        root: s.mem_root,
        proof,
        cursor: 0,
        last: None,
        pair: None,
    };
    let insn = mem.read_memory(s.pc, 4)?;
    execute_instruction(&mut s, &mut mem, insn)?;
    if mem.cursor != proof.len() {
        return Err(VerifyError::InvalidProofLength);
    }
    s.mem_root = mem.root;
    Ok(s)
}

/// keccak256 of the post-state, after checking that `state` hashes to `pre_state_hash`.
pub fn verify_step(pre_state_hash: &Hash, state: &[u8], proof: &[u8]) -> Result<Hash, VerifyError> {
    if keccak256(state) != *pre_state_hash {
        return Err(VerifyError::PreStateMismatch);
    }
    Ok(step(state, proof)?.hash())
}

fn set_reg(s: &mut VmState, rd: u32, value: u32) {
    if rd != 0 {
        s.regs[rd as usize] = value;
    }
}

fn halt(s: &mut VmState, status: Status) {
    s.status = status;
}

fn execute_instruction(
    s: &mut VmState,
    mem: &mut ProofMemory<'_>,
    insn: u32,
) -> Result<(), VerifyError> {
    let opcode = insn & 0x7F;
    let rd = (insn >> 7) & 0x1F;
    let funct3 = (insn >> 12) & 7;
    let rs1 = s.regs[((insn >> 15) & 0x1F) as usize];
    let rs2 = s.regs[((insn >> 20) & 0x1F) as usize];
    let funct7 = insn >> 25;
    let imm_i = sign_extend(insn >> 20, 12);
    let pc = s.pc;
    let next = pc.wrapping_add(4);
    match opcode {
        0x37 => {
            set_reg(s, rd, insn & 0xFFFF_F000);
            s.pc = next;
        }
        0x17 => {
            set_reg(s, rd, pc.wrapping_add(insn & 0xFFFF_F000));
            s.pc = next;
        }
        0x6F => {
            let imm = (((insn >> 31) & 1) << 20)
                | (((insn >> 12) & 0xFF) << 12)
                | (((insn >> 20) & 1) << 11)
                | (((insn >> 21) & 0x3FF) << 1);
            set_reg(s, rd, next);
            s.pc = pc.wrapping_add(sign_extend(imm, 21));
        }
        0x67 if funct3 == 0 => {
            let target = rs1.wrapping_add(imm_i) & !1;
            set_reg(s, rd, next);
            s.pc = target;
        }
        0x63 => execute_branch(s, funct3, rs1, rs2, insn),
        0x03 => execute_load(s, mem, funct3, rd, rs1.wrapping_add(imm_i))?,
        0x23 => {
            let imm_s = sign_extend(((insn >> 25) << 5) | ((insn >> 7) & 0x1F), 12);
            execute_store(s, mem, funct3, rs1.wrapping_add(imm_s), rs2)?;
        }
        0x13 => execute_op_imm(s, funct3, funct7, rd, rs1, imm_i, (insn >> 20) & 0x1F),
        0x33 => execute_op(s, funct3, funct7, rd, rs1, rs2),
        0x0F if funct3 <= 1 => s.pc = next,
        0x73 => execute_system(s, insn),
        _ => halt(s, Status::Faulted(Fault::IllegalInstruction)),
    }
    Ok(())
}

fn execute_branch(s: &mut VmState, funct3: u32, a: u32, b: u32, insn: u32) {
    let taken = match funct3 {
        0 => a == b,
        1 => a != b,
        4 => (a as i32) < (b as i32),
        5 => (a as i32) >= (b as i32),
        6 => a < b,
        7 => a >= b,
        _ => return halt(s, Status::Faulted(Fault::IllegalInstruction)),
    };
    let imm = (((insn >> 31) & 1) << 12)
        | (((insn >> 7) & 1) << 11)
        | (((insn >> 25) & 0x3F) << 5)
        | (((insn >> 8) & 0xF) << 1);
    s.pc = if taken {
        s.pc.wrapping_add(sign_extend(imm, 13))
    } else {
        s.pc.wrapping_add(4)
    };
}

fn execute_load(
    s: &mut VmState,
    mem: &mut ProofMemory<'_>,
    funct3: u32,
    rd: u32,
    addr: u32,
) -> Result<(), VerifyError> {
    let value = match funct3 {
        0 => sign_extend(mem.read_memory(addr, 1)?, 8),
        1 => sign_extend(mem.read_memory(addr, 2)?, 16),
        2 => mem.read_memory(addr, 4)?,
        4 => mem.read_memory(addr, 1)?,
        5 => mem.read_memory(addr, 2)?,
        _ => {
            halt(s, Status::Faulted(Fault::IllegalInstruction));
            return Ok(());
        }
    };
    set_reg(s, rd, value);
    s.pc = s.pc.wrapping_add(4);
    Ok(())
}

fn execute_store(
    s: &mut VmState,
    mem: &mut ProofMemory<'_>,
    funct3: u32,
    addr: u32,
    value: u32,
) -> Result<(), VerifyError> {
    let width = match funct3 {
        0 => 1,
        1 => 2,
        2 => 4,
        _ => {
            halt(s, Status::Faulted(Fault::IllegalInstruction));
            return Ok(());
        }
    };
    mem.write_memory(addr, width, value)?;
    s.pc = s.pc.wrapping_add(4);
    Ok(())
}

fn execute_op_imm(
    s: &mut VmState,
    funct3: u32,
    funct7: u32,
    rd: u32,
    a: u32,
    imm: u32,
    shamt: u32,
) {
    let value = match (funct3, funct7) {
        (0, _) => a.wrapping_add(imm),
        (2, _) => ((a as i32) < (imm as i32)) as u32,
        (3, _) => (a < imm) as u32,
        (4, _) => a ^ imm,
        (6, _) => a | imm,
        (7, _) => a & imm,
        (1, 0) => a << shamt,
        (5, 0) => a >> shamt,
        (5, 0x20) => ((a as i32) >> shamt) as u32,
        _ => return halt(s, Status::Faulted(Fault::IllegalInstruction)),
    };
    set_reg(s, rd, value);
    s.pc = s.pc.wrapping_add(4);
}

fn execute_op(s: &mut VmState, funct3: u32, funct7: u32, rd: u32, a: u32, b: u32) {
    let value = match funct7 {
        0x00 => match funct3 {
            0 => a.wrapping_add(b),
            1 => a << (b & 31),
            2 => ((a as i32) < (b as i32)) as u32,
            3 => (a < b) as u32,
            4 => a ^ b,
            5 => a >> (b & 31),
            6 => a | b,
            _ => a & b,
        },
        0x20 if funct3 == 0 => a.wrapping_sub(b),
        0x20 if funct3 == 5 => ((a as i32) >> (b & 31)) as u32,
        0x01 => execute_mul_div(funct3, a, b),
        _ => return halt(s, Status::Faulted(Fault::IllegalInstruction)),
    };
    set_reg(s, rd, value);
    s.pc = s.pc.wrapping_add(4);
}

fn execute_mul_div(funct3: u32, a: u32, b: u32) -> u32 {
    let (sa, sb) = (a as i32 as i64, b as i32 as i64);
    match funct3 {
        0 => (sa * sb) as u32,
        1 => ((sa * sb) >> 32) as u32,
        2 => ((sa * b as i64) >> 32) as u32,
        3 => ((a as u64 * b as u64) >> 32) as u32,
        4 if b == 0 => u32::MAX,
        4 if a == 0x8000_0000 && b == u32::MAX => a,
        4 => (sa / sb) as u32,
        5 if b == 0 => u32::MAX,
        5 => a / b,
        6 if b == 0 => a,
        6 if a == 0x8000_0000 && b == u32::MAX => 0,
        6 => (sa % sb) as u32,
        _ if b == 0 => a,
        _ => a % b,
    }
}

fn execute_system(s: &mut VmState, insn: u32) {
    match insn {
        0x0000_0073 => match s.regs[17] {
            93 => halt(s, Status::Exited(s.regs[10])),
            64 => {
                s.regs[10] = s.regs[12];
                s.pc = s.pc.wrapping_add(4);
            }
            _ => halt(s, Status::Faulted(Fault::UnsupportedSyscall)),
        },
        0x0010_0073 => halt(s, Status::Faulted(Fault::Breakpoint)),
        _ => halt(s, Status::Faulted(Fault::IllegalInstruction)),
    }
}
