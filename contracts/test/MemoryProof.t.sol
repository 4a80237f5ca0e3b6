// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {MemoryProof} from "../src/MemoryProof.sol";
import {TestBase} from "./utils/Cheats.sol";

/// Exposes the library's folds over a calldata proof.
contract MemoryProofHarness {
    function computeRoot(bytes calldata proof, uint256 index, bytes32 leaf) external pure returns (bytes32) {
        uint256 at;
        assembly {
            at := proof.offset
        }
        return MemoryProof.computeRoot(at, index, leaf);
    }

    function computeRoots(bytes calldata proof, uint256 index, bytes32 leaf, bytes32 newLeaf)
        external
        pure
        returns (bytes32, bytes32)
    {
        uint256 at;
        assembly {
            at := proof.offset
        }
        return MemoryProof.computeRoots(at, index, leaf, newLeaf);
    }
}

/// Tests of src/MemoryProof.sol: the unrolled folds against a plain loop (docs/spec.md §1).
contract MemoryProofTest is TestBase {
    MemoryProofHarness internal h;

    function setUp() public {
        h = new MemoryProofHarness();
    }

    /// The spec's fold, written the obvious way.
    function referenceRoot(bytes memory proof, uint256 index, bytes32 leaf) internal pure returns (bytes32 node) {
        node = leaf;
        for (uint256 height = 0; height < 27; height++) {
            bytes32 sibling;
            assembly {
                sibling := mload(add(add(proof, 64), mul(32, height)))
            }
            node = (index >> height) & 1 == 0
                ? keccak256(abi.encodePacked(node, sibling))
                : keccak256(abi.encodePacked(sibling, node));
        }
    }

    function randomProof(uint256 seed) internal pure returns (bytes memory proof) {
        proof = new bytes(896);
        for (uint256 i = 0; i < 28; i++) {
            bytes32 word = keccak256(abi.encode(seed, i));
            assembly {
                mstore(add(add(proof, 32), mul(32, i)), word)
            }
        }
    }

    function test_computeRoot_emptyMemory_succeeds() public view {
        // All-zero memory: the siblings are the zero-subtree roots Z[0..26], the root is Z[27].
        bytes memory proof = new bytes(896);
        bytes32 z = bytes32(0);
        for (uint256 height = 0; height < 27; height++) {
            assembly {
                mstore(add(add(proof, 64), mul(32, height)), z)
            }
            z = keccak256(abi.encodePacked(z, z));
        }
        vm.assertEq(h.computeRoot(proof, 0, bytes32(0)), z, "Z[27] at leaf 0");
        vm.assertEq(h.computeRoot(proof, (1 << 27) - 1, bytes32(0)), z, "Z[27] at the last leaf");
    }

    function test_computeRoot_matchesReference_succeeds(uint256 seed, uint32 index, bytes32 leaf) public view {
        uint256 i = index % (1 << 27);
        bytes memory proof = randomProof(seed);
        vm.assertEq(h.computeRoot(proof, i, leaf), referenceRoot(proof, i, leaf), "root");
    }

    function test_computeRoots_matchesTwoFolds_succeeds(uint256 seed, uint32 index, bytes32 leaf, bytes32 newLeaf)
        public
        view
    {
        uint256 i = index % (1 << 27);
        bytes memory proof = randomProof(seed);
        (bytes32 root, bytes32 newRoot) = h.computeRoots(proof, i, leaf, newLeaf);
        vm.assertEq(root, referenceRoot(proof, i, leaf), "old root");
        vm.assertEq(newRoot, referenceRoot(proof, i, newLeaf), "new root");
    }
}
