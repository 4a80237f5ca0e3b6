// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

// The ABIs of src/DisputeGame.sol, src/InferenceOracle.sol and src/ModelRegistry.sol as the game
// tests see them. The tests deploy the contracts from their build artifacts and never import
// them: so the test files compile on their own, without the via-IR optimizer (foundry.toml's
// `tests` profile), which keeps `forge build` fast. A drift from the contracts shows up as
// failing calls.

interface IDisputeGame {
    enum Phase {
        Nodes,
        Descent,
        Steps,
        Resolved
    }

    struct Params {
        uint64 dissectionWidth;
        uint64 descentWidthLog2;
        uint64 tileHeight;
        uint64 clockBudget;
        bytes32 programRoot;
        uint32 programEntry;
    }

    struct Game {
        address claimant;
        uint64 claimantClock;
        Phase phase;
        bool claimantToMove;
        bool claimantWon;
        address challenger;
        uint64 challengerClock;
        uint64 turnStartedAt;
        uint64 lo;
        uint64 hi;
        uint64 claimId;
        bytes32 graphRoot;
        bytes32 weightsRoot;
        bytes32 loValue;
        bytes32 hiValue;
        bytes32 revealed;
        uint64 node;
        uint64 outputBytes;
        uint64 height;
        uint64 index;
        bytes32 agreedStateRoot;
        bytes32 descriptorHash;
        bytes32 value;
    }

    event NodesRevealed(uint256 indexed gameId, bytes32[] values);
    event GameEnded(uint256 indexed gameId, bool claimantWon);

    function createGame(
        uint64 claimId,
        address claimant,
        address challenger,
        bytes32 graphRoot,
        bytes32 weightsRoot,
        uint64 nodeCount,
        bytes32 inputRoot,
        bytes32 finalStateRoot
    ) external returns (uint256 gameId);
    function getGame(uint256 gameId) external view returns (Game memory);
    function gameCount() external view returns (uint256);
    function positions(uint64 lo, uint64 hi) external view returns (uint64[] memory);
    function timeout(uint256 gameId) external;
    function revealNodes(uint256 gameId, bytes32[] calldata values) external;
    function chooseNode(uint256 gameId, bytes32[] calldata values, uint256 segment) external;
    function revealSteps(uint256 gameId, bytes32[] calldata values) external;
    function chooseStep(uint256 gameId, bytes32[] calldata values, uint256 segment) external;
    function proveNode(
        uint256 gameId,
        bytes32 outputRoot,
        bytes32[16] calldata stateSiblings,
        bytes calldata descriptor,
        bytes32[16] calldata descriptorProof,
        bytes32 dataRoot
    ) external;
    function revealChildren(uint256 gameId, bytes32[] calldata children) external;
    function chooseChild(uint256 gameId, bytes32[] calldata children, uint256 child) external;
    function openExecution(
        uint256 gameId,
        bytes calldata descriptor,
        bytes32[] calldata inputRoots,
        bytes32[16][] calldata inputProofs,
        bytes calldata finalState,
        bytes32[4] calldata slotSiblings,
        uint64 steps
    ) external;
    function resolveStep(uint256 gameId, bytes calldata preState, bytes calldata proof) external;
}

interface IInferenceOracle {
    enum ClaimState {
        Open,
        Final,
        Defeated
    }

    struct Request {
        address consumer;
        uint64 modelId;
        bool fulfilled;
        uint256 fee;
        bytes32 inputHash;
    }

    struct Claim {
        address claimant;
        uint64 modelId;
        uint64 requestId;
        uint64 deadline;
        ClaimState state;
        uint32 openGames;
        bytes32 finalStateRoot;
        bytes32 inputRoot;
        bytes32 outputHash;
    }

    event ClaimSubmitted(
        uint256 indexed claimId,
        uint256 indexed modelId,
        uint256 indexed requestId,
        address claimant,
        bytes input,
        bytes output,
        bytes32 finalStateRoot
    );
    event ClaimFinalized(uint256 indexed claimId, uint256 indexed requestId, bytes output);
    event ClaimDefeated(uint256 indexed claimId, uint256 indexed gameId, address challenger);
    event Withdrawn(address indexed to, uint256 amount);

    function CALLBACK_GAS() external view returns (uint256);
    function game() external view returns (IDisputeGame);
    function gameLinks(uint256 gameId) external view returns (uint64 claimId, address challenger);
    function balances(address who) external view returns (uint256);
    function results(uint256 requestId) external view returns (bytes memory);
    function requestInference(uint256 modelId, bytes calldata input) external payable returns (uint256 requestId);
    function submitClaim(
        uint256 modelId,
        uint256 requestId,
        bytes calldata input,
        bytes calldata output,
        bytes32 finalStateRoot,
        bytes32[16] calldata inputProof,
        bytes32[16] calldata outputProof
    ) external payable returns (uint256 claimId);
    function challenge(uint256 claimId) external payable returns (uint256 gameId);
    function onGameResolved(uint256 gameId, bool claimantWon) external;
    function finalize(uint256 claimId, bytes calldata output) external;
    function withdraw() external;
    function getClaim(uint256 claimId) external view returns (Claim memory);
    function getRequest(uint256 requestId) external view returns (Request memory);
    function claimCount() external view returns (uint256);
}

interface IModelRegistry {
    function registerModel(
        bytes32 graphRoot,
        bytes32 weightsRoot,
        uint32 nodeCount,
        string calldata uri,
        bytes calldata inputDescriptor,
        bytes32[16] calldata inputProof,
        bytes calldata outputDescriptor,
        bytes32[16] calldata outputProof
    ) external returns (uint256 modelId);
    function modelCount() external view returns (uint256);
}

/// `IOpmlConsumer` of src/InferenceOracle.sol.
interface IConsumer {
    function onInferenceResult(uint256 requestId, bytes calldata output) external;
}
