// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {InvalidMemoryProof, InvalidProofLength} from "./Errors.sol";

/// @title MemoryProof
/// @notice VM memory as seen through a list of leaf proofs consumed in order: the Solidity twin of
/// `ProofMemory` in vm/src/verify.rs (docs/spec.md §1, §6). Function names mirror the Rust ones
/// (`read_leaf` ↔ `readLeaf`, `write_leaf` ↔ `writeLeaf`, `read_memory` ↔ `readMemory`,
/// `write_memory` ↔ `writeMemory`, `compute_root` ↔ `computeRoot`).
/// @dev A leaf proof is 896 bytes of calldata: the leaf's 32 bytes, then its 27 siblings bottom-up.
/// The proof is never copied: siblings are read with calldataload and hashed in scratch space.
library MemoryProof {
    /// Depth of the memory tree: 2^27 leaves of 32 bytes = 4 GiB.
    uint256 internal constant MEMORY_DEPTH = 27;
    /// Bytes of one encoded leaf proof: leaf ‖ 27 siblings.
    uint256 internal constant LEAF_PROOF_SIZE = 32 + 32 * MEMORY_DEPTH;

    /// The memory root and the proof cursor.
    struct ProofMemory {
        /// The current memory root (updated by writes).
        bytes32 root;
        /// Calldata offset of the proof bytes.
        uint256 proof;
        /// Length of the proof bytes.
        uint256 length;
        /// Bytes of the proof consumed so far.
        uint256 cursor;
        /// Calldata offset of the leaf proof read last (for writing that leaf back).
        uint256 last;
    }

    /// A view of memory with root `root` through `proof`, nothing consumed yet.
    function init(bytes32 root, bytes calldata proof) internal pure returns (ProofMemory memory m) {
        uint256 offset;
        assembly ("memory-safe") {
            offset := proof.offset
        }
        m.root = root;
        m.proof = offset;
        m.length = proof.length;
    }

    /// The root that the leaf proof at calldata offset `at` gives when its leaf is `leaf` and
    /// its index is `index`: at height h the node is the left child iff bit h of index is 0.
    /// @dev Unrolled over the 27 heights: at height h the node is stored at scratch offset
    /// 32 * (bit h of index) and its sibling at the other half, then the pair is hashed.
    function computeRoot(uint256 at, uint256 index, bytes32 leaf) internal pure returns (bytes32 node) {
        assembly ("memory-safe") {
            node := leaf
            {
                let side := and(shl(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 32)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shl(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 64)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shl(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 96)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shl(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 128)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shl(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 160)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(index, 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 192)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 224)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 256)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 288)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 320)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 352)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(6, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 384)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(7, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 416)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(8, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 448)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(9, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 480)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(10, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 512)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(11, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 544)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(12, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 576)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(13, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 608)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(14, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 640)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(15, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 672)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(16, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 704)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(17, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 736)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(18, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 768)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(19, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 800)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(20, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 832)))
                node := keccak256(0, 0x40)
            }
            {
                let side := and(shr(21, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 864)))
                node := keccak256(0, 0x40)
            }
        }
    }

    /// `computeRoot` for two leaves at once over the same siblings: the root with `leaf` (to
    /// check) and the root with `newLeaf` (the root after the write). Equal to two calls.
    /// @dev The sibling stays in its scratch half after the first hash of a level, so the second
    /// hash only stores the new node.
    function computeRoots(uint256 at, uint256 index, bytes32 leaf, bytes32 newLeaf)
        internal
        pure
        returns (bytes32 node, bytes32 newNode)
    {
        assembly ("memory-safe") {
            node := leaf
            newNode := newLeaf
            {
                let side := and(shl(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 32)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shl(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 64)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shl(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 96)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shl(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 128)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shl(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 160)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(index, 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 192)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 224)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 256)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 288)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 320)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 352)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(6, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 384)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(7, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 416)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(8, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 448)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(9, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 480)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(10, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 512)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(11, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 544)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(12, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 576)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(13, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 608)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(14, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 640)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(15, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 672)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(16, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 704)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(17, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 736)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(18, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 768)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(19, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 800)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(20, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 832)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let side := and(shr(21, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), calldataload(add(at, 864)))
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
        }
    }

    /// Reads the next leaf proof, which must be of leaf `index` under the current root.
    function readLeaf(ProofMemory memory m, uint256 index) internal pure returns (bytes32 leaf) {
        // Offsets and lengths are bounded by the calldata size: no overflow.
        unchecked {
            uint256 at = m.cursor;
            if (m.length < at + LEAF_PROOF_SIZE) revert InvalidProofLength();
            uint256 offset = m.proof + at;
            assembly ("memory-safe") {
                leaf := calldataload(offset)
            }
            if (computeRoot(offset, index, leaf) != m.root) revert InvalidMemoryProof();
            m.cursor = at + LEAF_PROOF_SIZE;
            m.last = offset;
        }
    }

    /// Replaces the leaf read last (which is leaf `index`) and updates the root.
    function writeLeaf(ProofMemory memory m, uint256 index, bytes32 leaf) internal pure {
        m.root = computeRoot(m.last, index, leaf);
    }

    /// Reads `width` bytes at `addr`, little-endian; a range that crosses into the next leaf
    /// consumes a second proof (against the same root).
    /// @dev Byte i of the access is byte (addr mod 32) + i of leaf `first` ‖ leaf `last`
    /// (when the access does not cross, only bytes of `first` are used).
    function readMemory(ProofMemory memory m, uint32 addr, uint32 width) internal pure returns (uint32 value) {
        unchecked {
            uint32 first = addr >> 5;
            uint32 last = (addr + width - 1) >> 5;
            bytes32 a = readLeaf(m, first);
            bytes32 b = last != first ? readLeaf(m, last) : a;
            assembly ("memory-safe") {
                mstore(0, a)
                mstore(0x20, b)
                let w := mload(and(addr, 31))
                // Little-endian: the first byte is the least significant.
                value := or(or(byte(0, w), shl(8, byte(1, w))), or(shl(16, byte(2, w)), shl(24, byte(3, w))))
                value := and(value, sub(shl(shl(3, width), 1), 1))
            }
        }
    }

    /// Writes the low `width` bytes of `value` at `addr`, little-endian. The first leaf is read,
    /// updated and written back (new root); a second leaf, if the range crosses into it, is then
    /// proven against the updated root and updated in turn.
    function writeMemory(ProofMemory memory m, uint32 addr, uint32 width, uint32 value) internal pure {
        unchecked {
            uint32 first = addr >> 5;
            uint32 last = (addr + width - 1) >> 5;
            writeBytes(m, first, addr, width, value);
            if (last != first) writeBytes(m, last, addr, width, value);
        }
    }

    /// One leaf of `writeMemory`: reads leaf `index`, replaces the bytes of `addr..addr+width`
    /// that fall into it, writes it back. This is `readLeaf` then `writeLeaf` (same checks in the
    /// same order: proof length, then the proof against the current root), with both folds over
    /// the siblings done in one pass by `computeRoots`.
    function writeBytes(ProofMemory memory m, uint32 index, uint32 addr, uint32 width, uint32 value) private pure {
        uint256 at = m.cursor;
        uint256 offset;
        unchecked {
            if (m.length < at + LEAF_PROOF_SIZE) revert InvalidProofLength();
            offset = m.proof + at;
        }
        bytes32 leaf;
        bytes32 newLeaf;
        assembly ("memory-safe") {
            leaf := calldataload(offset)
            mstore(0, leaf)
            let idx := and(index, 0x7FFFFFF)
            for { let i := 0 } lt(i, and(width, 7)) { i := add(i, 1) } {
                let byteAddr := and(add(addr, i), 0xFFFFFFFF)
                if eq(shr(5, byteAddr), idx) { mstore8(and(byteAddr, 31), shr(shl(3, i), value)) }
            }
            newLeaf := mload(0)
        }
        (bytes32 root, bytes32 newRoot) = computeRoots(offset, index, leaf, newLeaf);
        if (root != m.root) revert InvalidMemoryProof();
        unchecked {
            m.cursor = at + LEAF_PROOF_SIZE;
        }
        m.last = offset;
        m.root = newRoot;
    }
}
