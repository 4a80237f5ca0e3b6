// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {Merkle} from "./Merkle.sol";
import {UnknownId} from "./GameErrors.sol";

/// @title ModelRegistry
/// @notice Registered models: the commitments of an opml model file (docs/spec.md §8.6).
contract ModelRegistry {
    /// A registered model.
    struct Model {
        address author;
        uint32 nodeCount;
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

    /// Registers a model; `uri` says where its file can be fetched (not checked).
    function registerModel(bytes32 graphRoot, bytes32 weightsRoot, uint32 nodeCount, string calldata uri)
        external
        returns (uint256 modelId)
    {
        require(nodeCount >= 2, "a model has an input and at least one node");
        modelId = models.length;
        bytes32 root = Merkle.hashPair(graphRoot, weightsRoot);
        models.push(Model(msg.sender, nodeCount, graphRoot, weightsRoot, root, uri));
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
