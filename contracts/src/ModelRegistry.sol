// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {Merkle} from "./Merkle.sol";
import {Descriptor} from "./Descriptor.sol";
import {UnknownId, InvalidProof} from "./GameErrors.sol";

/// @title ModelRegistry
/// @notice Registered models: the commitments of an opml model file (docs/spec.md §8.6).
contract ModelRegistry {
    /// A registered model.
    struct Model {
        address author;
        uint32 nodeCount;
        /// Byte length of the input (node 0's output) and of the output (node N−1's).
        uint32 inputBytes;
        uint32 outputBytes;
        bytes32 graphRoot;
        bytes32 weightsRoot;
        /// keccak256(graphRoot ‖ weightsRoot).
        bytes32 modelRoot;
        string uri;
    }

    Model[] internal models;

    event ModelRegistered(
        uint256 indexed modelId, bytes32 indexed modelRoot, address author, uint32 nodeCount, string uri
    );

    /// Registers a model; `uri` says where its file can be fetched (not checked). The
    /// descriptors of node 0 (the input) and node N−1 (the output), proven against the graph
    /// root, fix the byte lengths every claim's input and output must have.
    function registerModel(
        bytes32 graphRoot,
        bytes32 weightsRoot,
        uint32 nodeCount,
        string calldata uri,
        bytes calldata inputDescriptor,
        bytes32[16] calldata inputProof,
        bytes calldata outputDescriptor,
        bytes32[16] calldata outputProof
    ) external returns (uint256 modelId) {
        require(nodeCount >= 2, "a model has an input and at least one node");
        if (
            Merkle.rootFromProof16(keccak256(inputDescriptor), 0, inputProof) != graphRoot
                || Merkle.rootFromProof16(keccak256(outputDescriptor), nodeCount - 1, outputProof) != graphRoot
        ) revert InvalidProof();
        uint32 inputBytes = uint32(Descriptor.outputBytes(inputDescriptor));
        uint32 outputBytes = uint32(Descriptor.outputBytes(outputDescriptor));
        modelId = models.length;
        bytes32 root = Merkle.hashPair(graphRoot, weightsRoot);
        models.push(Model(msg.sender, nodeCount, inputBytes, outputBytes, graphRoot, weightsRoot, root, uri));
        emit ModelRegistered(modelId, root, msg.sender, nodeCount, uri);
    }

    /// Model `modelId`.
    function getModel(uint256 modelId) external view returns (Model memory) {
        if (modelId >= models.length) revert UnknownId();
        return models[modelId];
    }

    /// Number of registered models.
    function modelCount() external view returns (uint256) {
        return models.length;
    }
}
