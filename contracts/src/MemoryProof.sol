// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {InvalidMemoryProof, InvalidProofLength} from "./Errors.sol";

/// @title MemoryProof
/// @notice VM memory as seen through a list of leaf proofs read in order: the Solidity twin of
/// `ProofMemory` in vm/src/verify.rs (docs/spec.md §1, §6). Function names mirror the Rust ones
/// (`read_leaf` ↔ `readLeaf`, `read_pair_leaf` ↔ `readPairLeaf`, `read_memory` ↔ `readMemory`,
/// `write_memory` ↔ `writeMemory`, `pair_height` ↔ `pairHeight`). A store reads and writes in
/// one pass where the Rust verifier reads, then writes: `writeBytes` is `read_leaf` +
/// `write_leaf`, `writePairBytes` is `read_leaf` + `read_pair_leaf` + `write_leaf_pair`.
/// @dev A leaf proof is the leaf (32 bytes), a big-endian u32 mask, then the siblings whose mask
/// bit is 0, bottom-up (bit h set: the sibling at height h is the zero-subtree root Z[h]). The
/// proof is never copied: siblings are read with calldataload and hashed in scratch space.
///
/// The Rust verifier reads a leaf proof byte by byte and stops with `InvalidProofLength` where
/// the bytes run out. Here a fold reads its siblings first (calldataload past the end gives
/// zeros or other calldata) and then checks where it ended: `InvalidProofLength` if past the end
/// of the proof, before the folded node is compared. Nothing else can fail in between, so the
/// error is the same.
library MemoryProof {
    /// Depth of the memory tree: 2^27 leaves of 32 bytes = 4 GiB.
    uint256 internal constant MEMORY_DEPTH = 27;
    /// Bytes every leaf proof starts with: the leaf, then the mask.
    uint256 internal constant LEAF_PROOF_HEADER_SIZE = 36;

    /// The memory root, the proof cursor, and where the siblings of the last full leaf proof
    /// are (for the pair proof that may follow).
    struct ProofMemory {
        /// The current memory root (updated by writes).
        bytes32 root;
        /// Calldata offset of the proof bytes.
        uint256 proof;
        /// Length of the proof bytes.
        uint256 length;
        /// Bytes of the proof read so far.
        uint256 cursor;
        /// Calldata offset of the first sibling of the last full leaf proof read, and its mask.
        uint256 last;
        uint256 lastMask;
    }

    /// A view of memory with root `root` through `proof`, nothing read yet.
    function init(bytes32 root, bytes calldata proof) internal pure returns (ProofMemory memory m) {
        uint256 offset;
        assembly ("memory-safe") {
            offset := proof.offset
        }
        m.root = root;
        m.proof = offset;
        m.length = proof.length;
    }

    // ---------------------------------------------------------------------------------------
    // Folds
    // ---------------------------------------------------------------------------------------

    /// The root that a full leaf proof gives for leaf `leaf` at `index`: its siblings start at
    /// calldata offset `ptr`, `mask` says which are omitted (Z[h]); at height h the node is the
    /// left child iff bit h of index is 0. Also returns where the siblings end.
    /// @dev Unrolled over the 27 heights: at height h the node is stored at scratch offset
    /// 32 * (bit h of index) and its sibling at the other half, then the pair is hashed.
    function computeRoot(uint256 ptr, uint256 mask, uint256 index, bytes32 leaf)
        internal
        pure
        returns (bytes32 node, uint256 end)
    {
        assembly ("memory-safe") {
            node := leaf
            {
                let sibling := 0
                if iszero(and(mask, 0x1)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5
                if iszero(and(mask, 0x2)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xb4c11951957c6f8f642c4af61cd6b24640fec6dc7fc607ee8206a99e92410d30
                if iszero(and(mask, 0x4)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x21ddb9a356815c3fac1026b6dec5df3124afbadb485c9ba5a3e3398a04b7ba85
                if iszero(and(mask, 0x8)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xe58769b32a1beaf1ea27375a44095a0d1fb664ce2dd358e7fcbfb78c26a19344
                if iszero(and(mask, 0x10)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x0eb01ebfc9ed27500cd4dfc979272d1f0913cc9f66540d7e8005811109e1cf2d
                if iszero(and(mask, 0x20)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(index, 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x887c22bd8750d34016ac3c66b5ff102dacdd73f6b014e710b51e8022af9a1968
                if iszero(and(mask, 0x40)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xffd70157e48063fc33c97a050f7f640233bf646cc98d9524c6b92bcf3ab56f83
                if iszero(and(mask, 0x80)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x9867cc5f7f196b93bae1e27e6320742445d290f2263827498b54fec539f756af
                if iszero(and(mask, 0x100)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xcefad4e508c098b9a7e1d8feb19955fb02ba9675585078710969d3440f5054e0
                if iszero(and(mask, 0x200)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xf9dc3e7fe016e050eff260334f18a5d4fe391d82092319f5964f2e2eb7c1c3a5
                if iszero(and(mask, 0x400)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xf8b13a49e282f609c317a833fb8d976d11517c571d1221a265d25af778ecf892
                if iszero(and(mask, 0x800)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(6, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x3490c6ceeb450aecdc82e28293031d10c7d73bf85e57bf041a97360aa2c5d99c
                if iszero(and(mask, 0x1000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(7, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xc1df82d9c4b87413eae2ef048f94b4d3554cea73d92b0f7af96e0271c691e2bb
                if iszero(and(mask, 0x2000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(8, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x5c67add7c6caf302256adedf7ab114da0acfe870d449a3a489f781d659e8becc
                if iszero(and(mask, 0x4000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(9, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xda7bce9f4e8618b6bd2f4132ce798cdc7a60e7e1460a7299e3c6342a579626d2
                if iszero(and(mask, 0x8000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(10, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x2733e50f526ec2fa19a22b31e8ed50f23cd1fdf94c9154ed3a7609a2f1ff981f
                if iszero(and(mask, 0x10000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(11, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xe1d3b5c807b281e4683cc6d6315cf95b9ade8641defcb32372f1c126e398ef7a
                if iszero(and(mask, 0x20000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(12, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x5a2dce0a8a7f68bb74560f8f71837c2c2ebbcbf7fffb42ae1896f13f7c7479a0
                if iszero(and(mask, 0x40000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(13, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xb46a28b6f55540f89444f63de0378e3d121be09e06cc9ded1c20e65876d36aa0
                if iszero(and(mask, 0x80000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(14, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xc65e9645644786b620e2dd2ad648ddfcbf4a7e5b1a3a4ecfe7f64667a3f0b7e2
                if iszero(and(mask, 0x100000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(15, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xf4418588ed35a2458cffeb39b93d26f18d2ab13bdce6aee58e7b99359ec2dfd9
                if iszero(and(mask, 0x200000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(16, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x5a9c16dc00d6ef18b7933a6f8dc65ccb55667138776f7dea101070dc8796e377
                if iszero(and(mask, 0x400000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(17, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x4df84f40ae0c8229d0d6069e5c8f39a7c299677a09d367fc7b05e3bc380ee652
                if iszero(and(mask, 0x800000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(18, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xcdc72595f74c7b1043d0e1ffbab734648c838dfb0527d971b602bc216c9619ef
                if iszero(and(mask, 0x1000000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(19, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x0abf5ac974a1ed57f4050aa510dd9c74f508277b39d7973bb2dfccc5eeb0618d
                if iszero(and(mask, 0x2000000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(20, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xb8cd74046ff337f0a7bf2c8e03e10f642c1886798d71806ab1e888d9e5ee87d0
                if iszero(and(mask, 0x4000000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(21, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            end := ptr
        }
    }

    /// `computeRoot` for two leaves at once over the same siblings: the root with `leaf` (to
    /// check) and the root with `newLeaf` (the root after the write). Equal to two calls.
    /// @dev The sibling stays in its scratch half after the first hash of a level, so the second
    /// hash only stores the new node.
    function computeRoots(uint256 ptr, uint256 mask, uint256 index, bytes32 leaf, bytes32 newLeaf)
        internal
        pure
        returns (bytes32 node, bytes32 newNode, uint256 end)
    {
        assembly ("memory-safe") {
            node := leaf
            newNode := newLeaf
            {
                let sibling := 0
                if iszero(and(mask, 0x1)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5
                if iszero(and(mask, 0x2)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xb4c11951957c6f8f642c4af61cd6b24640fec6dc7fc607ee8206a99e92410d30
                if iszero(and(mask, 0x4)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x21ddb9a356815c3fac1026b6dec5df3124afbadb485c9ba5a3e3398a04b7ba85
                if iszero(and(mask, 0x8)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xe58769b32a1beaf1ea27375a44095a0d1fb664ce2dd358e7fcbfb78c26a19344
                if iszero(and(mask, 0x10)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shl(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x0eb01ebfc9ed27500cd4dfc979272d1f0913cc9f66540d7e8005811109e1cf2d
                if iszero(and(mask, 0x20)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(index, 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x887c22bd8750d34016ac3c66b5ff102dacdd73f6b014e710b51e8022af9a1968
                if iszero(and(mask, 0x40)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xffd70157e48063fc33c97a050f7f640233bf646cc98d9524c6b92bcf3ab56f83
                if iszero(and(mask, 0x80)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x9867cc5f7f196b93bae1e27e6320742445d290f2263827498b54fec539f756af
                if iszero(and(mask, 0x100)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xcefad4e508c098b9a7e1d8feb19955fb02ba9675585078710969d3440f5054e0
                if iszero(and(mask, 0x200)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xf9dc3e7fe016e050eff260334f18a5d4fe391d82092319f5964f2e2eb7c1c3a5
                if iszero(and(mask, 0x400)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xf8b13a49e282f609c317a833fb8d976d11517c571d1221a265d25af778ecf892
                if iszero(and(mask, 0x800)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(6, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x3490c6ceeb450aecdc82e28293031d10c7d73bf85e57bf041a97360aa2c5d99c
                if iszero(and(mask, 0x1000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(7, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xc1df82d9c4b87413eae2ef048f94b4d3554cea73d92b0f7af96e0271c691e2bb
                if iszero(and(mask, 0x2000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(8, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x5c67add7c6caf302256adedf7ab114da0acfe870d449a3a489f781d659e8becc
                if iszero(and(mask, 0x4000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(9, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xda7bce9f4e8618b6bd2f4132ce798cdc7a60e7e1460a7299e3c6342a579626d2
                if iszero(and(mask, 0x8000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(10, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x2733e50f526ec2fa19a22b31e8ed50f23cd1fdf94c9154ed3a7609a2f1ff981f
                if iszero(and(mask, 0x10000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(11, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xe1d3b5c807b281e4683cc6d6315cf95b9ade8641defcb32372f1c126e398ef7a
                if iszero(and(mask, 0x20000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(12, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x5a2dce0a8a7f68bb74560f8f71837c2c2ebbcbf7fffb42ae1896f13f7c7479a0
                if iszero(and(mask, 0x40000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(13, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xb46a28b6f55540f89444f63de0378e3d121be09e06cc9ded1c20e65876d36aa0
                if iszero(and(mask, 0x80000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(14, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xc65e9645644786b620e2dd2ad648ddfcbf4a7e5b1a3a4ecfe7f64667a3f0b7e2
                if iszero(and(mask, 0x100000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(15, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xf4418588ed35a2458cffeb39b93d26f18d2ab13bdce6aee58e7b99359ec2dfd9
                if iszero(and(mask, 0x200000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(16, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x5a9c16dc00d6ef18b7933a6f8dc65ccb55667138776f7dea101070dc8796e377
                if iszero(and(mask, 0x400000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(17, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x4df84f40ae0c8229d0d6069e5c8f39a7c299677a09d367fc7b05e3bc380ee652
                if iszero(and(mask, 0x800000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(18, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xcdc72595f74c7b1043d0e1ffbab734648c838dfb0527d971b602bc216c9619ef
                if iszero(and(mask, 0x1000000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(19, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0x0abf5ac974a1ed57f4050aa510dd9c74f508277b39d7973bb2dfccc5eeb0618d
                if iszero(and(mask, 0x2000000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(20, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            {
                let sibling := 0xb8cd74046ff337f0a7bf2c8e03e10f642c1886798d71806ab1e888d9e5ee87d0
                if iszero(and(mask, 0x4000000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                let side := and(shr(21, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
                mstore(side, newNode)
                newNode := keccak256(0, 0x40)
            }
            end := ptr
        }
    }

    /// `computeRoot` with the sibling at height `k` replaced by `replacement` (the siblings are
    /// read as usual: an explicit sibling at height k is skipped).
    function computeRootWith(uint256 ptr, uint256 mask, uint256 index, bytes32 leaf, uint256 k, bytes32 replacement)
        internal
        pure
        returns (bytes32 node)
    {
        assembly ("memory-safe") {
            node := leaf
            {
                let sibling := 0
                if iszero(and(mask, 0x1)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 0) { sibling := replacement }
                let side := and(shl(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5
                if iszero(and(mask, 0x2)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 1) { sibling := replacement }
                let side := and(shl(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xb4c11951957c6f8f642c4af61cd6b24640fec6dc7fc607ee8206a99e92410d30
                if iszero(and(mask, 0x4)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 2) { sibling := replacement }
                let side := and(shl(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x21ddb9a356815c3fac1026b6dec5df3124afbadb485c9ba5a3e3398a04b7ba85
                if iszero(and(mask, 0x8)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 3) { sibling := replacement }
                let side := and(shl(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xe58769b32a1beaf1ea27375a44095a0d1fb664ce2dd358e7fcbfb78c26a19344
                if iszero(and(mask, 0x10)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 4) { sibling := replacement }
                let side := and(shl(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x0eb01ebfc9ed27500cd4dfc979272d1f0913cc9f66540d7e8005811109e1cf2d
                if iszero(and(mask, 0x20)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 5) { sibling := replacement }
                let side := and(index, 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x887c22bd8750d34016ac3c66b5ff102dacdd73f6b014e710b51e8022af9a1968
                if iszero(and(mask, 0x40)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 6) { sibling := replacement }
                let side := and(shr(1, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xffd70157e48063fc33c97a050f7f640233bf646cc98d9524c6b92bcf3ab56f83
                if iszero(and(mask, 0x80)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 7) { sibling := replacement }
                let side := and(shr(2, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x9867cc5f7f196b93bae1e27e6320742445d290f2263827498b54fec539f756af
                if iszero(and(mask, 0x100)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 8) { sibling := replacement }
                let side := and(shr(3, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xcefad4e508c098b9a7e1d8feb19955fb02ba9675585078710969d3440f5054e0
                if iszero(and(mask, 0x200)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 9) { sibling := replacement }
                let side := and(shr(4, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xf9dc3e7fe016e050eff260334f18a5d4fe391d82092319f5964f2e2eb7c1c3a5
                if iszero(and(mask, 0x400)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 10) { sibling := replacement }
                let side := and(shr(5, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xf8b13a49e282f609c317a833fb8d976d11517c571d1221a265d25af778ecf892
                if iszero(and(mask, 0x800)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 11) { sibling := replacement }
                let side := and(shr(6, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x3490c6ceeb450aecdc82e28293031d10c7d73bf85e57bf041a97360aa2c5d99c
                if iszero(and(mask, 0x1000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 12) { sibling := replacement }
                let side := and(shr(7, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xc1df82d9c4b87413eae2ef048f94b4d3554cea73d92b0f7af96e0271c691e2bb
                if iszero(and(mask, 0x2000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 13) { sibling := replacement }
                let side := and(shr(8, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x5c67add7c6caf302256adedf7ab114da0acfe870d449a3a489f781d659e8becc
                if iszero(and(mask, 0x4000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 14) { sibling := replacement }
                let side := and(shr(9, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xda7bce9f4e8618b6bd2f4132ce798cdc7a60e7e1460a7299e3c6342a579626d2
                if iszero(and(mask, 0x8000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 15) { sibling := replacement }
                let side := and(shr(10, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x2733e50f526ec2fa19a22b31e8ed50f23cd1fdf94c9154ed3a7609a2f1ff981f
                if iszero(and(mask, 0x10000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 16) { sibling := replacement }
                let side := and(shr(11, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xe1d3b5c807b281e4683cc6d6315cf95b9ade8641defcb32372f1c126e398ef7a
                if iszero(and(mask, 0x20000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 17) { sibling := replacement }
                let side := and(shr(12, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x5a2dce0a8a7f68bb74560f8f71837c2c2ebbcbf7fffb42ae1896f13f7c7479a0
                if iszero(and(mask, 0x40000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 18) { sibling := replacement }
                let side := and(shr(13, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xb46a28b6f55540f89444f63de0378e3d121be09e06cc9ded1c20e65876d36aa0
                if iszero(and(mask, 0x80000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 19) { sibling := replacement }
                let side := and(shr(14, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xc65e9645644786b620e2dd2ad648ddfcbf4a7e5b1a3a4ecfe7f64667a3f0b7e2
                if iszero(and(mask, 0x100000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 20) { sibling := replacement }
                let side := and(shr(15, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xf4418588ed35a2458cffeb39b93d26f18d2ab13bdce6aee58e7b99359ec2dfd9
                if iszero(and(mask, 0x200000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 21) { sibling := replacement }
                let side := and(shr(16, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x5a9c16dc00d6ef18b7933a6f8dc65ccb55667138776f7dea101070dc8796e377
                if iszero(and(mask, 0x400000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 22) { sibling := replacement }
                let side := and(shr(17, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x4df84f40ae0c8229d0d6069e5c8f39a7c299677a09d367fc7b05e3bc380ee652
                if iszero(and(mask, 0x800000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 23) { sibling := replacement }
                let side := and(shr(18, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xcdc72595f74c7b1043d0e1ffbab734648c838dfb0527d971b602bc216c9619ef
                if iszero(and(mask, 0x1000000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 24) { sibling := replacement }
                let side := and(shr(19, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0x0abf5ac974a1ed57f4050aa510dd9c74f508277b39d7973bb2dfccc5eeb0618d
                if iszero(and(mask, 0x2000000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 25) { sibling := replacement }
                let side := and(shr(20, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
            {
                let sibling := 0xb8cd74046ff337f0a7bf2c8e03e10f642c1886798d71806ab1e888d9e5ee87d0
                if iszero(and(mask, 0x4000000)) {
                    sibling := calldataload(ptr)
                    ptr := add(ptr, 0x20)
                }
                if eq(k, 26) { sibling := replacement }
                let side := and(shr(21, index), 0x20)
                mstore(side, node)
                mstore(xor(side, 0x20), sibling)
                node := keccak256(0, 0x40)
            }
        }
    }

    /// The fold of a pair proof (the Rust verifier's fold up to the pair height): `leafValue`, at
    /// `leafIndex`, folded up to height `height` (at most 26) over the siblings at heights
    /// 0..height-1, read as in `computeRoot` from calldata offset `siblings` with mask `bits`.
    /// Like `computeRoots`, it folds a second leaf `newLeafValue` over the same siblings (a
    /// crossing store's second leaf after the store; a crossing load passes its leaf twice and
    /// uses one result). Returns both nodes at height `height` and where the siblings end.
    /// @dev Unrolled like `computeRoot`, leaving at height `height`.
    function foldPairs(
        uint256 siblings,
        uint256 bits,
        uint256 leafIndex,
        bytes32 leafValue,
        bytes32 newLeafValue,
        uint256 height
    ) internal pure returns (bytes32 top, bytes32 newTop, uint256 siblingsEnd) {
        assembly ("memory-safe") {
            function fold(ptr, mask, index, leaf, newLeaf, k) -> node, newNode, end {
                node := leaf
                newNode := newLeaf
                if eq(k, 0) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0
                    if iszero(and(mask, 0x1)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shl(5, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 1) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5
                    if iszero(and(mask, 0x2)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shl(4, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 2) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xb4c11951957c6f8f642c4af61cd6b24640fec6dc7fc607ee8206a99e92410d30
                    if iszero(and(mask, 0x4)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shl(3, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 3) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x21ddb9a356815c3fac1026b6dec5df3124afbadb485c9ba5a3e3398a04b7ba85
                    if iszero(and(mask, 0x8)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shl(2, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 4) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xe58769b32a1beaf1ea27375a44095a0d1fb664ce2dd358e7fcbfb78c26a19344
                    if iszero(and(mask, 0x10)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shl(1, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 5) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x0eb01ebfc9ed27500cd4dfc979272d1f0913cc9f66540d7e8005811109e1cf2d
                    if iszero(and(mask, 0x20)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(index, 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 6) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x887c22bd8750d34016ac3c66b5ff102dacdd73f6b014e710b51e8022af9a1968
                    if iszero(and(mask, 0x40)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(1, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 7) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xffd70157e48063fc33c97a050f7f640233bf646cc98d9524c6b92bcf3ab56f83
                    if iszero(and(mask, 0x80)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(2, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 8) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x9867cc5f7f196b93bae1e27e6320742445d290f2263827498b54fec539f756af
                    if iszero(and(mask, 0x100)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(3, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 9) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xcefad4e508c098b9a7e1d8feb19955fb02ba9675585078710969d3440f5054e0
                    if iszero(and(mask, 0x200)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(4, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 10) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xf9dc3e7fe016e050eff260334f18a5d4fe391d82092319f5964f2e2eb7c1c3a5
                    if iszero(and(mask, 0x400)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(5, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 11) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xf8b13a49e282f609c317a833fb8d976d11517c571d1221a265d25af778ecf892
                    if iszero(and(mask, 0x800)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(6, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 12) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x3490c6ceeb450aecdc82e28293031d10c7d73bf85e57bf041a97360aa2c5d99c
                    if iszero(and(mask, 0x1000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(7, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 13) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xc1df82d9c4b87413eae2ef048f94b4d3554cea73d92b0f7af96e0271c691e2bb
                    if iszero(and(mask, 0x2000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(8, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 14) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x5c67add7c6caf302256adedf7ab114da0acfe870d449a3a489f781d659e8becc
                    if iszero(and(mask, 0x4000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(9, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 15) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xda7bce9f4e8618b6bd2f4132ce798cdc7a60e7e1460a7299e3c6342a579626d2
                    if iszero(and(mask, 0x8000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(10, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 16) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x2733e50f526ec2fa19a22b31e8ed50f23cd1fdf94c9154ed3a7609a2f1ff981f
                    if iszero(and(mask, 0x10000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(11, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 17) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xe1d3b5c807b281e4683cc6d6315cf95b9ade8641defcb32372f1c126e398ef7a
                    if iszero(and(mask, 0x20000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(12, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 18) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x5a2dce0a8a7f68bb74560f8f71837c2c2ebbcbf7fffb42ae1896f13f7c7479a0
                    if iszero(and(mask, 0x40000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(13, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 19) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xb46a28b6f55540f89444f63de0378e3d121be09e06cc9ded1c20e65876d36aa0
                    if iszero(and(mask, 0x80000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(14, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 20) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xc65e9645644786b620e2dd2ad648ddfcbf4a7e5b1a3a4ecfe7f64667a3f0b7e2
                    if iszero(and(mask, 0x100000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(15, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 21) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xf4418588ed35a2458cffeb39b93d26f18d2ab13bdce6aee58e7b99359ec2dfd9
                    if iszero(and(mask, 0x200000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(16, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 22) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x5a9c16dc00d6ef18b7933a6f8dc65ccb55667138776f7dea101070dc8796e377
                    if iszero(and(mask, 0x400000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(17, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 23) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x4df84f40ae0c8229d0d6069e5c8f39a7c299677a09d367fc7b05e3bc380ee652
                    if iszero(and(mask, 0x800000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(18, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 24) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0xcdc72595f74c7b1043d0e1ffbab734648c838dfb0527d971b602bc216c9619ef
                    if iszero(and(mask, 0x1000000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(19, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                if eq(k, 25) {
                    end := ptr
                    leave
                }
                {
                    let sibling := 0x0abf5ac974a1ed57f4050aa510dd9c74f508277b39d7973bb2dfccc5eeb0618d
                    if iszero(and(mask, 0x2000000)) {
                        sibling := calldataload(ptr)
                        ptr := add(ptr, 0x20)
                    }
                    let side := and(shr(20, index), 0x20)
                    mstore(side, node)
                    mstore(xor(side, 0x20), sibling)
                    node := keccak256(0, 0x40)
                    mstore(side, newNode)
                    newNode := keccak256(0, 0x40)
                }
                end := ptr
            }
            top, newTop, siblingsEnd := fold(siblings, bits, leafIndex, leafValue, newLeafValue, height)
        }
    }

    /// Z[h] for h in 0..26, the root of an all-zero subtree of height h.
    function zeroHash(uint256 h) internal pure returns (bytes32 z) {
        assembly ("memory-safe") {
            switch h
            case 1 { z := 0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5 }
            case 2 { z := 0xb4c11951957c6f8f642c4af61cd6b24640fec6dc7fc607ee8206a99e92410d30 }
            case 3 { z := 0x21ddb9a356815c3fac1026b6dec5df3124afbadb485c9ba5a3e3398a04b7ba85 }
            case 4 { z := 0xe58769b32a1beaf1ea27375a44095a0d1fb664ce2dd358e7fcbfb78c26a19344 }
            case 5 { z := 0x0eb01ebfc9ed27500cd4dfc979272d1f0913cc9f66540d7e8005811109e1cf2d }
            case 6 { z := 0x887c22bd8750d34016ac3c66b5ff102dacdd73f6b014e710b51e8022af9a1968 }
            case 7 { z := 0xffd70157e48063fc33c97a050f7f640233bf646cc98d9524c6b92bcf3ab56f83 }
            case 8 { z := 0x9867cc5f7f196b93bae1e27e6320742445d290f2263827498b54fec539f756af }
            case 9 { z := 0xcefad4e508c098b9a7e1d8feb19955fb02ba9675585078710969d3440f5054e0 }
            case 10 { z := 0xf9dc3e7fe016e050eff260334f18a5d4fe391d82092319f5964f2e2eb7c1c3a5 }
            case 11 { z := 0xf8b13a49e282f609c317a833fb8d976d11517c571d1221a265d25af778ecf892 }
            case 12 { z := 0x3490c6ceeb450aecdc82e28293031d10c7d73bf85e57bf041a97360aa2c5d99c }
            case 13 { z := 0xc1df82d9c4b87413eae2ef048f94b4d3554cea73d92b0f7af96e0271c691e2bb }
            case 14 { z := 0x5c67add7c6caf302256adedf7ab114da0acfe870d449a3a489f781d659e8becc }
            case 15 { z := 0xda7bce9f4e8618b6bd2f4132ce798cdc7a60e7e1460a7299e3c6342a579626d2 }
            case 16 { z := 0x2733e50f526ec2fa19a22b31e8ed50f23cd1fdf94c9154ed3a7609a2f1ff981f }
            case 17 { z := 0xe1d3b5c807b281e4683cc6d6315cf95b9ade8641defcb32372f1c126e398ef7a }
            case 18 { z := 0x5a2dce0a8a7f68bb74560f8f71837c2c2ebbcbf7fffb42ae1896f13f7c7479a0 }
            case 19 { z := 0xb46a28b6f55540f89444f63de0378e3d121be09e06cc9ded1c20e65876d36aa0 }
            case 20 { z := 0xc65e9645644786b620e2dd2ad648ddfcbf4a7e5b1a3a4ecfe7f64667a3f0b7e2 }
            case 21 { z := 0xf4418588ed35a2458cffeb39b93d26f18d2ab13bdce6aee58e7b99359ec2dfd9 }
            case 22 { z := 0x5a9c16dc00d6ef18b7933a6f8dc65ccb55667138776f7dea101070dc8796e377 }
            case 23 { z := 0x4df84f40ae0c8229d0d6069e5c8f39a7c299677a09d367fc7b05e3bc380ee652 }
            case 24 { z := 0xcdc72595f74c7b1043d0e1ffbab734648c838dfb0527d971b602bc216c9619ef }
            case 25 { z := 0x0abf5ac974a1ed57f4050aa510dd9c74f508277b39d7973bb2dfccc5eeb0618d }
            case 26 { z := 0xb8cd74046ff337f0a7bf2c8e03e10f642c1886798d71806ab1e888d9e5ee87d0 }
            default { z := 0 }
        }
    }

    /// The sibling at height `h` of a full leaf proof whose siblings start at `ptr`, with mask
    /// `mask`: Z[h] if bit h is set, else the explicit sibling after those of the heights below
    /// h whose bit is 0.
    function siblingAt(uint256 ptr, uint256 mask, uint256 h) internal pure returns (bytes32 sibling) {
        if ((mask >> h) & 1 == 1) return zeroHash(h);
        assembly ("memory-safe") {
            // Population count of the clear bits below h (at most 26 of them).
            let x := and(not(mask), sub(shl(h, 1), 1))
            x := sub(x, and(shr(1, x), 0x55555555))
            x := add(and(x, 0x33333333), and(shr(2, x), 0x33333333))
            x := and(add(x, shr(4, x)), 0x0F0F0F0F)
            x := and(shr(24, mul(x, 0x01010101)), 0xFF)
            sibling := calldataload(add(ptr, shl(5, x)))
        }
    }

    /// Height where the paths of leaf `first` and the next leaf `second` meet: the highest bit of
    /// `first ^ second` (`pair_height`).
    function pairHeight(uint256 first, uint256 second) internal pure returns (uint256 k) {
        uint256 x = first ^ second;
        if (x >> 16 != 0) {
            x >>= 16;
            k = 16;
        }
        if (x >> 8 != 0) {
            x >>= 8;
            k += 8;
        }
        if (x >> 4 != 0) {
            x >>= 4;
            k += 4;
        }
        if (x >> 2 != 0) {
            x >>= 2;
            k += 2;
        }
        if (x >> 1 != 0) k += 1;
    }

    // ---------------------------------------------------------------------------------------
    // Reading the proof (`read_leaf_proof`, split in header and folds)
    // ---------------------------------------------------------------------------------------

    /// Reads the leaf and mask of the next leaf proof, which covers heights 0..heights-1:
    /// `InvalidProofLength` if the proof ends before them, `InvalidMemoryProof` if a mask bit at
    /// `heights` or above is set. Returns where its siblings start.
    function readHeader(ProofMemory memory m, uint256 heights)
        private
        pure
        returns (bytes32 leaf, uint256 mask, uint256 siblings)
    {
        // Offsets and lengths are bounded by the calldata size: no overflow.
        unchecked {
            uint256 at = m.cursor;
            if (m.length < at + LEAF_PROOF_HEADER_SIZE) revert InvalidProofLength();
            uint256 offset = m.proof + at;
            assembly ("memory-safe") {
                leaf := calldataload(offset)
                mask := shr(224, calldataload(add(offset, 32)))
            }
            if (mask >> heights != 0) revert InvalidMemoryProof();
            siblings = offset + LEAF_PROOF_HEADER_SIZE;
        }
    }

    /// Moves the cursor to calldata offset `end`, where the siblings of the leaf proof being
    /// read end: `InvalidProofLength` if that is past the end of the proof.
    function consume(ProofMemory memory m, uint256 end) private pure {
        unchecked {
            uint256 read = end - m.proof;
            if (read > m.length) revert InvalidProofLength();
            m.cursor = read;
        }
    }

    /// Reads the next (full) leaf proof, which must be of leaf `index` under the current root.
    function readLeaf(ProofMemory memory m, uint256 index) internal pure returns (bytes32 leaf) {
        uint256 mask;
        uint256 siblings;
        (leaf, mask, siblings) = readHeader(m, MEMORY_DEPTH);
        (bytes32 root, uint256 end) = computeRoot(siblings, mask, index, leaf);
        consume(m, end);
        if (root != m.root) revert InvalidMemoryProof();
        m.last = siblings;
        m.lastMask = mask;
    }

    /// Reads the next leaf proof as the pair proof of leaf `index`, the leaf after the one read
    /// last, with pair height `k`: folded to height `k` it must give the last leaf's sibling
    /// there.
    function readPairLeaf(ProofMemory memory m, uint256 index, uint256 k) internal pure returns (bytes32 leaf) {
        uint256 mask;
        uint256 siblings;
        (leaf, mask, siblings) = readHeader(m, k);
        (bytes32 node,, uint256 end) = foldPairs(siblings, mask, index, leaf, leaf, k);
        consume(m, end);
        if (node != siblingAt(m.last, m.lastMask, k)) revert InvalidMemoryProof();
    }

    // ---------------------------------------------------------------------------------------
    // Memory
    // ---------------------------------------------------------------------------------------

    /// Reads `width` bytes at `addr`, little-endian; a range that crosses into the next leaf
    /// reads that leaf's pair proof.
    /// @dev Byte i of the access is byte (addr mod 32) + i of leaf `first` ‖ leaf `last`
    /// (when the access does not cross, only bytes of `first` are used).
    function readMemory(ProofMemory memory m, uint32 addr, uint32 width) internal pure returns (uint32 value) {
        unchecked {
            uint32 first = addr >> 5;
            uint32 last = (addr + width - 1) >> 5;
            bytes32 a = readLeaf(m, first);
            bytes32 b = last != first ? readPairLeaf(m, last, pairHeight(first, last)) : a;
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

    /// Writes the low `width` bytes of `value` at `addr`, little-endian: reads the leaf (and the
    /// next one if the range crosses into it), replaces the bytes, writes them back.
    function writeMemory(ProofMemory memory m, uint32 addr, uint32 width, uint32 value) internal pure {
        unchecked {
            uint32 first = addr >> 5;
            uint32 last = (addr + width - 1) >> 5;
            if (last == first) writeBytes(m, first, addr, width, value);
            else writePairBytes(m, first, last, addr, width, value);
        }
    }

    /// Leaves `a` ‖ `b` with the low `width` bytes of `value` written little-endian from byte
    /// `addr` mod 32 on (bytes 32 and up are those of `b`).
    function storeBytes(bytes32 a, bytes32 b, uint32 addr, uint32 width, uint32 value)
        private
        pure
        returns (bytes32, bytes32)
    {
        assembly ("memory-safe") {
            mstore(0, a)
            mstore(0x20, b)
            let at := and(addr, 31)
            for { let i := 0 } lt(i, and(width, 7)) { i := add(i, 1) } {
                mstore8(add(at, i), shr(shl(3, i), value))
            }
            a := mload(0)
            b := mload(0x20)
        }
        return (a, b);
    }

    /// `writeMemory` of a range inside leaf `index`: `readLeaf` then `write_leaf` of the Rust
    /// verifier (same checks in the same order), with both folds over the siblings done in one
    /// pass by `computeRoots`.
    function writeBytes(ProofMemory memory m, uint32 index, uint32 addr, uint32 width, uint32 value) private pure {
        (bytes32 leaf, uint256 mask, uint256 siblings) = readHeader(m, MEMORY_DEPTH);
        (bytes32 newLeaf,) = storeBytes(leaf, 0, addr, width, value);
        (bytes32 root, bytes32 newRoot, uint256 end) = computeRoots(siblings, mask, index, leaf, newLeaf);
        consume(m, end);
        if (root != m.root) revert InvalidMemoryProof();
        m.root = newRoot;
    }

    /// `writeMemory` of a range that crosses from leaf `first` into leaf `second`: `readLeaf`,
    /// `readPairLeaf`, then `write_leaf_pair` of the Rust verifier (same checks in the same
    /// order), with both folds of the second leaf done in one pass by `foldPairs`. The new root:
    /// the second leaf's new node at the pair height k is the first leaf's sibling there.
    function writePairBytes(
        ProofMemory memory m,
        uint256 first,
        uint256 second,
        uint32 addr,
        uint32 width,
        uint32 value
    ) private pure {
        bytes32 a = readLeaf(m, first);
        uint256 k = pairHeight(first, second);
        (bytes32 b, uint256 mask, uint256 siblings) = readHeader(m, k);
        (bytes32 newA, bytes32 newB) = storeBytes(a, b, addr, width, value);
        (bytes32 node, bytes32 newNode, uint256 end) = foldPairs(siblings, mask, second, b, newB, k);
        consume(m, end);
        if (node != siblingAt(m.last, m.lastMask, k)) revert InvalidMemoryProof();
        m.root = computeRootWith(m.last, m.lastMask, first, newA, k, newNode);
    }
}
