// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {Merkle} from "./Merkle.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {DisputeGame, IStep, IGameOwner} from "./DisputeGame.sol";
import {
    UnknownId,
    WrongBond,
    ClaimMismatch,
    WindowClosed,
    NotFinalizable,
    ClaimSettled,
    Unauthorized,
    WithdrawFailed,
    InsufficientGas
} from "./GameErrors.sol";

/// A contract that asked for an inference and is told the result once final.
interface IOpmlConsumer {
    function onInferenceResult(uint256 requestId, bytes calldata output) external;
}

/// @title InferenceOracle
/// @notice Requests, claims, bonds and finalization (docs/spec.md §9.3). Holds every bond and
/// fee; pays by the pull pattern (`withdraw`). Games are played in its `DisputeGame`.
/// @dev Invariant: the balance equals the open bonds plus the unpaid fees plus the credited
/// balances. Every state change happens before any external call (checks-effects-interactions),
/// and the only calls out are to the game contract it deployed, to consumers (whose failure is
/// ignored, with bounded gas) and `withdraw`'s transfer.
contract InferenceOracle is IGameOwner {
    /// Lifecycle of a claim.
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

    struct GameLink {
        uint64 claimId;
        address challenger;
    }

    /// Gas given to a consumer's callback; it cannot block finalization (but `finalize` must
    /// be sent with enough gas to give it all of it).
    uint256 public constant CALLBACK_GAS = 500_000;

    ModelRegistry public immutable registry;
    DisputeGame public immutable game;
    uint256 public immutable claimBond;
    uint256 public immutable challengeBond;
    uint64 public immutable challengeWindow;

    /// Request ids start at 1 (0 = a claim without a request).
    Request[] internal requests;
    Claim[] internal claims;
    mapping(uint256 gameId => GameLink) public gameLinks;
    mapping(address => uint256) public balances;
    /// Outputs of final claims by request, kept for consumers that poll.
    mapping(uint256 requestId => bytes) public results;

    event InferenceRequested(
        uint256 indexed requestId, uint256 indexed modelId, address consumer, uint256 fee, bytes input
    );
    event ClaimSubmitted(
        uint256 indexed claimId,
        uint256 indexed modelId,
        uint256 indexed requestId,
        address claimant,
        bytes input,
        bytes output,
        bytes32 finalStateRoot
    );
    event ClaimChallenged(uint256 indexed claimId, uint256 indexed gameId, address challenger);
    event ClaimFinalized(uint256 indexed claimId, uint256 indexed requestId, bytes output);
    event ClaimDefeated(uint256 indexed claimId, uint256 indexed gameId, address challenger);
    event Withdrawn(address indexed to, uint256 amount);

    constructor(
        ModelRegistry registry_,
        IStep step,
        DisputeGame.Params memory params,
        uint256 claimBond_,
        uint256 challengeBond_,
        uint64 challengeWindow_
    ) {
        registry = registry_;
        game = new DisputeGame(step, params);
        claimBond = claimBond_;
        challengeBond = challengeBond_;
        challengeWindow = challengeWindow_;
        requests.push(); // id 0 is "no request"
    }

    // ---------------------------------------------------------------------------------------
    // Requests and claims
    // ---------------------------------------------------------------------------------------

    /// Asks for `modelId` on `input`; `msg.value` is the fee paid to the claimant whose claim
    /// becomes final. The caller is called back with the output.
    function requestInference(uint256 modelId, bytes calldata input) external payable returns (uint256 requestId) {
        // Reverts for an unknown model; the input must have the model's input length.
        if (input.length != registry.getModel(modelId).inputBytes) revert ClaimMismatch();
        requestId = requests.length;
        requests.push(Request(msg.sender, uint64(modelId), false, msg.value, keccak256(input)));
        emit InferenceRequested(requestId, modelId, msg.sender, msg.value, input);
    }

    /// Claims that `modelId` on `input` gives `output` (of the model's registered input and output
    /// lengths), with the final graph-state root whose leaf 0 is `input`'s tensor root and leaf
    /// N−1 `output`'s (two depth-16 proofs).
    function submitClaim(
        uint256 modelId,
        uint256 requestId,
        bytes calldata input,
        bytes calldata output,
        bytes32 finalStateRoot,
        bytes32[16] calldata inputProof,
        bytes32[16] calldata outputProof
    ) external payable returns (uint256 claimId) {
        if (msg.value != claimBond) revert WrongBond();
        ModelRegistry.Model memory m = registry.getModel(modelId);
        // Lengths first: trailing zero bytes do not change a tensor root.
        if (input.length != m.inputBytes || output.length != m.outputBytes) revert ClaimMismatch();
        if (requestId != 0) {
            if (requestId >= requests.length) revert UnknownId();
            Request storage r = requests[requestId];
            if (r.fulfilled || r.modelId != modelId || r.inputHash != keccak256(input)) revert ClaimMismatch();
        }
        bytes32 inputRoot = Merkle.tensorRoot(input);
        if (
            Merkle.rootFromProof16(inputRoot, 0, inputProof) != finalStateRoot
                || Merkle.rootFromProof16(Merkle.tensorRoot(output), m.nodeCount - 1, outputProof) != finalStateRoot
        ) revert ClaimMismatch();
        claimId = claims.length;
        claims.push(
            Claim(
                msg.sender,
                uint64(modelId),
                uint64(requestId),
                uint64(block.timestamp) + challengeWindow,
                ClaimState.Open,
                0,
                finalStateRoot,
                inputRoot,
                keccak256(output)
            )
        );
        emit ClaimSubmitted(claimId, modelId, requestId, msg.sender, input, output, finalStateRoot);
    }

    /// Challenges an open claim during its window; opens a game.
    function challenge(uint256 claimId) external payable returns (uint256 gameId) {
        if (msg.value != challengeBond) revert WrongBond();
        if (claimId >= claims.length) revert UnknownId();
        Claim storage c = claims[claimId];
        if (c.state != ClaimState.Open) revert ClaimSettled();
        if (block.timestamp > c.deadline) revert WindowClosed();
        ModelRegistry.Model memory m = registry.getModel(c.modelId);
        c.openGames += 1;
        gameId = game.createGame(
            uint64(claimId),
            c.claimant,
            msg.sender,
            m.graphRoot,
            m.weightsRoot,
            m.nodeCount,
            c.inputRoot,
            c.finalStateRoot
        );
        gameLinks[gameId] = GameLink(uint64(claimId), msg.sender);
        emit ClaimChallenged(claimId, gameId, msg.sender);
    }

    /// Called by the game contract when a game ends: pays the winner both bonds (a defeated
    /// claim's bond goes to the first challenger who wins; later games refund their challengers).
    function onGameResolved(uint256 gameId, bool claimantWon) external {
        if (msg.sender != address(game)) revert Unauthorized();
        GameLink memory link = gameLinks[gameId];
        Claim storage c = claims[link.claimId];
        c.openGames -= 1;
        if (c.state == ClaimState.Defeated) {
            balances[link.challenger] += challengeBond;
        } else if (claimantWon) {
            balances[c.claimant] += challengeBond;
        } else {
            c.state = ClaimState.Defeated;
            balances[link.challenger] += challengeBond + claimBond;
            emit ClaimDefeated(link.claimId, gameId, link.challenger);
        }
    }

    /// Makes a claim final once its window has passed and no game is open: returns the bond,
    /// pays the request's fee, records the result and calls the consumer back.
    function finalize(uint256 claimId, bytes calldata output) external {
        if (claimId >= claims.length) revert UnknownId();
        Claim storage c = claims[claimId];
        if (c.state != ClaimState.Open) revert ClaimSettled();
        if (block.timestamp <= c.deadline || c.openGames != 0) revert NotFinalizable();
        if (keccak256(output) != c.outputHash) revert ClaimMismatch();
        c.state = ClaimState.Final;
        uint256 pay = claimBond;
        uint256 requestId = c.requestId;
        address consumer;
        if (requestId != 0) {
            Request storage r = requests[requestId];
            if (!r.fulfilled) {
                r.fulfilled = true;
                pay += r.fee;
                consumer = r.consumer;
                results[requestId] = output;
            }
        }
        balances[c.claimant] += pay;
        emit ClaimFinalized(claimId, requestId, output);
        if (consumer.code.length > 0) {
            // A failing consumer cannot block finalization. But the caller picks the gas: a
            // call forwards at most 63/64 of what is left (EIP-150), so a callback that failed
            // while less than CALLBACK_GAS / 63 is left may have been starved of its allowance
            // on purpose, and the request would be fulfilled without it: revert instead.
            try IOpmlConsumer(consumer).onInferenceResult{gas: CALLBACK_GAS}(requestId, output) {}
            catch {
                if (gasleft() < CALLBACK_GAS / 63) revert InsufficientGas();
            }
        }
    }

    /// Pays out the caller's balance.
    function withdraw() external {
        uint256 amount = balances[msg.sender];
        if (amount == 0) revert WithdrawFailed();
        balances[msg.sender] = 0;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert WithdrawFailed();
        emit Withdrawn(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------

    function getClaim(uint256 claimId) external view returns (Claim memory) {
        if (claimId >= claims.length) revert UnknownId();
        return claims[claimId];
    }

    function getRequest(uint256 requestId) external view returns (Request memory) {
        if (requestId == 0 || requestId >= requests.length) revert UnknownId();
        return requests[requestId];
    }

    function claimCount() external view returns (uint256) {
        return claims.length;
    }
}
