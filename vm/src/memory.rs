//! Sparse Merkleized memory: 4 GiB as one depth-27 tree of 32-byte leaves.
//!
//! Bytes live in one lazily-committed 4 GiB anonymous mapping, so the interpreter reads and
//! writes them directly and the OS backs only the pages touched. Hashes are cached per 4 KiB page
//! (a height-7 subtree) and above, in a sparse map of non-default nodes; a write marks its page
//! dirty, and [`Memory::root`] rehashes only dirty pages and their ancestors, so a root after N
//! dirty pages costs O(N · (127 + 20)) hashes. rs_merkle is not used here: it builds dense trees
//! and this one is sparse.

use crate::layout::{MEMORY_DEPTH, SLOT_COUNT, SLOT_DEPTH, SLOT_SIZE};
use crate::merkle::{hash_pair, zero_hash, Hash, LEAF_SIZE};
use memmap2::{MmapMut, MmapOptions};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Bytes per page (the unit of dirty tracking and snapshots).
pub const PAGE_SIZE: usize = 4096;
/// Height of a page's subtree: 128 leaves.
pub const PAGE_HEIGHT: usize = 7;
const PAGE_COUNT: usize = 1 << (32 - 12);
const LEAVES_PER_PAGE: usize = PAGE_SIZE / LEAF_SIZE;

/// Dirty pages from which rehashing is spread over threads.
const PARALLEL_PAGES: usize = 64;

const TOUCHED: u8 = 1;
const DIRTY: u8 = 2;
const CHANGED: u8 = 4;
const ALL_FLAGS: u8 = TOUCHED | DIRTY | CHANGED;

/// One page's bytes, shared between snapshots that did not change it.
pub type PageData = Arc<[u8; PAGE_SIZE]>;

/// Errors of memory set-up.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    /// The OS refused the 4 GiB reservation.
    #[error("cannot reserve 4 GiB of address space for VM memory: {0}")]
    Reserve(#[from] std::io::Error),
    /// Slot number out of range.
    #[error("slot {0} does not exist (0..{SLOT_COUNT})")]
    NoSuchSlot(usize),
    /// Data larger than a slot.
    #[error("{0} bytes do not fit a 256 MiB slot")]
    TooLarge(usize),
    /// The slot already holds data.
    #[error("slot {0} is not empty")]
    SlotInUse(usize),
    /// The data's root is not the root the caller trusts.
    #[error(
        "root mismatch mounting slot {slot}: expected 0x{}, data hashes to 0x{}",
        hex::encode(expected),
        hex::encode(actual)
    )]
    RootMismatch {
        /// The slot.
        slot: usize,
        /// The trusted root.
        expected: Hash,
        /// The root of the given bytes.
        actual: Hash,
    },
}

/// A Merkle proof of one memory leaf: the leaf and its 27 siblings, bottom-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeafProof {
    /// Leaf index (byte address >> 5).
    pub index: u32,
    /// The leaf's 32 bytes.
    #[serde(with = "crate::hex_bytes")]
    pub leaf: Hash,
    /// Siblings from the leaf's level up to just below the root.
    #[serde(with = "crate::hex_bytes::list")]
    pub siblings: Vec<Hash>,
}

/// 4 GiB of sparse, Merkleized memory.
pub struct Memory {
    bytes: MmapMut,
    flags: Vec<u8>,
    touched: Vec<u32>,
    dirty: Vec<u32>,
    changed: Vec<u32>,
    /// Non-default node hashes at heights ≥ PAGE_HEIGHT, keyed by generalized index
    /// (root = 1, children of i = 2i, 2i + 1).
    nodes: HashMap<u32, Hash>,
}

/// Root of one page's height-7 subtree, hashed in place without allocating.
fn page_root(page: &[u8]) -> Hash {
    let mut nodes = [[0u8; 32]; LEAVES_PER_PAGE];
    for (node, leaf) in nodes.iter_mut().zip(page.chunks_exact(LEAF_SIZE)) {
        node.copy_from_slice(leaf);
    }
    let mut width = LEAVES_PER_PAGE;
    while width > 1 {
        width /= 2;
        for i in 0..width {
            nodes[i] = hash_pair(&nodes[2 * i], &nodes[2 * i + 1]);
        }
    }
    nodes[0]
}

/// Generalized index of the node at `height` with position `index` in its level.
const fn gindex(height: usize, index: u32) -> u32 {
    (1 << (MEMORY_DEPTH - height)) | index
}

impl Memory {
    /// Empty (all-zero) memory.
    pub fn new() -> Result<Self, MemoryError> {
        let bytes = MmapOptions::new()
            .len(1 << 32)
            .no_reserve_swap()
            .map_anon()?;
        Ok(Self {
            bytes,
            flags: vec![0; PAGE_COUNT],
            touched: Vec::new(),
            dirty: Vec::new(),
            changed: Vec::new(),
            nodes: HashMap::new(),
        })
    }

    #[inline(always)]
    fn mark(&mut self, addr: u32) {
        let page = (addr >> 12) as usize & (PAGE_COUNT - 1);
        if self.flags[page] != ALL_FLAGS {
            self.mark_slow(page as u32);
        }
    }

    #[cold]
    fn mark_slow(&mut self, page: u32) {
        let f = &mut self.flags[page as usize];
        if *f & TOUCHED == 0 {
            self.touched.push(page);
        }
        if *f & DIRTY == 0 {
            self.dirty.push(page);
        }
        if *f & CHANGED == 0 {
            self.changed.push(page);
        }
        *f = ALL_FLAGS;
    }

    /// The raw bytes and per-page flags, for the interpreter's fast loop: it may write a byte
    /// directly only where [`Memory::is_marked`] holds for the byte's page.
    #[inline(always)]
    pub(crate) fn fast_parts(&mut self) -> (&mut [u8], &[u8]) {
        (&mut self.bytes[..], &self.flags[..])
    }

    /// True when `flags` says a direct write to `page` needs no bookkeeping.
    #[inline(always)]
    pub(crate) fn is_marked(flags: &[u8], page: usize) -> bool {
        flags[page & (PAGE_COUNT - 1)] == ALL_FLAGS
    }

    /// Reads one byte.
    #[inline(always)]
    pub fn read_u8(&self, addr: u32) -> u8 {
        self.bytes[addr as usize]
    }

    /// Reads a little-endian u16; addresses wrap modulo 2^32.
    #[inline(always)]
    pub fn read_u16(&self, addr: u32) -> u16 {
        let a = addr as usize;
        match self.bytes.get(a..a + 2) {
            Some(b) => u16::from_le_bytes([b[0], b[1]]),
            None => u16::from_le_bytes([self.read_u8(addr), self.read_u8(addr.wrapping_add(1))]),
        }
    }

    /// Reads a little-endian u32; addresses wrap modulo 2^32.
    #[inline(always)]
    pub fn read_u32(&self, addr: u32) -> u32 {
        let a = addr as usize;
        match self.bytes.get(a..a + 4) {
            Some(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            None => u32::from_le_bytes(std::array::from_fn(|i| {
                self.read_u8(addr.wrapping_add(i as u32))
            })),
        }
    }

    /// Writes one byte.
    #[inline(always)]
    pub fn write_u8(&mut self, addr: u32, value: u8) {
        self.bytes[addr as usize] = value;
        self.mark(addr);
    }

    /// Writes the low `W` bytes (1, 2 or 4) of `value`, little-endian; addresses wrap.
    #[inline(always)]
    pub fn write_le<const W: usize>(&mut self, addr: u32, value: u32) {
        let a = addr as usize;
        match self.bytes.get_mut(a..a + W) {
            Some(dst) => {
                dst.copy_from_slice(&value.to_le_bytes()[..W]);
                let page = (a >> 12) & (PAGE_COUNT - 1);
                if self.flags[page] != ALL_FLAGS || (a & 0xFFF) + W > PAGE_SIZE {
                    self.mark_range(addr, W as u32);
                }
            }
            None => {
                for i in 0..W as u32 {
                    self.bytes[addr.wrapping_add(i) as usize] = (value >> (8 * i)) as u8;
                }
                self.mark_range(addr, W as u32);
            }
        }
    }

    #[cold]
    fn mark_range(&mut self, addr: u32, width: u32) {
        self.mark(addr);
        self.mark(addr.wrapping_add(width - 1));
    }

    /// Copies `data` to `addr..addr + len` (no wrap-around: the range must fit below 4 GiB).
    pub fn write_bytes(&mut self, addr: u32, data: &[u8]) {
        let start = addr as usize;
        let end = start + data.len();
        assert!(end <= 1 << 32, "write past the end of memory");
        self.bytes[start..end].copy_from_slice(data);
        let mut page = start >> 12;
        while page << 12 < end {
            self.mark((page << 12) as u32);
            page += 1;
        }
    }

    /// Reads `len` bytes at `addr` (no wrap-around).
    pub fn read_bytes(&self, addr: u32, len: usize) -> &[u8] {
        &self.bytes[addr as usize..addr as usize + len]
    }

    /// The 32 bytes of leaf `index`.
    pub fn leaf(&self, index: u32) -> Hash {
        let a = (index as usize) * LEAF_SIZE;
        self.bytes[a..a + LEAF_SIZE].try_into().expect("32 bytes")
    }

    /// Overwrites leaf `index`.
    pub fn set_leaf(&mut self, index: u32, leaf: &Hash) {
        self.write_bytes(index * LEAF_SIZE as u32, leaf);
    }

    fn page(&self, page: u32) -> &[u8] {
        let a = (page as usize) << 12;
        &self.bytes[a..a + PAGE_SIZE]
    }

    fn node(&self, height: usize, index: u32) -> Hash {
        *self
            .nodes
            .get(&gindex(height, index))
            .unwrap_or(zero_hash(height))
    }

    fn set_node(&mut self, height: usize, index: u32, hash: Hash) {
        if &hash == zero_hash(height) {
            self.nodes.remove(&gindex(height, index));
        } else {
            self.nodes.insert(gindex(height, index), hash);
        }
    }

    /// Rehashes dirty pages and their ancestors.
    fn flush(&mut self) {
        if self.dirty.is_empty() {
            return;
        }
        let mut level = std::mem::take(&mut self.dirty);
        level.sort_unstable();
        // Page roots are independent: hash them on all cores when there are enough.
        let roots: Vec<Hash> = if level.len() >= PARALLEL_PAGES {
            level.par_iter().map(|&p| page_root(self.page(p))).collect()
        } else {
            level.iter().map(|&p| page_root(self.page(p))).collect()
        };
        for (&page, root) in level.iter().zip(roots) {
            self.flags[page as usize] &= !DIRTY;
            self.set_node(PAGE_HEIGHT, page, root);
        }
        for height in PAGE_HEIGHT + 1..=MEMORY_DEPTH {
            level.iter_mut().for_each(|i| *i >>= 1);
            level.dedup();
            for &i in &level {
                let h = hash_pair(
                    &self.node(height - 1, 2 * i),
                    &self.node(height - 1, 2 * i + 1),
                );
                self.set_node(height, i, h);
            }
        }
    }

    /// The memory root.
    pub fn root(&mut self) -> Hash {
        self.flush();
        self.node(MEMORY_DEPTH, 0)
    }

    /// Root of one 256 MiB slot (a depth-23 subtree).
    pub fn slot_root(&mut self, slot: usize) -> Hash {
        self.flush();
        self.node(SLOT_DEPTH, slot as u32)
    }

    /// Merkle proof of leaf `index` against the current root.
    pub fn proof(&mut self, index: u32) -> LeafProof {
        self.flush();
        let page = index >> PAGE_HEIGHT;
        let mut siblings = Vec::with_capacity(MEMORY_DEPTH);
        // Inside the page: rebuild its small tree level by level.
        let mut level: Vec<Hash> = self
            .page(page)
            .chunks(LEAF_SIZE)
            .map(|c| c.try_into().expect("32"))
            .collect();
        let mut pos = (index as usize) % LEAVES_PER_PAGE;
        while level.len() > 1 {
            siblings.push(level[pos ^ 1]);
            level = level.chunks(2).map(|p| hash_pair(&p[0], &p[1])).collect();
            pos /= 2;
        }
        // Above the page: cached nodes.
        let mut i = page;
        for height in PAGE_HEIGHT..MEMORY_DEPTH {
            siblings.push(self.node(height, i ^ 1));
            i >>= 1;
        }
        LeafProof {
            index,
            leaf: self.leaf(index),
            siblings,
        }
    }

    /// Writes `data` into an empty `slot` after checking that it hashes to `expected_root`
    /// (the bytes zero-padded to 256 MiB, a depth-23 tree).
    pub fn mount(
        &mut self,
        slot: usize,
        data: &[u8],
        expected_root: &Hash,
    ) -> Result<(), MemoryError> {
        if slot >= SLOT_COUNT {
            return Err(MemoryError::NoSuchSlot(slot));
        }
        if data.len() as u64 > SLOT_SIZE {
            return Err(MemoryError::TooLarge(data.len()));
        }
        if self.slot_root(slot) != *zero_hash(SLOT_DEPTH) {
            return Err(MemoryError::SlotInUse(slot));
        }
        // Write, then hash through the page cache (each byte is hashed once), and roll back
        // on a mismatch so that a rejected tensor leaves the slot empty.
        let base = (slot as u32) << 28;
        self.write_bytes(base, data);
        let actual = self.slot_root(slot);
        if actual != *expected_root {
            self.write_bytes(base, &vec![0u8; data.len()]);
            return Err(MemoryError::RootMismatch {
                slot,
                expected: *expected_root,
                actual,
            });
        }
        Ok(())
    }

    /// Pages written since the last call, with their current bytes (for incremental snapshots).
    pub fn take_changed_pages(&mut self) -> Vec<(u32, PageData)> {
        let changed = std::mem::take(&mut self.changed);
        changed
            .into_iter()
            .map(|p| {
                self.flags[p as usize] &= !CHANGED;
                (p, Arc::new(self.page(p).try_into().expect("page")))
            })
            .collect()
    }

    /// Every page ever written, with its bytes.
    pub fn pages(&self) -> impl Iterator<Item = (u32, &[u8])> + '_ {
        self.touched.iter().map(|&p| (p, self.page(p)))
    }

    /// Number of pages ever written.
    pub fn touched_pages(&self) -> usize {
        self.touched.len()
    }

    /// Cached hashes (for snapshots: restoring them avoids rehashing every page).
    pub(crate) fn hash_cache(&mut self) -> HashMap<u32, Hash> {
        self.flush();
        self.nodes.clone()
    }

    /// Rebuilds memory from pages and the hash cache captured with them.
    pub(crate) fn restore<'a>(
        pages: impl IntoIterator<Item = (u32, &'a [u8; PAGE_SIZE])>,
        nodes: HashMap<u32, Hash>,
    ) -> Result<Self, MemoryError> {
        let mut mem = Self::new()?;
        for (p, data) in pages {
            mem.write_bytes(p << 12, data.as_slice());
        }
        mem.dirty
            .iter()
            .for_each(|&p| mem.flags[p as usize] &= !DIRTY);
        mem.dirty.clear();
        mem.changed
            .iter()
            .for_each(|&p| mem.flags[p as usize] &= !CHANGED);
        mem.changed.clear();
        mem.nodes = nodes;
        Ok(mem)
    }

    /// An independent copy.
    pub fn try_clone(&mut self) -> Result<Self, MemoryError> {
        let nodes = self.hash_cache();
        let pages: Vec<(u32, [u8; PAGE_SIZE])> = self
            .pages()
            .map(|(p, b)| (p, b.try_into().expect("page")))
            .collect();
        Self::restore(pages.iter().map(|(p, b)| (*p, b)), nodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::{root_from_proof, root_of_bytes};

    #[test]
    fn empty_root_is_zero_hash() {
        let mut m = Memory::new().unwrap();
        assert_eq!(m.root(), *zero_hash(MEMORY_DEPTH));
    }

    #[test]
    fn root_matches_dense_computation_of_a_slot() {
        let mut m = Memory::new().unwrap();
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 31 + 7) as u8).collect();
        m.write_bytes(0x5000_0000, &data);
        let slot = root_of_bytes(&data, SLOT_DEPTH);
        assert_eq!(m.slot_root(5), slot);
        // Root over the 16 slot roots.
        let mut level: Vec<Hash> = (0..16)
            .map(|s| if s == 5 { slot } else { *zero_hash(SLOT_DEPTH) })
            .collect();
        while level.len() > 1 {
            level = level.chunks(2).map(|p| hash_pair(&p[0], &p[1])).collect();
        }
        assert_eq!(m.root(), level[0]);
    }

    #[test]
    fn proofs_verify_and_track_writes() {
        let mut m = Memory::new().unwrap();
        m.write_le::<4>(0x1000, 0xDEAD_BEEF);
        m.write_le::<4>(0xFFFF_FFFE, 0x1234_5678); // wraps to address 0
        assert_eq!(m.read_u32(0xFFFF_FFFE), 0x1234_5678);
        assert_eq!(m.read_u16(0), 0x1234);
        for index in [0x1000 >> 5, 0, (1 << 27) - 1, 12345] {
            let root = m.root();
            let p = m.proof(index);
            assert_eq!(p.siblings.len(), MEMORY_DEPTH);
            assert_eq!(root_from_proof(&p.leaf, index as u64, &p.siblings), root);
        }
    }

    #[test]
    fn mount_checks_root_and_emptiness() {
        let mut m = Memory::new().unwrap();
        let data = vec![9u8; 1000];
        let root = root_of_bytes(&data, SLOT_DEPTH);
        assert!(matches!(
            m.mount(6, &data, &[0; 32]),
            Err(MemoryError::RootMismatch { .. })
        ));
        assert_eq!(
            m.slot_root(6),
            *zero_hash(SLOT_DEPTH),
            "a rejected mount leaves the slot empty"
        );
        m.mount(6, &data, &root).unwrap();
        assert_eq!(m.slot_root(6), root);
        assert!(matches!(
            m.mount(6, &data, &root),
            Err(MemoryError::SlotInUse(6))
        ));
        assert!(matches!(
            m.mount(16, &data, &root),
            Err(MemoryError::NoSuchSlot(16))
        ));
    }

    #[test]
    fn clone_keeps_root() {
        let mut m = Memory::new().unwrap();
        m.write_bytes(0x2000_0000, &[1, 2, 3]);
        let mut c = m.try_clone().unwrap();
        assert_eq!(c.root(), m.root());
        c.write_u8(0, 1);
        assert_ne!(c.root(), m.root());
    }
}
