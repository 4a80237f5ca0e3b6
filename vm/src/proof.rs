//! Step proofs: the packed pre-state plus a Merkle proof of every memory leaf the step touches,
//! in the order the verifier consumes them (docs/spec.md, "Step proof").

use crate::decode::{decode, Insn, InsnKind};
use crate::layout::MEMORY_DEPTH;
use crate::machine::Machine;
use crate::memory::LeafProof;
use crate::merkle::{Hash, LEAF_SIZE};
use crate::state::{Status, STATE_SIZE};
use serde::{Deserialize, Serialize};

/// Bytes of one encoded leaf proof: the leaf, then 27 siblings bottom-up.
pub const LEAF_PROOF_SIZE: usize = LEAF_SIZE + 32 * MEMORY_DEPTH;
const _: () = assert!(LEAF_PROOF_SIZE == 896);

/// Everything the one-step verifier needs for one instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepProof {
    /// Step number of the pre-state (instructions executed before this one).
    pub step: u64,
    /// The packed pre-state.
    #[serde(with = "crate::hex_bytes")]
    pub pre_state: Vec<u8>,
    /// keccak256 of the pre-state.
    #[serde(with = "crate::hex_bytes")]
    pub pre_state_hash: Hash,
    /// keccak256 of the post-state, as the prover computed it.
    #[serde(with = "crate::hex_bytes")]
    pub post_state_hash: Hash,
    /// Leaf proofs in the order the verifier consumes them: instruction, then data leaves.
    pub leaves: Vec<LeafProof>,
}

impl StepProof {
    /// The memory-proof bytes the verifier takes: each leaf proof as leaf ‖ siblings.
    pub fn proof_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.leaves.len() * LEAF_PROOF_SIZE);
        for l in &self.leaves {
            out.extend_from_slice(&l.leaf);
            l.siblings.iter().for_each(|s| out.extend_from_slice(s));
        }
        out
    }
}

/// Address, width and direction of an instruction's data access, if it has one.
pub(crate) fn data_access(insn: &Insn, regs: &[u32; 32]) -> Option<(u32, u32, bool)> {
    use InsnKind::*;
    let (width, store) = match insn.kind {
        Lb | Lbu => (1, false),
        Lh | Lhu => (2, false),
        Lw => (4, false),
        Sb => (1, true),
        Sh => (2, true),
        Sw => (4, true),
        _ => return None,
    };
    Some((regs[insn.rs1 as usize].wrapping_add(insn.imm), width, store))
}

impl Machine {
    /// Executes one instruction and returns its proof.
    pub fn prove_step(&mut self) -> StepProof {
        let pre = self.state();
        let encoded = pre.encode();
        let mut leaves = Vec::new();
        if pre.status == Status::Running && pre.pc & 3 == 0 {
            leaves.push(self.memory_mut().proof(pre.pc >> 5));
            let insn = decode(self.memory().read_u32(pre.pc));
            if let Some((addr, width, store)) = data_access(&insn, &pre.regs) {
                let first = addr >> 5;
                let last = addr.wrapping_add(width - 1) >> 5;
                leaves.push(self.memory_mut().proof(first));
                if last != first {
                    if store {
                        // The second leaf is proven against the root after the first leaf's
                        // bytes are written: run the store, then view the second leaf as it was.
                        let before = self.memory().leaf(last);
                        self.run(1);
                        let after = self.memory().leaf(last);
                        self.memory_mut().set_leaf(last, &before);
                        leaves.push(self.memory_mut().proof(last));
                        self.memory_mut().set_leaf(last, &after);
                        return self.finish_proof(pre.step, encoded, leaves);
                    }
                    leaves.push(self.memory_mut().proof(last));
                }
            }
        }
        self.run(1);
        self.finish_proof(pre.step, encoded, leaves)
    }

    fn finish_proof(
        &mut self,
        step: u64,
        pre: [u8; STATE_SIZE],
        leaves: Vec<LeafProof>,
    ) -> StepProof {
        StepProof {
            step,
            pre_state: pre.to_vec(),
            pre_state_hash: crate::merkle::keccak256(&pre),
            post_state_hash: self.state().hash(),
            leaves,
        }
    }
}
