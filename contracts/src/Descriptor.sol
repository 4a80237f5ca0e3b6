// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {InvalidDescriptor} from "./GameErrors.sol";

/// @title Descriptor
/// @notice Reads the few fields of a node descriptor (docs/spec.md §8.3, little-endian u32s) that
/// the game needs: the input sources and the output's byte length; and builds a job (§8.3).
/// @dev Only these fields are parsed. A model file that loads (`opml_dnn::model::Model`) holds
/// canonical descriptors only; for a malformed descriptor this either reverts with
/// `InvalidDescriptor` or reads fields a canonical decoder would reject, which concerns only
/// games about a model whose author registered garbage.
library Descriptor {
    /// Bit 31 of a source marks a weight index.
    uint256 internal constant WEIGHT_SOURCE_BIT = 1 << 31;
    /// Most inputs of one node.
    uint256 internal constant MAX_INPUTS = 10;

    /// The little-endian u32 at `offset` of `d`.
    function u32At(bytes calldata d, uint256 offset) internal pure returns (uint256 v) {
        if (offset + 4 > d.length) revert InvalidDescriptor();
        v = uint256(uint8(d[offset])) | (uint256(uint8(d[offset + 1])) << 8) | (uint256(uint8(d[offset + 2])) << 16)
            | (uint256(uint8(d[offset + 3])) << 24);
    }

    /// Number of inputs.
    function inputCount(bytes calldata d) internal pure returns (uint256 n) {
        if (u32At(d, 0) != 1) revert InvalidDescriptor();
        n = u32At(d, 8);
        if (n > MAX_INPUTS) revert InvalidDescriptor();
    }

    /// Source `k` (a node index, or a weight index with bit 31 set).
    function source(bytes calldata d, uint256 k) internal pure returns (uint256) {
        return u32At(d, 12 + 4 * k);
    }

    /// Byte length of the output tensor: its description follows the n input descriptions,
    /// each `dtype, rank, dims[rank], zero_point, multiplier, shift`.
    function outputBytes(bytes calldata d) internal pure returns (uint256) {
        uint256 n = inputCount(d);
        uint256 at = 12 + 4 * n;
        for (uint256 k = 0; k < n; ++k) {
            at += 4 * (5 + u32At(d, at + 4));
        }
        uint256 dtype = u32At(d, at);
        uint256 rank = u32At(d, at + 4);
        if (dtype > 2 || rank > 6) revert InvalidDescriptor();
        uint256 bytes_ = 1 << dtype;
        for (uint256 r = 0; r < rank; ++r) {
            bytes_ *= u32At(d, at + 8 + 4 * r);
            if (bytes_ > 1 << 28) revert InvalidDescriptor();
        }
        return bytes_;
    }

    /// `x` as 4 little-endian bytes.
    function le32(uint256 x) internal pure returns (bytes4) {
        return bytes4(uint32((x & 0xff) << 24 | ((x >> 8) & 0xff) << 16 | ((x >> 16) & 0xff) << 8 | ((x >> 24) & 0xff)));
    }

    /// The job bytes for output bytes `start..end` of the node `d` (`opml_dnn::graph::Job`).
    function job(bytes calldata d, uint256 start, uint256 end) internal pure returns (bytes memory) {
        return abi.encodePacked(bytes4("OJOB"), le32(1), le32(start), le32(end), le32(d.length), d);
    }
}
