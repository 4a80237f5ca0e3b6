//! Commitments (docs/spec.md §1 and §8.6): tensor roots, the weight table, the graph, the model
//! root and graph-state roots, with Merkle proofs of any leaf.
//!
//! One tree shape everywhere: 32-byte raw leaves, parent = keccak256(left ‖ right), fixed depth,
//! missing leaves zero. Dense trees whose leaves are padded to a power of two use rs_merkle with
//! a keccak hasher ([`Keccak`]); above the padded data the root is folded with zero-subtree
//! hashes up to the fixed depth. Graph-state roots change one leaf per node, so they use an
//! incremental fixed-depth tree ([`IncrementalTree`]) instead: rs_merkle's trees are not of fixed
//! depth. VM memory (sparse, 4 GiB) keeps its own tree in opml-vm; tests check that a tensor
//! root here equals the VM slot root of the same bytes.

use rayon::prelude::*;
use rs_merkle::{Hasher, MerkleTree};
use std::vec::Vec;

pub use opml_vm::merkle::{hash_pair, keccak256, zero_hash, Hash};

/// Depth of a tensor tree: 2^23 leaves = 256 MiB, one VM slot.
pub const TENSOR_DEPTH: usize = 23;
/// Depth of the graph tree and of graph-state trees: up to 65,536 nodes.
pub const GRAPH_DEPTH: usize = 16;
/// Depth of the weight table: up to 65,536 weight tensors.
pub const WEIGHTS_DEPTH: usize = 16;
/// Leaves hashed per parallel task when computing a tensor root (64 KiB of data).
const CHUNK_LEAVES_LOG2: usize = 11;

/// keccak256 for rs_merkle. Pairs take the single-permutation fast path of opml-vm.
#[derive(Debug, Clone, Copy)]
pub struct Keccak;

impl Hasher for Keccak {
    type Hash = Hash;

    fn hash(data: &[u8]) -> Hash {
        keccak256(data)
    }

    fn concat_and_hash(left: &Hash, right: Option<&Hash>) -> Hash {
        // Trees here are padded to a power of two, so a lone node only occurs above the root,
        // where rs_merkle promotes it unchanged.
        match right {
            Some(right) => hash_pair(left, right),
            None => *left,
        }
    }
}

/// The 32-byte leaves of `bytes`, the last one zero-padded.
pub fn leaves_of(bytes: &[u8]) -> Vec<Hash> {
    bytes
        .chunks(32)
        .map(|c| {
            let mut leaf = [0u8; 32];
            leaf[..c.len()].copy_from_slice(c);
            leaf
        })
        .collect()
}

/// Root of `leaves` padded with `pad` to the next power of two (at least one leaf), and that
/// subtree's height.
fn dense_root(leaves: &[Hash], pad: &Hash) -> (Hash, usize) {
    let n = leaves.len().max(1).next_power_of_two();
    let height = n.trailing_zeros() as usize;
    if leaves.is_empty() {
        return (*pad, 0);
    }
    if leaves.len() == n {
        let root = MerkleTree::<Keccak>::from_leaves(leaves)
            .root()
            .expect("non-empty tree");
        return (root, height);
    }
    let mut padded = leaves.to_vec();
    padded.resize(n, *pad);
    (
        MerkleTree::<Keccak>::from_leaves(&padded)
            .root()
            .expect("non-empty tree"),
        height,
    )
}

/// Folds a subtree root at `height` (the leftmost subtree) up to `depth` with zero hashes.
fn fold_up(mut node: Hash, height: usize, depth: usize) -> Hash {
    for h in height..depth {
        node = hash_pair(&node, zero_hash(h));
    }
    node
}

/// Root of a fixed-`depth` tree whose first leaves are `leaves` and the rest zero.
///
/// # Panics
/// If there are more than 2^depth leaves (callers check sizes).
pub fn root_of_leaves(leaves: &[Hash], depth: usize) -> Hash {
    assert!(
        leaves.len() as u64 <= 1u64 << depth,
        "too many leaves for depth {depth}"
    );
    if leaves.is_empty() {
        return *zero_hash(depth);
    }
    let (root, height) = dense_root(leaves, zero_hash(0));
    fold_up(root, height, depth)
}

/// The tensor root of `bytes` (zero-padded to 256 MiB, a depth-23 tree): the root of the VM slot
/// the tensor is mounted in. Time proportional to the bytes; subtrees of 64 KiB are hashed on
/// all cores.
///
/// # Panics
/// If `bytes` is longer than 256 MiB (tensor descriptions are validated before).
pub fn tensor_root(bytes: &[u8]) -> Hash {
    assert!(
        bytes.len() as u64 <= 32 << TENSOR_DEPTH,
        "tensor larger than a slot"
    );
    let chunk_bytes = 32 << CHUNK_LEAVES_LOG2;
    if bytes.len() <= chunk_bytes {
        return root_of_leaves(&leaves_of(bytes), TENSOR_DEPTH);
    }
    // Full-height chunk roots in parallel (the last chunk zero-padded), then the tree above them.
    let chunk_roots: Vec<Hash> = bytes
        .par_chunks(chunk_bytes)
        .map(|c| {
            let (root, height) = dense_root(&leaves_of(c), zero_hash(0));
            fold_up(root, height, CHUNK_LEAVES_LOG2)
        })
        .collect();
    let (root, height) = dense_root(&chunk_roots, zero_hash(CHUNK_LEAVES_LOG2));
    fold_up(root, CHUNK_LEAVES_LOG2 + height, TENSOR_DEPTH)
}

/// Siblings (bottom-up, `depth` of them) of leaf `index` in the fixed-depth tree over `leaves`.
pub fn proof_of_leaves(leaves: &[Hash], index: usize, depth: usize) -> Vec<Hash> {
    assert!(
        leaves.len() as u64 <= 1u64 << depth,
        "too many leaves for depth {depth}"
    );
    let n = leaves.len().max(1).next_power_of_two();
    let height = n.trailing_zeros() as usize;
    let mut siblings = Vec::with_capacity(depth);
    if index < n {
        let mut padded = leaves.to_vec();
        padded.resize(n, [0u8; 32]);
        if n > 1 {
            let tree = MerkleTree::<Keccak>::from_leaves(&padded);
            siblings.extend_from_slice(tree.proof(&[index]).proof_hashes());
        }
        siblings.extend((height..depth).map(|h| *zero_hash(h)));
    } else {
        // A leaf past the data: every sibling is a zero subtree except the one (index 0, at or
        // above the data's height) that holds the data.
        let data_root = dense_root(leaves, zero_hash(0)).0;
        for h in 0..depth {
            let sibling_index = (index >> h) ^ 1;
            siblings.push(if sibling_index == 0 && h >= height {
                fold_up(data_root, height, h)
            } else {
                *zero_hash(h)
            });
        }
    }
    siblings
}

/// The root that `leaf` at `index` with `siblings` (bottom-up) proves.
pub fn root_from_proof(leaf: &Hash, index: u64, siblings: &[Hash]) -> Hash {
    opml_vm::merkle::root_from_proof(leaf, index, siblings)
}

/// A fixed-depth tree whose leaves are set one at a time, each update O(depth): graph-state
/// roots after every node.
#[derive(Debug, Clone)]
pub struct IncrementalTree {
    depth: usize,
    /// `levels[h]` holds the non-zero prefix of the nodes at height `h`.
    levels: Vec<Vec<Hash>>,
}

impl IncrementalTree {
    /// An all-zero tree of `depth`.
    pub fn new(depth: usize) -> Self {
        Self {
            depth,
            levels: std::vec![Vec::new(); depth + 1],
        }
    }

    fn node(&self, h: usize, i: usize) -> Hash {
        self.levels[h].get(i).copied().unwrap_or(*zero_hash(h))
    }

    /// Sets leaf `index` and updates its path.
    ///
    /// # Panics
    /// If `index` is outside the tree.
    pub fn set(&mut self, index: usize, leaf: Hash) {
        assert!((index as u64) < 1u64 << self.depth, "leaf outside the tree");
        let mut i = index;
        let mut node = leaf;
        for h in 0..=self.depth {
            let level = &mut self.levels[h];
            if level.len() <= i {
                level.resize(i + 1, *zero_hash(h));
            }
            level[i] = node;
            if h == self.depth {
                break;
            }
            let (l, r) = if i.is_multiple_of(2) {
                (node, self.node(h, i + 1))
            } else {
                (self.node(h, i - 1), node)
            };
            node = hash_pair(&l, &r);
            i /= 2;
        }
    }

    /// The root.
    pub fn root(&self) -> Hash {
        self.node(self.depth, 0)
    }

    /// Siblings of leaf `index`, bottom-up.
    pub fn proof(&self, index: usize) -> Vec<Hash> {
        (0..self.depth)
            .map(|h| self.node(h, (index >> h) ^ 1))
            .collect()
    }
}

/// The model root: `keccak256(graph_root ‖ weights_root)`.
pub fn model_root(graph_root: &Hash, weights_root: &Hash) -> Hash {
    hash_pair(graph_root, weights_root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use opml_vm::merkle::root_of_bytes;

    #[test]
    fn tensor_root_is_the_vm_slot_root() {
        for len in [
            0usize,
            1,
            31,
            32,
            33,
            64,
            1000,
            65_536,
            65_537,
            200_000,
            1 << 20,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            assert_eq!(
                tensor_root(&bytes),
                root_of_bytes(&bytes, TENSOR_DEPTH),
                "{len} bytes"
            );
        }
    }

    #[test]
    fn proofs_fold_to_the_root() {
        let leaves: Vec<Hash> = (0..13u8).map(|i| [i + 1; 32]).collect();
        let root = root_of_leaves(&leaves, GRAPH_DEPTH);
        for index in [0usize, 5, 12, 13, 15, 16, 1000, 65_535] {
            let leaf = leaves.get(index).copied().unwrap_or([0; 32]);
            let proof = proof_of_leaves(&leaves, index, GRAPH_DEPTH);
            assert_eq!(proof.len(), GRAPH_DEPTH);
            assert_eq!(
                root_from_proof(&leaf, index as u64, &proof),
                root,
                "leaf {index}"
            );
        }
        assert_eq!(root_of_leaves(&[], 4), *zero_hash(4));
        let one = [[9u8; 32]];
        assert_eq!(
            root_from_proof(&one[0], 0, &proof_of_leaves(&one, 0, 3)),
            root_of_leaves(&one, 3)
        );
    }

    #[test]
    fn incremental_tree_matches_dense_roots() {
        let mut tree = IncrementalTree::new(GRAPH_DEPTH);
        let mut leaves = Vec::new();
        assert_eq!(tree.root(), *zero_hash(GRAPH_DEPTH));
        for i in 0..40u8 {
            let leaf = [i.wrapping_mul(37).wrapping_add(1); 32];
            tree.set(i as usize, leaf);
            leaves.push(leaf);
            assert_eq!(
                tree.root(),
                root_of_leaves(&leaves, GRAPH_DEPTH),
                "after {i}"
            );
            let p = tree.proof(i as usize / 2);
            assert_eq!(p, proof_of_leaves(&leaves, i as usize / 2, GRAPH_DEPTH));
        }
    }
}
