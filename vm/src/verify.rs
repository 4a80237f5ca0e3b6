//! The literal one-step verifier: the oracle for the Solidity step contract.
//!
//! It is written the way the contract is — decode fields by hand, one function per instruction
//! family, memory only through the proofs it is given — and shares nothing with the fast
//! interpreter but the packed-state layout. Names mirror the Solidity (`execute_load` ↔
//! `executeLoad`, `VerifyError::InvalidMemoryProof` ↔ `error InvalidMemoryProof()`).

use crate::layout::MEMORY_DEPTH;
use crate::merkle::{hash_pair, keccak256, Hash};
use crate::proof::LEAF_PROOF_SIZE;
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
    /// The memory proof is not as long as the instruction needs.
    #[error("memory proof has the wrong length for this instruction")]
    InvalidProofLength,
    /// A leaf proof does not lead to the current memory root.
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

/// Memory as seen through a list of leaf proofs, consumed in order.
struct ProofMemory<'a> {
    root: Hash,
    proof: &'a [u8],
    cursor: usize,
    /// Index and siblings of the last leaf read, for writing it back.
    last: Option<(u32, usize)>,
}

impl ProofMemory<'_> {
    fn sibling(&self, at: usize, height: usize) -> Hash {
        let o = at + 32 + 32 * height;
        self.proof[o..o + 32].try_into().expect("32 bytes")
    }

    fn compute_root(&self, at: usize, index: u32, leaf: &Hash) -> Hash {
        let mut node = *leaf;
        for height in 0..MEMORY_DEPTH {
            let sibling = self.sibling(at, height);
            node = if (index >> height) & 1 == 0 {
                hash_pair(&node, &sibling)
            } else {
                hash_pair(&sibling, &node)
            };
        }
        node
    }

    /// Reads the next leaf proof, which must be of leaf `index` under the current root.
    fn read_leaf(&mut self, index: u32) -> Result<Hash, VerifyError> {
        let at = self.cursor;
        if self.proof.len() < at + LEAF_PROOF_SIZE {
            return Err(VerifyError::InvalidProofLength);
        }
        let leaf: Hash = self.proof[at..at + 32].try_into().expect("32 bytes");
        if self.compute_root(at, index, &leaf) != self.root {
            return Err(VerifyError::InvalidMemoryProof);
        }
        self.cursor += LEAF_PROOF_SIZE;
        self.last = Some((index, at));
        Ok(leaf)
    }

    /// Replaces the leaf read last and updates the root.
    fn write_leaf(&mut self, index: u32, leaf: &Hash) {
        let (last, at) = self.last.expect("a leaf is read before it is written");
        assert_eq!(last, index, "writes go to the leaf read last");
        self.root = self.compute_root(at, index, leaf);
    }

    /// Reads `width` bytes at `addr`, little-endian; a range that crosses into the next leaf
    /// consumes a second proof.
    fn read_memory(&mut self, addr: u32, width: u32) -> Result<u32, VerifyError> {
        let first = addr >> 5;
        let last = addr.wrapping_add(width - 1) >> 5;
        let a = self.read_leaf(first)?;
        let b = if last != first {
            self.read_leaf(last)?
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

    /// Writes the low `width` bytes of `value` at `addr`, little-endian.
    fn write_memory(&mut self, addr: u32, width: u32, value: u32) -> Result<(), VerifyError> {
        let first = addr >> 5;
        let last = addr.wrapping_add(width - 1) >> 5;
        for index in if last != first {
            vec![first, last]
        } else {
            vec![first]
        } {
            let mut leaf = self.read_leaf(index)?;
            for i in 0..width {
                let byte_addr = addr.wrapping_add(i);
                if byte_addr >> 5 == index {
                    leaf[(byte_addr & 31) as usize] = (value >> (8 * i)) as u8;
                }
            }
            self.write_leaf(index, &leaf);
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
