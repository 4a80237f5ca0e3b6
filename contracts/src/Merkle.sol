// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// @title Merkle
/// @notice The one tree shape of opml (docs/spec.md §1): 32-byte raw leaves, parent =
/// keccak256(left ‖ right), fixed depth, missing leaves zero. Mirrors `opml_vm::merkle` and
/// `opml_dnn::commit` (`hash_pair` ↔ `hashPair`, `zero_hash` ↔ `zeroHash`, `root_from_proof` ↔
/// `rootFromProof`, `tensor_root` ↔ `tensorRoot`, `fold_left` ↔ `foldLeft`).
library Merkle {
    /// Depth of a tensor tree (one VM slot): 2^23 leaves.
    uint256 internal constant TENSOR_DEPTH = 23;
    /// Depth of graph, graph-state and weight-table trees.
    uint256 internal constant GRAPH_DEPTH = 16;

    /// keccak256(left ‖ right).
    function hashPair(bytes32 left, bytes32 right) internal pure returns (bytes32 node) {
        assembly ("memory-safe") {
            mstore(0, left)
            mstore(0x20, right)
            node := keccak256(0, 0x40)
        }
    }

    /// Root of an all-zero subtree of height `h` (0..27; Z[0] is the zero leaf).
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
            case 27 { z := 0x838c5655cb21c6cb83313b5a631175dff4963772cce9108188b34ac87c81c41e }
            default { z := 0 }
        }
    }

    /// The root proven by `leaf` at `index` with `siblings` (bottom-up): at height h the node
    /// is the left child iff bit h of `index` is 0.
    function rootFromProof(bytes32 leaf, uint256 index, bytes32[] memory siblings)
        internal
        pure
        returns (bytes32 node)
    {
        node = leaf;
        for (uint256 h = 0; h < siblings.length; ++h) {
            node = (index >> h) & 1 == 0 ? hashPair(node, siblings[h]) : hashPair(siblings[h], node);
        }
    }

    /// `rootFromProof` for a depth-16 proof in calldata.
    function rootFromProof16(bytes32 leaf, uint256 index, bytes32[16] calldata siblings)
        internal
        pure
        returns (bytes32 node)
    {
        node = leaf;
        for (uint256 h = 0; h < 16; ++h) {
            node = (index >> h) & 1 == 0 ? hashPair(node, siblings[h]) : hashPair(siblings[h], node);
        }
    }

    /// Folds the leftmost subtree root at height `from` up to `to` with zero siblings.
    function foldLeft(bytes32 root, uint256 from, uint256 to) internal pure returns (bytes32 node) {
        node = root;
        for (uint256 h = from; h < to; ++h) {
            node = hashPair(node, zeroHash(h));
        }
    }

    /// The tensor root of `data`: its bytes zero-padded as a depth-23 tree.
    function tensorRoot(bytes memory data) internal pure returns (bytes32) {
        uint256 n = (data.length + 31) / 32;
        if (n == 0) {
            return zeroHash(TENSOR_DEPTH);
        }
        bytes32[] memory level = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 leaf;
            assembly ("memory-safe") {
                leaf := mload(add(add(data, 0x20), mul(i, 0x20)))
            }
            uint256 tail = data.length - 32 * i;
            if (tail < 32) {
                // Zero the bytes past the end (memory after `data` may hold anything).
                leaf &= bytes32(type(uint256).max << (8 * (32 - tail)));
            }
            level[i] = leaf;
        }
        uint256 height = 0;
        while (n > 1) {
            uint256 parents = (n + 1) / 2;
            for (uint256 i = 0; i < parents; ++i) {
                bytes32 right = 2 * i + 1 < n ? level[2 * i + 1] : zeroHash(height);
                level[i] = hashPair(level[2 * i], right);
            }
            n = parents;
            ++height;
        }
        return foldLeft(level[0], height, TENSOR_DEPTH);
    }

    /// The graph state with only leaf 0 set: `stateRoot0(input)` of docs/spec.md §9.2.
    function stateRoot0(bytes32 inputRoot) internal pure returns (bytes32) {
        return foldLeft(inputRoot, 0, GRAPH_DEPTH);
    }
}
