//! Step proofs: the packed pre-state plus a Merkle proof of every memory leaf the step touches,
//! in the order the verifier consumes them, encoded with omitted zero-subtree siblings
//! (docs/spec.md §6, "Step proof").

use crate::decode::{decode, Insn, InsnKind};
use crate::layout::MEMORY_DEPTH;
use crate::machine::Machine;
use crate::memory::LeafProof;
use crate::merkle::{zero_hash, Hash, LEAF_SIZE};
use crate::state::Status;
use serde::{Deserialize, Serialize};

/// Bytes of the mask that follows the leaf in every encoded leaf proof (big-endian u32).
pub const MASK_SIZE: usize = 4;
/// Bytes every encoded leaf proof starts with: the leaf, then the mask.
pub const LEAF_PROOF_HEADER_SIZE: usize = LEAF_SIZE + MASK_SIZE;
/// Bytes of the longest encoded leaf proof: every one of the 27 siblings given.
pub const MAX_LEAF_PROOF_SIZE: usize = LEAF_PROOF_HEADER_SIZE + 32 * MEMORY_DEPTH;
const _: () = assert!(MAX_LEAF_PROOF_SIZE == 900);

/// Height of the pair proof of leaf `second`, read after the full proof of leaf `first`: the
/// highest bit in which the two indices differ, where the paths of the two leaves meet (for
/// `second = first + 1` modulo 2^27, the number of trailing ones of `first`, at most 26).
pub fn pair_height(first: u32, second: u32) -> usize {
    debug_assert!(first != second);
    31 - (first ^ second).leading_zeros() as usize
}

/// The canonical mask of `siblings` (heights 0, 1, … bottom-up): bit h is set iff the sibling at
/// height h is the zero-subtree root Z[h], which the encoding then omits.
pub fn sibling_mask(siblings: &[Hash]) -> u32 {
    siblings
        .iter()
        .enumerate()
        .filter(|(height, s)| *s == zero_hash(*height))
        .fold(0, |mask, (height, _)| mask | 1 << height)
}

/// Appends the encoding of one leaf proof: the leaf, the mask of `siblings`, then the siblings
/// whose mask bit is 0, bottom-up. `siblings` covers heights 0..siblings.len(): all 27 for a
/// full proof, the heights below the pair height for a pair proof.
pub fn encode_leaf_proof(out: &mut Vec<u8>, leaf: &Hash, siblings: &[Hash]) {
    encode_leaf_proof_with_mask(out, leaf, siblings, sibling_mask(siblings));
}

/// [`encode_leaf_proof`] with another mask: the siblings whose bit is set are left out whatever
/// they are. A bit cleared where the canonical mask has it gives a longer proof that verifies
/// too (the sibling Z[h] given explicitly); a bit set on another sibling, or at a height the
/// proof does not cover, gives one that does not.
pub fn encode_leaf_proof_with_mask(out: &mut Vec<u8>, leaf: &Hash, siblings: &[Hash], mask: u32) {
    out.extend_from_slice(leaf);
    out.extend_from_slice(&mask.to_be_bytes());
    for (height, s) in siblings.iter().enumerate() {
        if (mask >> height) & 1 == 0 {
            out.extend_from_slice(s);
        }
    }
}

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
    /// The leaves the step touches, each with all 27 siblings against the pre-state memory root,
    /// in the order the verifier consumes them: instruction, first data leaf, and the second
    /// data leaf of an access that crosses a leaf boundary.
    pub leaves: Vec<LeafProof>,
}

impl StepProof {
    /// The heights each leaf proof covers in the encoding: 27, except for the third leaf (the
    /// second data leaf of a crossing access), whose pair proof stops at its pair height.
    pub fn leaf_heights(&self) -> Vec<usize> {
        (0..self.leaves.len())
            .map(|n| match n {
                2 => pair_height(self.leaves[1].index, self.leaves[2].index),
                _ => MEMORY_DEPTH,
            })
            .collect()
    }

    /// The mask of each encoded leaf proof.
    pub fn masks(&self) -> Vec<u32> {
        self.leaves
            .iter()
            .zip(self.leaf_heights())
            .map(|(l, heights)| sibling_mask(&l.siblings[..heights]))
            .collect()
    }

    /// Each encoded leaf proof on its own; `proof_bytes` is their concatenation.
    pub fn leaf_proof_bytes(&self) -> Vec<Vec<u8>> {
        self.leaves
            .iter()
            .zip(self.leaf_heights())
            .map(|(l, heights)| {
                let mut out = Vec::with_capacity(MAX_LEAF_PROOF_SIZE);
                encode_leaf_proof(&mut out, &l.leaf, &l.siblings[..heights]);
                out
            })
            .collect()
    }

    /// The memory-proof bytes the verifier takes (docs/spec.md §6).
    pub fn proof_bytes(&self) -> Vec<u8> {
        self.leaf_proof_bytes().concat()
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
            if let Some((addr, width, _)) = data_access(&insn, &pre.regs) {
                let first = addr >> 5;
                let last = addr.wrapping_add(width - 1) >> 5;
                leaves.push(self.memory_mut().proof(first));
                if last != first {
                    // Against the pre-state root too: below the pair height the second leaf's
                    // siblings do not depend on the first leaf, stored or not.
                    leaves.push(self.memory_mut().proof(last));
                }
            }
        }
        self.run(1);
        StepProof {
            step: pre.step,
            pre_state: encoded.to_vec(),
            pre_state_hash: crate::merkle::keccak256(&encoded),
            post_state_hash: self.state().hash(),
            leaves,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_height_is_where_the_paths_meet() {
        assert_eq!(pair_height(0, 1), 0);
        assert_eq!(pair_height(6, 7), 0);
        assert_eq!(pair_height(7, 8), 3);
        assert_eq!(pair_height(0x3FF_FFFF, 0x400_0000), 26);
        assert_eq!(pair_height(0x7FF_FFFF, 0), 26);
    }

    #[test]
    fn encoding_omits_exactly_the_zero_subtree_siblings() {
        let mut siblings: Vec<Hash> = (0..MEMORY_DEPTH).map(|h| *zero_hash(h)).collect();
        siblings[3] = [7; 32];
        siblings[26] = [9; 32];
        let mut out = Vec::new();
        encode_leaf_proof(&mut out, &[1; 32], &siblings);
        let mask = !(1u32 << 3 | 1 << 26) & ((1 << 27) - 1);
        let mut want = vec![1; 32];
        want.extend_from_slice(&mask.to_be_bytes());
        want.extend_from_slice(&[7; 32]);
        want.extend_from_slice(&[9; 32]);
        assert_eq!(out, want);
        // Height 0: the zero leaf is omitted too; a pair proof of height 0 is the header alone.
        let mut out = Vec::new();
        encode_leaf_proof(&mut out, &[2; 32], &[]);
        assert_eq!(out.len(), LEAF_PROOF_HEADER_SIZE);
        assert_eq!(out[32..], [0, 0, 0, 0]);
    }
}
