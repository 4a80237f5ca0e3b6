// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// @notice The leaf-proof encoding of docs/spec.md §6 written the plain way, for the tests: the
/// leaf, a big-endian u32 mask, then the siblings whose mask bit is 0, bottom-up.
library LeafProofs {
    /// Z[h], the root of an all-zero subtree of height h.
    function zeroHash(uint256 h) internal pure returns (bytes32 z) {
        for (uint256 i = 0; i < h; i++) {
            z = keccak256(abi.encodePacked(z, z));
        }
    }

    function popcount(uint256 x) internal pure returns (uint256 n) {
        for (; x != 0; x >>= 1) {
            n += x & 1;
        }
    }

    /// The fold of docs/spec.md §1 from height `from` to `to` over resolved `siblings` (indexed
    /// by height): at height h the node is the left child iff bit h of `index` is 0.
    function fold(bytes32 node, uint256 index, bytes32[] memory s, uint256 from, uint256 to)
        internal
        pure
        returns (bytes32)
    {
        for (uint256 h = from; h < to; h++) {
            node = (index >> h) & 1 == 0
                ? keccak256(abi.encodePacked(node, s[h]))
                : keccak256(abi.encodePacked(s[h], node));
        }
        return node;
    }

    /// Random siblings for heights 0..heights-1, Z[h] where `mask` has bit h.
    function siblings(uint256 seed, uint256 mask, uint256 heights) internal pure returns (bytes32[] memory s) {
        s = new bytes32[](heights);
        for (uint256 h = 0; h < heights; h++) {
            s[h] = (mask >> h) & 1 == 1 ? zeroHash(h) : keccak256(abi.encode(seed, h));
        }
    }

    /// The siblings (of heights 0..heights-1) whose mask bit is 0, bottom-up.
    function siblingBytes(uint256 mask, bytes32[] memory s, uint256 heights) internal pure returns (bytes memory out) {
        for (uint256 h = 0; h < heights; h++) {
            if ((mask >> h) & 1 == 0) out = bytes.concat(out, s[h]);
        }
    }

    /// leaf ‖ mask ‖ `siblingBytes`.
    function encode(bytes32 leaf, uint256 mask, bytes32[] memory s, uint256 heights)
        internal
        pure
        returns (bytes memory)
    {
        return bytes.concat(leaf, bytes4(uint32(mask)), siblingBytes(mask, s, heights));
    }

    /// The 32 bytes of `b` from byte `at` on.
    function word(bytes memory b, uint256 at) internal pure returns (uint256 w) {
        assembly ("memory-safe") {
            w := mload(add(add(b, 32), at))
        }
    }

    /// The mask of the leaf proof that starts at byte `at` of `proof`.
    function maskAt(bytes memory proof, uint256 at) internal pure returns (uint256 mask) {
        for (uint256 i = 0; i < 4; i++) {
            mask = (mask << 8) | uint8(proof[at + 32 + i]);
        }
    }

    /// Where the leaf proof that starts at byte `at` of `proof` and covers `heights` heights ends.
    function endOf(bytes memory proof, uint256 at, uint256 heights) internal pure returns (uint256) {
        return at + 36 + 32 * (heights - popcount(maskAt(proof, at) & ((1 << heights) - 1)));
    }

    /// `proof` with `mask` written at byte `at` (the start of a leaf proof).
    function setMask(bytes memory proof, uint256 at, uint256 mask) internal pure {
        for (uint256 i = 0; i < 4; i++) {
            proof[at + 32 + i] = bytes1(uint8(mask >> (24 - 8 * i)));
        }
    }
}
