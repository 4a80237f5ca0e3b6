// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {Merkle} from "../src/Merkle.sol";
import {GameFixtures} from "./utils/GameFixtures.sol";

/// Tests of src/Merkle.sol against reference folds written here (docs/spec.md §1, §8.6) and the
/// roots the Rust side computed for the golden claims.
contract MerkleTest is GameFixtures {
    /// Z[0..27], computed here rather than read from the library's table.
    function zeros() internal pure returns (bytes32[28] memory z) {
        for (uint256 h = 1; h < 28; ++h) {
            z[h] = keccak256(abi.encodePacked(z[h - 1], z[h - 1]));
        }
    }

    /// The reference tensor root: the leaves zero-padded to a power of two, hashed level by level,
    /// then folded with zero siblings up to height 23.
    function referenceTensorRoot(bytes memory data) internal pure returns (bytes32) {
        bytes32[28] memory z = zeros();
        uint256 n = (data.length + 31) / 32;
        uint256 width = 1;
        uint256 height = 0;
        while (width < n) {
            width *= 2;
            ++height;
        }
        bytes32[] memory level = new bytes32[](width);
        for (uint256 i = 0; i < data.length; ++i) {
            level[i / 32] |= bytes32(data[i]) >> (8 * (i % 32));
        }
        for (; width > 1; width /= 2) {
            for (uint256 i = 0; i < width / 2; ++i) {
                level[i] = keccak256(abi.encodePacked(level[2 * i], level[2 * i + 1]));
            }
        }
        bytes32 node = level[0];
        for (uint256 h = height; h < 23; ++h) {
            node = keccak256(abi.encodePacked(node, z[h]));
        }
        return node;
    }

    /// Pseudo-random bytes of length `len` from `seed`.
    function randomBytes(uint256 len, uint256 seed) internal pure returns (bytes memory data) {
        data = new bytes(len);
        for (uint256 i = 0; i < len; i += 32) {
            bytes32 word = keccak256(abi.encode(seed, i));
            for (uint256 j = 0; j < 32 && i + j < len; ++j) {
                data[i + j] = word[j];
            }
        }
    }

    function test_zeroHash_matchesFold_succeeds() public pure {
        bytes32[28] memory z = zeros();
        for (uint256 h = 0; h < 28; ++h) {
            vm.assertEq(Merkle.zeroHash(h), z[h], "Z[h]");
        }
        vm.assertEq(Merkle.zeroHash(28), bytes32(0), "past the table");
    }

    function test_tensorRoot_fuzzedLength_succeeds(uint256 len, uint256 seed) public pure {
        len = bound(len, 0, 2100);
        bytes memory data = randomBytes(len, seed);
        vm.assertEq(Merkle.tensorRoot(data), referenceTensorRoot(data), "tensor root");
    }

    function test_tensorRoot_fuzzedBytes_succeeds(bytes memory data) public pure {
        vm.assertEq(Merkle.tensorRoot(data), referenceTensorRoot(data), "tensor root");
    }

    function test_tensorRoot_edgeLengths_succeeds() public pure {
        uint16[14] memory lens = [uint16(0), 1, 31, 32, 33, 63, 64, 65, 96, 97, 128, 129, 784, 1025];
        for (uint256 i = 0; i < lens.length; ++i) {
            bytes memory data = randomBytes(lens[i], i);
            vm.assertEq(Merkle.tensorRoot(data), referenceTensorRoot(data), "tensor root");
        }
        vm.assertEq(Merkle.tensorRoot(""), Merkle.zeroHash(23), "empty tensor");
        vm.assertEq(Merkle.tensorRoot(new bytes(100)), Merkle.zeroHash(23), "all zero");
    }

    /// Bytes past the end in memory (a shortened array) are not read.
    function test_tensorRoot_dirtyMemory_succeeds(uint256 seed, uint8 cut) public pure {
        bytes memory data = randomBytes(64, seed);
        uint256 len = 33 + (cut % 31);
        bytes memory clean = new bytes(len);
        for (uint256 i = 0; i < len; ++i) {
            clean[i] = data[i];
        }
        assembly ("memory-safe") {
            mstore(data, len)
        }
        vm.assertEq(Merkle.tensorRoot(data), Merkle.tensorRoot(clean), "same root");
        vm.assertEq(Merkle.tensorRoot(data), referenceTensorRoot(clean), "reference");
    }

    /// Trailing zero bytes do not change a tensor root (they are the padding).
    function test_tensorRoot_trailingZeros_succeeds(uint256 seed, uint8 extra) public pure {
        bytes memory data = randomBytes(50, seed);
        vm.assertEq(Merkle.tensorRoot(data), Merkle.tensorRoot(bytes.concat(data, new bytes(extra))), "padding");
    }

    /// The Rust tensor roots of the golden claims' inputs.
    function test_tensorRoot_goldenInputs_succeeds() public view {
        string[2] memory paths = [MLP_HONEST, PAST_END_LIE];
        for (uint256 p = 0; p < 2; ++p) {
            string memory json = vm.readFile(paths[p]);
            bytes memory input = vm.parseJsonBytes(json, ".claim.input");
            vm.assertEq(Merkle.tensorRoot(input), vm.parseJsonBytes32(json, ".claim.inputRoot"), "input root");
        }
    }

    /// The golden claims' proofs: the input root at leaf 0 and the output root at leaf N−1 of
    /// the final graph state.
    function test_rootFromProof16_goldenClaims_succeeds() public {
        string[3] memory paths = [MLP_HONEST, MLP_LIE, PAST_END_LIE];
        for (uint256 p = 0; p < 3; ++p) {
            Env memory e = load(paths[p]);
            uint256 n = vm.parseJsonUint(e.json, ".model.nodeCount");
            vm.assertEq(this.fold16(e.inputRoot, 0, e.inputProof), e.finalStateRoot, "input leaf");
            vm.assertEq(this.fold16(Merkle.tensorRoot(e.output), n - 1, e.outputProof), e.finalStateRoot, "output leaf");
        }
    }

    function fold16(bytes32 leaf, uint256 index, bytes32[16] calldata siblings) external pure returns (bytes32) {
        return Merkle.rootFromProof16(leaf, index, siblings);
    }

    /// A proof of every leaf of a random 8-leaf tree folds to its root (memory and calldata
    /// variants alike).
    function test_rootFromProof_fuzzedTree_succeeds(bytes32[8] memory leaves, uint8 index) public view {
        uint256 i = index % 8;
        bytes32[] memory level = new bytes32[](8);
        for (uint256 k = 0; k < 8; ++k) {
            level[k] = leaves[k];
        }
        bytes32[] memory proof = new bytes32[](3);
        uint256 at = i;
        for (uint256 h = 0; h < 3; ++h) {
            proof[h] = level[at ^ 1];
            uint256 width = level.length / 2;
            bytes32[] memory up = new bytes32[](width);
            for (uint256 k = 0; k < width; ++k) {
                up[k] = keccak256(abi.encodePacked(level[2 * k], level[2 * k + 1]));
            }
            level = up;
            at /= 2;
        }
        vm.assertEq(Merkle.rootFromProof(leaves[i], i, proof), level[0], "root");
        // Extended to depth 16 with zero siblings: the calldata variant agrees.
        bytes32[28] memory z = zeros();
        bytes32[16] memory p16;
        bytes32 root = level[0];
        for (uint256 h = 0; h < 16; ++h) {
            p16[h] = h < 3 ? proof[h] : z[h];
            if (h >= 3) root = keccak256(abi.encodePacked(root, z[h]));
        }
        vm.assertEq(this.fold16(leaves[i], i, p16), root, "depth 16");
    }

    function test_foldLeft_fuzzedHeights_succeeds(bytes32 root, uint8 from, uint8 to) public pure {
        uint256 a = from % 28;
        uint256 b = to % 28;
        if (a > b) (a, b) = (b, a);
        bytes32[28] memory z = zeros();
        bytes32 node = root;
        for (uint256 h = a; h < b; ++h) {
            node = keccak256(abi.encodePacked(node, z[h]));
        }
        vm.assertEq(Merkle.foldLeft(root, a, b), node, "fold");
        // Folding in two parts is folding at once.
        uint256 mid = (a + b) / 2;
        vm.assertEq(Merkle.foldLeft(Merkle.foldLeft(root, a, mid), mid, b), node, "in two parts");
    }

    /// A tensor of at most 32 bytes is its leaf folded with zeros; stateRoot0 is the input root
    /// folded to depth 16.
    function test_stateRoot0_fuzzedLeaf_succeeds(bytes32 leaf) public pure {
        bytes memory data = abi.encodePacked(leaf);
        vm.assertEq(Merkle.tensorRoot(data), Merkle.foldLeft(leaf, 0, 23), "one-leaf tensor");
        bytes32[28] memory z = zeros();
        bytes32 node = leaf;
        for (uint256 h = 0; h < 16; ++h) {
            node = keccak256(abi.encodePacked(node, z[h]));
        }
        vm.assertEq(Merkle.stateRoot0(leaf), node, "state 0");
    }
}
