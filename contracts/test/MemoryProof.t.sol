// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {InvalidMemoryProof, InvalidProofLength} from "../src/Errors.sol";
import {MemoryProof} from "../src/MemoryProof.sol";
import {TestBase} from "./utils/Cheats.sol";
import {LeafProofs} from "./utils/LeafProofs.sol";

/// Exposes the library's folds and proof reading over calldata proofs.
contract MemoryProofHarness {
    using MemoryProof for MemoryProof.ProofMemory;

    function offsetOf(bytes calldata proof) internal pure returns (uint256 at) {
        assembly {
            at := proof.offset
        }
    }

    /// computeRoot over the siblings in `proof`; returns how many bytes they took.
    function computeRoot(bytes calldata proof, uint256 mask, uint256 index, bytes32 leaf)
        external
        pure
        returns (bytes32 node, uint256 used)
    {
        uint256 at = offsetOf(proof);
        uint256 end;
        (node, end) = MemoryProof.computeRoot(at, mask, index, leaf);
        used = end - at;
    }

    function computeRoots(bytes calldata proof, uint256 mask, uint256 index, bytes32 leaf, bytes32 newLeaf)
        external
        pure
        returns (bytes32 node, bytes32 newNode, uint256 used)
    {
        uint256 at = offsetOf(proof);
        uint256 end;
        (node, newNode, end) = MemoryProof.computeRoots(at, mask, index, leaf, newLeaf);
        used = end - at;
    }

    function siblingAt(bytes calldata proof, uint256 mask, uint256 h) external pure returns (bytes32) {
        return MemoryProof.siblingAt(offsetOf(proof), mask, h);
    }

    function zeroHash(uint256 h) external pure returns (bytes32) {
        return MemoryProof.zeroHash(h);
    }

    function pairHeight(uint256 first, uint256 second) external pure returns (uint256) {
        return MemoryProof.pairHeight(first, second);
    }

    /// readLeaf of `first`, then, if `second` differs, readPairLeaf of it.
    function read(bytes32 root, bytes calldata proof, uint256 first, uint256 second)
        external
        pure
        returns (bytes32 a, bytes32 b, uint256 cursor)
    {
        MemoryProof.ProofMemory memory m = MemoryProof.init(root, proof);
        a = m.readLeaf(first);
        if (second != first) b = m.readPairLeaf(second, MemoryProof.pairHeight(first, second));
        cursor = m.cursor;
    }

    /// writeMemory of `width` bytes of `value` at `addr`; the new root.
    function write(bytes32 root, bytes calldata proof, uint32 addr, uint32 width, uint32 value)
        external
        pure
        returns (bytes32, uint256 cursor)
    {
        MemoryProof.ProofMemory memory m = MemoryProof.init(root, proof);
        m.writeMemory(addr, width, value);
        return (m.root, m.cursor);
    }

    function foldPairs(bytes calldata proof, uint256 mask, uint256 index, bytes32 leaf, bytes32 newLeaf, uint256 k)
        external
        pure
        returns (bytes32 node, bytes32 newNode, uint256 used)
    {
        uint256 at = offsetOf(proof);
        uint256 end;
        (node, newNode, end) = MemoryProof.foldPairs(at, mask, index, leaf, newLeaf, k);
        used = end - at;
    }

    function computeRootWith(
        bytes calldata proof,
        uint256 mask,
        uint256 index,
        bytes32 leaf,
        uint256 k,
        bytes32 replacement
    ) external pure returns (bytes32) {
        return MemoryProof.computeRootWith(offsetOf(proof), mask, index, leaf, k, replacement);
    }
}

/// Tests of src/MemoryProof.sol: the unrolled folds and the proof reading against the plain
/// encoding of test/utils/LeafProofs.sol (docs/spec.md §1, §6).
contract MemoryProofTest is TestBase {
    MemoryProofHarness internal h;

    uint256 internal constant FULL = (1 << 27) - 1;

    function setUp() public {
        h = new MemoryProofHarness();
    }

    /// A random full leaf proof of leaf `index`: its encoding (siblings only), the resolved
    /// siblings and the root.
    function randomProof(uint256 seed, uint256 mask, uint256 index, bytes32 leaf)
        internal
        pure
        returns (bytes memory encoded, bytes32[] memory siblings, bytes32 root)
    {
        siblings = LeafProofs.siblings(seed, mask, 27);
        encoded = LeafProofs.siblingBytes(mask, siblings, 27);
        root = LeafProofs.fold(leaf, index, siblings, 0, 27);
    }

    function test_zeroHash_chain_succeeds() public view {
        for (uint256 i = 0; i < 27; i++) {
            vm.assertEq(h.zeroHash(i), LeafProofs.zeroHash(i), vm.toString(i));
        }
    }

    function test_computeRoot_emptyMemory_succeeds() public view {
        // All-zero memory: every sibling is omitted and the root is Z[27], at any leaf.
        bytes32 z27 = LeafProofs.zeroHash(27);
        (bytes32 node, uint256 used) = h.computeRoot("", FULL, 0, bytes32(0));
        vm.assertEq(node, z27, "Z[27] at leaf 0");
        vm.assertEq(used, 0, "no siblings");
        (node,) = h.computeRoot("", FULL, FULL, bytes32(0));
        vm.assertEq(node, z27, "Z[27] at the last leaf");
        // The same siblings given explicitly.
        (bytes memory explicit,,) = randomProof(0, FULL, 0, 0);
        vm.assertEq(explicit.length, 0, "canonical: nothing given");
        bytes memory siblingsOnly = LeafProofs.siblingBytes(0, LeafProofs.siblings(0, FULL, 27), 27);
        (node, used) = h.computeRoot(siblingsOnly, 0, 12345, bytes32(0));
        vm.assertEq(node, z27, "Z[27] from explicit zero siblings");
        vm.assertEq(used, 27 * 32, "all given");
    }

    function test_computeRoot_matchesReference_succeeds(uint256 seed, uint32 mask, uint32 index, bytes32 leaf)
        public
        view
    {
        uint256 msk = mask & FULL;
        uint256 i = index & FULL;
        (bytes memory proof,, bytes32 root) = randomProof(seed, msk, i, leaf);
        (bytes32 node, uint256 used) = h.computeRoot(proof, msk, i, leaf);
        vm.assertEq(node, root, "root");
        vm.assertEq(used, proof.length, "siblings read");
    }

    function test_computeRoots_matchesTwoFolds_succeeds(
        uint256 seed,
        uint32 mask,
        uint32 index,
        bytes32 leaf,
        bytes32 newLeaf
    ) public view {
        uint256 msk = mask & FULL;
        uint256 i = index & FULL;
        (bytes memory proof, bytes32[] memory s, bytes32 root) = randomProof(seed, msk, i, leaf);
        (bytes32 node, bytes32 newNode, uint256 used) = h.computeRoots(proof, msk, i, leaf, newLeaf);
        vm.assertEq(node, root, "old root");
        vm.assertEq(newNode, LeafProofs.fold(newLeaf, i, s, 0, 27), "new root");
        vm.assertEq(used, proof.length, "siblings read");
    }

    function test_siblingAt_matchesReference_succeeds(uint256 seed, uint32 mask, uint8 height) public view {
        uint256 msk = mask & FULL;
        uint256 k = height % 27;
        (bytes memory proof, bytes32[] memory s,) = randomProof(seed, msk, 0, 0);
        vm.assertEq(h.siblingAt(proof, msk, k), s[k], "sibling");
    }

    function test_pairHeight_nextLeaf_succeeds(uint32 index) public view {
        uint256 i = index & FULL;
        uint256 j = (i + 1) & FULL;
        uint256 k = h.pairHeight(i, j);
        vm.assertEq((i ^ j) >> k, 1, "highest differing bit");
        uint256 ones = 0;
        while (ones < 26 && (i >> ones) & 1 == 1) {
            ones++;
        }
        vm.assertEq(k, ones, "trailing ones of i, at most 26");
    }

    // -----------------------------------------------------------------------------------------
    // Pair proofs: leaf j = i + 1 proven up to the pair height k against leaf i's sibling there
    // -----------------------------------------------------------------------------------------

    struct Pair {
        uint256 i;
        uint256 j;
        uint256 k;
        bytes32 root;
        bytes32[] si;
        bytes32[] sj;
        bytes proof;
    }

    /// A full proof of leaf i and the pair proof of leaf j = i + 1 (modulo 2^27) in one memory.
    function pair(uint256 seed, uint32 index, uint32 maskI, uint32 maskJ, bytes32 a, bytes32 b)
        internal
        pure
        returns (Pair memory p)
    {
        p.i = index & FULL;
        p.j = (p.i + 1) & FULL;
        p.k = MemoryProof.pairHeight(p.i, p.j);
        uint256 mi = maskI & FULL & ~(uint256(1) << p.k);
        uint256 mj = maskJ & ((1 << p.k) - 1);
        p.sj = LeafProofs.siblings(seed ^ 1, mj, p.k);
        p.si = LeafProofs.siblings(seed, mi, 27);
        p.si[p.k] = LeafProofs.fold(b, p.j, p.sj, 0, p.k);
        p.root = LeafProofs.fold(a, p.i, p.si, 0, 27);
        p.proof = bytes.concat(LeafProofs.encode(a, mi, p.si, 27), LeafProofs.encode(b, mj, p.sj, p.k));
    }

    function test_readPairLeaf_matchesFirstLeafSibling_succeeds(
        uint256 seed,
        uint32 index,
        uint32 maskI,
        uint32 maskJ,
        bytes32 a,
        bytes32 b
    ) public view {
        Pair memory p = pair(seed, index, maskI, maskJ, a, b);
        (bytes32 gotA, bytes32 gotB, uint256 cursor) = h.read(p.root, p.proof, p.i, p.j);
        vm.assertEq(gotA, a, "first leaf");
        vm.assertEq(gotB, b, "second leaf");
        vm.assertEq(cursor, p.proof.length, "all read");
    }

    /// `a` ‖ `b` with the low `width` bytes of `value` written little-endian from byte `at`.
    function patch(bytes32 a, bytes32 b, uint256 at, uint256 width, uint32 value)
        internal
        pure
        returns (bytes32, bytes32)
    {
        bytes memory both = abi.encodePacked(a, b);
        for (uint256 i = 0; i < width; i++) {
            both[at + i] = bytes1(uint8(value >> (8 * i)));
        }
        return (bytes32(LeafProofs.word(both, 0)), bytes32(LeafProofs.word(both, 32)));
    }

    /// A store crossing from leaf i into leaf j: the new root is the root of the memory with
    /// both leaves changed, and the whole proof is read.
    function checkCrossingStore(Pair memory p, bytes32 a, bytes32 b, uint256 seed) internal view {
        uint256 width = seed % 2 == 0 ? 4 : 2;
        uint256 at = 32 - 1 - (seed >> 8) % (width - 1); // 31, or 30 and 29 for a word
        uint32 value = uint32(seed >> 16);
        (bytes32 newA, bytes32 newB) = patch(a, b, at, width, value);
        bytes32[] memory s = p.si;
        s[p.k] = LeafProofs.fold(newB, p.j, p.sj, 0, p.k);
        bytes32 want = LeafProofs.fold(newA, p.i, s, 0, 27);
        (bytes32 root, uint256 cursor) = h.write(p.root, p.proof, uint32(p.i << 5 | at), uint32(width), value);
        vm.assertEq(root, want, "new root");
        vm.assertEq(cursor, p.proof.length, "all read");
    }

    function test_writeMemory_crossingStore_succeeds(uint256 seed, uint32 index, uint32 masks, bytes32 a, bytes32 b)
        public
        view
    {
        checkCrossingStore(pair(seed, index, masks, masks >> 5, a, b), a, b, seed);
    }

    /// Pair heights 0..26 each (a random index has pair height 0 half of the time).
    function test_writeMemory_crossingStoreEveryPairHeight_succeeds(uint256 seed, uint8 height, uint32 masks)
        public
        view
    {
        uint256 k = height % 27;
        // Leaf i with k trailing ones (all 27 bits for k = 26: the wrap from 2^27 - 1 to 0).
        uint256 i = k == 26 ? FULL : (uint256(uint32(seed >> 128)) << (k + 1) | ((1 << k) - 1)) & FULL;
        Pair memory p = pair(seed, uint32(i), masks, masks >> 3, "a", "b");
        vm.assertEq(p.k, k, "pair height");
        checkCrossingStore(p, "a", "b", seed);
    }

    /// foldPairs over heights 0..k-1 is the fold of docs/spec.md §1 of each leaf, for any k.
    function test_foldPairs_matchesTwoFolds_succeeds(
        uint256 seed,
        uint32 mask,
        uint32 index,
        bytes32 leaf,
        bytes32 newLeaf,
        uint8 k
    ) public view {
        uint256 height = k % 27;
        uint256 msk = mask & ((1 << height) - 1);
        bytes32[] memory s = LeafProofs.siblings(seed, msk, height);
        bytes memory proof = LeafProofs.siblingBytes(msk, s, height);
        (bytes32 node, bytes32 newNode, uint256 used) = h.foldPairs(proof, msk, index, leaf, newLeaf, height);
        vm.assertEq(node, LeafProofs.fold(leaf, index, s, 0, height), "node");
        vm.assertEq(newNode, LeafProofs.fold(newLeaf, index, s, 0, height), "new node");
        vm.assertEq(used, proof.length, "siblings read");
    }

    function test_computeRootWith_replacesOneSibling_succeeds(
        uint256 seed,
        uint32 mask,
        uint32 index,
        bytes32 leaf,
        uint8 k,
        bytes32 replacement
    ) public view {
        uint256 msk = mask & FULL;
        uint256 height = k % 27;
        (bytes memory proof, bytes32[] memory s,) = randomProof(seed, msk, index & FULL, leaf);
        s[height] = replacement;
        vm.assertEq(
            h.computeRootWith(proof, msk, index & FULL, leaf, height, replacement),
            LeafProofs.fold(leaf, index & FULL, s, 0, 27),
            "root"
        );
    }

    function test_readPairLeaf_maskBitAtOrAbovePairHeight_reverts(uint256 seed, uint32 index, uint8 bit) public {
        Pair memory p = pair(seed, index, 0, 0, "a", "b");
        uint256 at = p.proof.length - 36 - 32 * p.k;
        uint256 b = p.k + (bit % (32 - p.k));
        LeafProofs.setMask(p.proof, at, 1 << b);
        vm.expectRevert(InvalidMemoryProof.selector);
        h.read(p.root, p.proof, p.i, p.j);
    }

    function test_readPairLeaf_wrongSecondLeaf_reverts(uint256 seed, uint32 index, bytes32 other) public {
        Pair memory p = pair(seed, index, uint32(seed), uint32(seed >> 32), "a", "b");
        vm.assume(other != "b");
        uint256 at = LeafProofs.endOf(p.proof, 0, 27);
        for (uint256 i = 0; i < 32; i++) {
            p.proof[at + i] = other[i];
        }
        vm.expectRevert(InvalidMemoryProof.selector);
        h.read(p.root, p.proof, p.i, p.j);
    }

    function test_readLeaf_reservedMaskBit_reverts(uint256 seed, uint32 index, uint32 mask, uint8 bit) public {
        (bytes memory siblings,, bytes32 root) = randomProof(seed, mask & FULL, index & FULL, "leaf");
        uint256 b = 27 + bit % 5;
        bytes memory proof = bytes.concat(bytes32("leaf"), bytes4(uint32((mask & FULL) | (1 << b))), siblings);
        vm.expectRevert(InvalidMemoryProof.selector);
        h.read(root, proof, index & FULL, index & FULL);
        // Before the length: with the siblings cut off too.
        assembly ("memory-safe") {
            mstore(proof, 36)
        }
        vm.expectRevert(InvalidMemoryProof.selector);
        h.read(root, proof, index & FULL, index & FULL);
    }

    function test_readLeaf_truncated_reverts(uint256 seed, uint32 mask, uint32 index, uint16 cut) public {
        uint256 msk = mask & FULL;
        (bytes memory siblings,, bytes32 root) = randomProof(seed, msk, index & FULL, "leaf");
        bytes memory proof = bytes.concat(bytes32("leaf"), bytes4(uint32(msk)), siblings);
        uint256 len = cut % proof.length;
        assembly ("memory-safe") {
            mstore(proof, len)
        }
        vm.expectRevert(InvalidProofLength.selector);
        h.read(root, proof, index & FULL, index & FULL);
    }
}
