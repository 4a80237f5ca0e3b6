//! The one tree shape of opml: a binary Merkle tree of 32-byte raw leaves,
//! parent = keccak256(left ‖ right), fixed depth, missing leaves zero.
//!
//! VM memory, tensors and vectors of roots all use this shape, which is what lets a tensor be
//! mounted into a VM memory slot by its root alone.

use crate::keccak_lanes::{self, BLOCK_SIZE};
use sha3::{Digest, Keccak256};
use std::sync::OnceLock;

/// A 32-byte hash or leaf.
pub type Hash = [u8; 32];

/// Bytes per leaf.
pub const LEAF_SIZE: usize = 32;

/// The deepest tree opml builds (VM memory).
pub const MAX_DEPTH: usize = 27;

/// keccak256 of `data`.
pub fn keccak256(data: &[u8]) -> Hash {
    Keccak256::digest(data).into()
}

/// Parent node: keccak256(left ‖ right).
///
/// One keccak-f[1600] permutation over a pre-padded 64-byte block: the same value as
/// [`keccak256`] of the 64 bytes, about a third faster than the generic hasher.
pub fn hash_pair(left: &Hash, right: &Hash) -> Hash {
    let mut state = [0u64; 25];
    for i in 0..4 {
        state[i] = u64::from_le_bytes(left[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        state[4 + i] = u64::from_le_bytes(right[8 * i..8 * i + 8].try_into().expect("8 bytes"));
    }
    // keccak256 padding of a 64-byte message in a 136-byte rate: 0x01 after it, 0x80 at the end.
    state[8] = 0x01;
    state[16] = 0x8000_0000_0000_0000;
    keccak::f1600(&mut state);
    let mut out = [0u8; 32];
    for i in 0..4 {
        out[8 * i..8 * i + 8].copy_from_slice(&state[i].to_le_bytes());
    }
    out
}

/// `zero_hash(h)` is the root of an all-zero subtree of height `h` (height 0 is a zero leaf).
pub fn zero_hash(height: usize) -> &'static Hash {
    static TABLE: OnceLock<[Hash; MAX_DEPTH + 1]> = OnceLock::new();
    &TABLE.get_or_init(|| {
        let mut t = [[0u8; 32]; MAX_DEPTH + 1];
        for h in 1..=MAX_DEPTH {
            t[h] = hash_pair(&t[h - 1], &t[h - 1]);
        }
        t
    })[height]
}

/// Root of a depth-`depth` tree whose leaves are `data` zero-padded to `32 · 2^depth` bytes.
///
/// Costs time proportional to `data.len()`: subtrees past the data are zero hashes. Each level is
/// hashed many pairs at a time in SIMD lanes ([`keccak_lanes`]); the bottom level straight from
/// `data`.
///
/// # Panics
/// If `data` is longer than the tree holds (callers check sizes first).
pub fn root_of_bytes(data: &[u8], depth: usize) -> Hash {
    assert!(depth <= MAX_DEPTH, "tree deeper than {MAX_DEPTH}");
    assert!(
        data.len() as u64 <= (LEAF_SIZE as u64) << depth,
        "{} bytes do not fit a depth-{depth} tree",
        data.len()
    );
    if data.is_empty() {
        return *zero_hash(depth);
    }
    if depth == 0 {
        let mut leaf = [0u8; 32];
        leaf[..data.len()].copy_from_slice(data);
        return leaf;
    }
    // Height 1: whole 64-byte blocks of `data`, then the zero-padded tail.
    let whole = data.len() / BLOCK_SIZE;
    let mut level = vec![[0u8; 32]; data.len().div_ceil(BLOCK_SIZE)];
    keccak_lanes::hash_blocks(&data[..whole * BLOCK_SIZE], &mut level[..whole]);
    if whole < level.len() {
        let mut pair = [[0u8; 32]; 2];
        pair.as_flattened_mut()[..data.len() - whole * BLOCK_SIZE]
            .copy_from_slice(&data[whole * BLOCK_SIZE..]);
        level[whole] = hash_pair(&pair[0], &pair[1]);
    }
    for height in 1..depth {
        if level.len() == 1 {
            // The leftmost subtree: fold it up with zero hashes.
            return (height..depth).fold(level[0], |node, h| hash_pair(&node, zero_hash(h)));
        }
        if level.len() % 2 == 1 {
            level.push(*zero_hash(height));
        }
        level = keccak_lanes::hash_level(&level);
    }
    level[0]
}

/// Root computed from a leaf, its index and its siblings (bottom-up), the way the contract does it.
pub fn root_from_proof(leaf: &Hash, index: u64, siblings: &[Hash]) -> Hash {
    let mut node = *leaf;
    for (height, sibling) in siblings.iter().enumerate() {
        node = if (index >> height) & 1 == 0 {
            hash_pair(&node, sibling)
        } else {
            hash_pair(sibling, &node)
        };
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_pair_is_keccak256_of_the_concatenation() {
        let mut left = [0u8; 32];
        let mut right = [0u8; 32];
        for round in 0..64u8 {
            for i in 0..32 {
                left[i] = round.wrapping_mul(31).wrapping_add(i as u8 * 7);
                right[i] = round.wrapping_mul(17) ^ (i as u8).wrapping_mul(13);
            }
            let mut both = [0u8; 64];
            both[..32].copy_from_slice(&left);
            both[32..].copy_from_slice(&right);
            assert_eq!(hash_pair(&left, &right), keccak256(&both));
        }
        // keccak256 of 64 zero bytes, a well-known constant.
        assert_eq!(
            hex::encode(hash_pair(&[0; 32], &[0; 32])),
            "ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5"
        );
    }

    #[test]
    fn zero_hashes_chain() {
        assert_eq!(zero_hash(0), &[0u8; 32]);
        assert_eq!(zero_hash(1), &keccak256(&[0u8; 64]));
        assert_eq!(zero_hash(5), &root_of_bytes(&[], 5));
        assert_eq!(zero_hash(5), &root_of_bytes(&[0u8; 100], 5));
    }

    #[test]
    fn root_of_bytes_matches_naive_tree() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 7 + 3) as u8).collect();
        let depth = 4;
        let mut leaves = vec![[0u8; 32]; 1 << depth];
        for (i, b) in data.iter().enumerate() {
            leaves[i / 32][i % 32] = *b;
        }
        while leaves.len() > 1 {
            leaves = leaves.chunks(2).map(|p| hash_pair(&p[0], &p[1])).collect();
        }
        assert_eq!(root_of_bytes(&data, depth), leaves[0]);
    }

    /// The level-by-level root of one pair at a time (the implementation before SIMD lanes).
    fn root_one_pair_at_a_time(data: &[u8], depth: usize) -> Hash {
        let mut level: Vec<Hash> = data
            .chunks(LEAF_SIZE)
            .map(|c| {
                let mut leaf = [0u8; 32];
                leaf[..c.len()].copy_from_slice(c);
                leaf
            })
            .collect();
        for height in 0..depth {
            if level.is_empty() {
                return *zero_hash(depth);
            }
            level = level
                .chunks(2)
                .map(|pair| hash_pair(&pair[0], pair.get(1).unwrap_or(zero_hash(height))))
                .collect();
        }
        level.first().copied().unwrap_or(*zero_hash(depth))
    }

    #[test]
    fn root_of_bytes_matches_one_pair_at_a_time() {
        let data: Vec<u8> = (0..40_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for depth in 0..=12 {
            let fits = LEAF_SIZE << depth;
            for len in (0..=600).chain([1023, 1024, 1025, 4095, 4096, 4097, 40_000]) {
                if len <= fits {
                    let d = &data[..len];
                    assert_eq!(
                        root_of_bytes(d, depth),
                        root_one_pair_at_a_time(d, depth),
                        "len {len} depth {depth}"
                    );
                }
            }
        }
        let d = &data[..40_000];
        assert_eq!(
            root_of_bytes(d, MAX_DEPTH),
            root_one_pair_at_a_time(d, MAX_DEPTH)
        );
    }

    #[test]
    fn proof_folds_to_root() {
        let data: Vec<u8> = (0..256u32).map(|i| i as u8).collect();
        let depth = 3;
        let leaves: Vec<Hash> = data.chunks(32).map(|c| c.try_into().unwrap()).collect();
        let l01 = hash_pair(&leaves[0], &leaves[1]);
        let l23 = hash_pair(&leaves[2], &leaves[3]);
        let l45 = hash_pair(&leaves[4], &leaves[5]);
        let l4567 = hash_pair(&l45, &hash_pair(&leaves[6], &leaves[7]));
        let siblings = [leaves[2], l01, l4567];
        assert_eq!(
            root_from_proof(&leaves[3], 3, &siblings),
            root_of_bytes(&data, depth)
        );
        let _ = l23;
    }
}
