// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {Merkle} from "./Merkle.sol";
import {Descriptor} from "./Descriptor.sol";
import {
    GameResolved,
    WrongMove,
    ClockExpired,
    ClockNotExpired,
    InvalidReveal,
    RevealMismatch,
    InvalidProof,
    InvalidDescriptor,
    InvalidFinalState,
    Unauthorized,
    UnknownId,
    InvalidParams
} from "./GameErrors.sol";

/// The one-step verifier (`Step.sol`).
interface IStep {
    function verifyStep(bytes32 preStateHash, bytes calldata state, bytes calldata proof)
        external
        pure
        returns (bytes32 postStateHash);
}

/// What the game reports to the contract that holds the bonds.
interface IGameOwner {
    function onGameResolved(uint256 gameId, bool claimantWon) external;
}

/// @title DisputeGame
/// @notice The games of docs/spec.md §9.4: node dissection, output descent, instruction
/// dissection and the one step, with a chess clock per side. The twin of the Rust referee
/// (`opml_challenger::game::referee::Referee`): same state, same checks, same errors.
contract DisputeGame {
    /// Level of a game.
    enum Phase {
        Nodes,
        Descent,
        Steps,
        Resolved
    }

    /// Parameters (docs/spec.md §9.1).
    struct Params {
        uint64 dissectionWidth;
        uint64 descentWidthLog2;
        uint64 tileHeight;
        uint64 clockBudget;
        bytes32 programRoot;
        uint32 programEntry;
    }

    /// One game. Packed into 12 storage slots.
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
        /// keccak256 of the pending revealed list; 0 when none.
        bytes32 revealed;
        uint64 node;
        uint64 outputBytes;
        uint64 height;
        uint64 index;
        bytes32 agreedStateRoot;
        bytes32 descriptorHash;
        bytes32 value;
    }

    /// The memory slot of a job's output.
    uint256 internal constant OUTPUT_SLOT = 15;
    /// Initial stack pointer.
    uint32 internal constant STACK_TOP = 0x4000_0000;

    IStep public immutable step;
    address public immutable owner;
    uint64 public immutable dissectionWidth;
    uint64 public immutable descentWidthLog2;
    uint64 public immutable tileHeight;
    uint64 public immutable clockBudget;
    bytes32 public immutable programRoot;
    uint32 public immutable programEntry;

    Game[] internal games;

    event GameCreated(uint256 indexed gameId, uint256 indexed claimId, address claimant, address challenger);
    event NodesRevealed(uint256 indexed gameId, bytes32[] values);
    event NodeChosen(uint256 indexed gameId, uint256 segment, uint64 lo, uint64 hi);
    event NodeProven(uint256 indexed gameId, uint64 node, bytes32 outputRoot, uint64 outputBytes);
    event ChildrenRevealed(uint256 indexed gameId, bytes32[] children);
    event ChildChosen(uint256 indexed gameId, uint256 child, uint64 height, uint64 index);
    event ExecutionOpened(uint256 indexed gameId, bytes32 initialState, bytes32 finalState, uint64 steps);
    event StepsRevealed(uint256 indexed gameId, bytes32[] values);
    event StepChosen(uint256 indexed gameId, uint256 segment, uint64 lo, uint64 hi);
    event GameEnded(uint256 indexed gameId, bool claimantWon);

    constructor(IStep step_, Params memory p) {
        if (p.dissectionWidth < 2 || p.descentWidthLog2 == 0 || p.tileHeight > Merkle.TENSOR_DEPTH) {
            revert InvalidParams();
        }
        step = step_;
        owner = msg.sender;
        dissectionWidth = p.dissectionWidth;
        descentWidthLog2 = p.descentWidthLog2;
        tileHeight = p.tileHeight;
        clockBudget = p.clockBudget;
        programRoot = p.programRoot;
        programEntry = p.programEntry;
    }

    // ---------------------------------------------------------------------------------------
    // Creation and views
    // ---------------------------------------------------------------------------------------

    /// Opens a game about claim `claimId` (only the owner, which holds the bonds).
    function createGame(
        uint64 claimId,
        address claimant,
        address challenger,
        bytes32 graphRoot,
        bytes32 weightsRoot,
        uint64 nodeCount,
        bytes32 inputRoot,
        bytes32 finalStateRoot
    ) external returns (uint256 gameId) {
        if (msg.sender != owner) revert Unauthorized();
        gameId = games.length;
        Game storage g = games.push();
        g.claimant = claimant;
        g.challenger = challenger;
        g.claimantClock = clockBudget;
        g.challengerClock = clockBudget;
        g.claimantToMove = true;
        g.turnStartedAt = uint64(block.timestamp);
        g.hi = nodeCount - 1;
        g.claimId = claimId;
        g.graphRoot = graphRoot;
        g.weightsRoot = weightsRoot;
        g.loValue = Merkle.stateRoot0(inputRoot);
        g.hiValue = finalStateRoot;
        emit GameCreated(gameId, claimId, claimant, challenger);
    }

    /// Game `gameId`.
    function getGame(uint256 gameId) external view returns (Game memory) {
        if (gameId >= games.length) revert UnknownId();
        return games[gameId];
    }

    /// Number of games.
    function gameCount() external view returns (uint256) {
        return games.length;
    }

    /// The positions revealed for `(lo, hi)`: `lo + ⌊j·d/m⌋`, `m = min(k, d)` (Rust `positions`).
    function positions(uint64 lo, uint64 hi) public view returns (uint64[] memory ps) {
        uint256 d = hi - lo;
        if (d < 2) return new uint64[](0);
        uint256 m = d < dissectionWidth ? d : dissectionWidth;
        ps = new uint64[](m - 1);
        for (uint256 j = 1; j < m; ++j) {
            ps[j - 1] = uint64(lo + (j * d) / m);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Turns and clocks
    // ---------------------------------------------------------------------------------------

    /// Loads a live game, checks that `claimant` (or the challenger) is to move and charges the
    /// mover's clock.
    function _begin(uint256 gameId, bool byClaimant) internal returns (Game storage g) {
        if (gameId >= games.length) revert UnknownId();
        g = games[gameId];
        if (g.phase == Phase.Resolved) revert GameResolved();
        if (byClaimant != g.claimantToMove) revert WrongMove();
        if (msg.sender != (byClaimant ? g.claimant : g.challenger)) revert Unauthorized();
        _charge(g);
    }

    /// Deducts the time since the turn began from the mover's clock.
    function _charge(Game storage g) internal {
        uint64 elapsed = uint64(block.timestamp) - g.turnStartedAt;
        if (g.claimantToMove) {
            if (elapsed > g.claimantClock) revert ClockExpired();
            g.claimantClock -= elapsed;
        } else {
            if (elapsed > g.challengerClock) revert ClockExpired();
            g.challengerClock -= elapsed;
        }
    }

    function _passTurn(Game storage g) internal {
        g.claimantToMove = !g.claimantToMove;
        g.turnStartedAt = uint64(block.timestamp);
    }

    function _resolve(uint256 gameId, Game storage g, bool claimantWon) internal {
        g.phase = Phase.Resolved;
        g.claimantWon = claimantWon;
        emit GameEnded(gameId, claimantWon);
        IGameOwner(owner).onGameResolved(gameId, claimantWon);
    }

    /// Ends a game whose side to move has used up its clock (anyone).
    function timeout(uint256 gameId) external {
        if (gameId >= games.length) revert UnknownId();
        Game storage g = games[gameId];
        if (g.phase == Phase.Resolved) revert GameResolved();
        uint64 clock = g.claimantToMove ? g.claimantClock : g.challengerClock;
        if (uint64(block.timestamp) - g.turnStartedAt <= clock) revert ClockNotExpired();
        _resolve(gameId, g, !g.claimantToMove);
    }

    // ---------------------------------------------------------------------------------------
    // Dissections (nodes and steps)
    // ---------------------------------------------------------------------------------------

    function _reveal(Game storage g, bytes32[] calldata values) internal {
        if (g.revealed != 0 || g.hi - g.lo < 2) revert WrongMove();
        if (values.length != positions(g.lo, g.hi).length) revert InvalidReveal();
        g.revealed = keccak256(abi.encodePacked(values));
        _passTurn(g);
    }

    function _choose(Game storage g, bytes32[] calldata values, uint256 segment) internal returns (uint64, uint64) {
        if (g.revealed == 0 || keccak256(abi.encodePacked(values)) != g.revealed) revert RevealMismatch();
        uint64[] memory ps = positions(g.lo, g.hi);
        if (segment > ps.length) revert InvalidReveal();
        uint64 lo = segment == 0 ? g.lo : ps[segment - 1];
        uint64 hi = segment == ps.length ? g.hi : ps[segment];
        if (segment > 0) g.loValue = values[segment - 1];
        if (segment < ps.length) g.hiValue = values[segment];
        (g.lo, g.hi) = (lo, hi);
        g.revealed = 0;
        _passTurn(g);
        return (lo, hi);
    }

    /// The claimant reveals graph-state roots at the positions of the node interval.
    function revealNodes(uint256 gameId, bytes32[] calldata values) external {
        Game storage g = _begin(gameId, true);
        if (g.phase != Phase.Nodes) revert WrongMove();
        _reveal(g, values);
        emit NodesRevealed(gameId, values);
    }

    /// The challenger picks the segment it disputes.
    function chooseNode(uint256 gameId, bytes32[] calldata values, uint256 segment) external {
        Game storage g = _begin(gameId, false);
        if (g.phase != Phase.Nodes) revert WrongMove();
        (uint64 lo, uint64 hi) = _choose(g, values, segment);
        emit NodeChosen(gameId, segment, lo, hi);
    }

    /// The claimant reveals VM state hashes at the positions of the step interval.
    function revealSteps(uint256 gameId, bytes32[] calldata values) external {
        Game storage g = _begin(gameId, true);
        if (g.phase != Phase.Steps) revert WrongMove();
        _reveal(g, values);
        emit StepsRevealed(gameId, values);
    }

    /// The challenger picks the segment it disputes.
    function chooseStep(uint256 gameId, bytes32[] calldata values, uint256 segment) external {
        Game storage g = _begin(gameId, false);
        if (g.phase != Phase.Steps) revert WrongMove();
        (uint64 lo, uint64 hi) = _choose(g, values, segment);
        emit StepChosen(gameId, segment, lo, hi);
    }

    // ---------------------------------------------------------------------------------------
    // The disputed node and the output descent
    // ---------------------------------------------------------------------------------------

    /// `⌈log2 ⌈len/32⌉⌉` (Rust `data_height`).
    function dataHeight(uint256 len) public pure returns (uint64 h) {
        uint256 leaves = (len + 31) / 32;
        while ((uint256(1) << h) < leaves) ++h;
    }

    /// At `(i−1, i)`: the claimant shows that state i differs from state i−1 only at leaf i
    /// (holding `outputRoot`), gives node i's descriptor, and the root of its output's data.
    function proveNode(
        uint256 gameId,
        bytes32 outputRoot,
        bytes32[16] calldata stateSiblings,
        bytes calldata descriptor,
        bytes32[16] calldata descriptorProof,
        bytes32 dataRoot
    ) external {
        Game storage g = _begin(gameId, true);
        if (g.phase != Phase.Nodes || g.hi - g.lo != 1) revert WrongMove();
        uint64 i = g.hi;
        if (
            Merkle.rootFromProof16(0, i, stateSiblings) != g.loValue
                || Merkle.rootFromProof16(outputRoot, i, stateSiblings) != g.hiValue
                || Merkle.rootFromProof16(keccak256(descriptor), i, descriptorProof) != g.graphRoot
        ) revert InvalidProof();
        uint256 len = Descriptor.outputBytes(descriptor);
        uint64 h0 = dataHeight(len);
        if (Merkle.foldLeft(dataRoot, h0, Merkle.TENSOR_DEPTH) != outputRoot) revert InvalidProof();
        g.node = i;
        g.agreedStateRoot = g.loValue;
        g.descriptorHash = keccak256(descriptor);
        g.outputBytes = uint64(len);
        g.phase = Phase.Descent;
        g.index = 0;
        uint64 t = tileHeight;
        if (h0 <= t) {
            g.height = t;
            g.value = Merkle.foldLeft(dataRoot, h0, t);
        } else {
            g.height = h0;
            g.value = dataRoot;
        }
        emit NodeProven(gameId, i, outputRoot, uint64(len));
        _afterDescentStep(gameId, g);
    }

    /// The claimant reveals the descendants `w` levels below the disputed subtree.
    function revealChildren(uint256 gameId, bytes32[] calldata children) external {
        Game storage g = _begin(gameId, true);
        uint64 t = tileHeight;
        if (g.phase != Phase.Descent || g.revealed != 0 || g.height <= t) revert WrongMove();
        uint64 w = descentWidthLog2 < g.height - t ? descentWidthLog2 : g.height - t;
        if (children.length != uint256(1) << w) revert InvalidReveal();
        bytes32[] memory level = children;
        for (uint256 n = level.length; n > 1; n /= 2) {
            for (uint256 k = 0; k < n / 2; ++k) {
                level[k] = Merkle.hashPair(level[2 * k], level[2 * k + 1]);
            }
        }
        if (level[0] != g.value) revert InvalidProof();
        g.revealed = keccak256(abi.encodePacked(children));
        _passTurn(g);
        emit ChildrenRevealed(gameId, children);
    }

    /// The challenger picks the child it disputes.
    function chooseChild(uint256 gameId, bytes32[] calldata children, uint256 child) external {
        Game storage g = _begin(gameId, false);
        if (g.phase != Phase.Descent) revert WrongMove();
        if (g.revealed == 0 || keccak256(abi.encodePacked(children)) != g.revealed) revert RevealMismatch();
        if (child >= children.length) revert InvalidReveal();
        uint64 w = 0;
        while ((uint256(1) << w) < children.length) ++w;
        g.height -= w;
        g.index = (g.index << w) + uint64(child);
        g.value = children[child];
        g.revealed = 0;
        _passTurn(g);
        emit ChildChosen(gameId, child, g.height, g.index);
        _afterDescentStep(gameId, g);
    }

    /// After a descent step the claimant moves; a tile past the output's end is decided at once.
    function _afterDescentStep(uint256 gameId, Game storage g) internal {
        g.claimantToMove = true;
        g.turnStartedAt = uint64(block.timestamp);
        uint64 t = tileHeight;
        if (g.height == t && (uint256(g.index) << t) * 32 >= g.outputBytes) {
            _resolve(gameId, g, g.value == Merkle.zeroHash(t));
        }
    }

    // ---------------------------------------------------------------------------------------
    // The instruction level
    // ---------------------------------------------------------------------------------------

    /// The claimant opens the tile's execution: the contract derives the initial VM state from
    /// the descriptor and the inputs' roots (docs/spec.md §9.2) and checks the asserted final
    /// state: exited with 0 at step `steps`, slot 15 holding exactly the disputed tile.
    function openExecution(
        uint256 gameId,
        bytes calldata descriptor,
        bytes32[] calldata inputRoots,
        bytes32[16][] calldata inputProofs,
        bytes calldata finalState,
        bytes32[4] calldata slotSiblings,
        uint64 steps
    ) external {
        Game storage g = _begin(gameId, true);
        if (g.phase != Phase.Descent || g.height != tileHeight) revert WrongMove();
        if (keccak256(descriptor) != g.descriptorHash) revert InvalidDescriptor();
        bytes32 initial = _initialState(g, descriptor, inputRoots, inputProofs);
        _checkFinalState(g, finalState, slotSiblings, steps);
        bytes32 fin = keccak256(finalState);
        g.phase = Phase.Steps;
        (g.lo, g.hi) = (0, steps);
        (g.loValue, g.hiValue) = (initial, fin);
        g.turnStartedAt = uint64(block.timestamp);
        emit ExecutionOpened(gameId, initial, fin, steps);
    }

    /// keccak256 of the initial VM state of the disputed tile's job.
    function _initialState(
        Game storage g,
        bytes calldata descriptor,
        bytes32[] calldata inputRoots,
        bytes32[16][] calldata inputProofs
    ) internal view returns (bytes32) {
        uint256 n = Descriptor.inputCount(descriptor);
        if (inputRoots.length != n || inputProofs.length != n) revert InvalidProof();
        bytes32[16] memory slots;
        bytes32 z23 = Merkle.zeroHash(Merkle.TENSOR_DEPTH);
        for (uint256 s = 0; s < 16; ++s) {
            slots[s] = z23;
        }
        slots[0] = programRoot;
        for (uint256 k = 0; k < n; ++k) {
            uint256 src = Descriptor.source(descriptor, k);
            bool isWeight = src & Descriptor.WEIGHT_SOURCE_BIT != 0;
            uint256 index = src & ~Descriptor.WEIGHT_SOURCE_BIT;
            bytes32 expected = isWeight ? g.weightsRoot : g.agreedStateRoot;
            if (Merkle.rootFromProof16(inputRoots[k], index, inputProofs[k]) != expected) revert InvalidProof();
            slots[5 + k] = inputRoots[k];
        }
        uint256 size = uint256(32) << tileHeight;
        uint256 start = uint256(g.index) * size;
        uint256 end = start + size < g.outputBytes ? start + size : g.outputBytes;
        slots[4] = Merkle.tensorRoot(Descriptor.job(descriptor, start, end));
        for (uint256 width = 16; width > 1; width /= 2) {
            for (uint256 k = 0; k < width / 2; ++k) {
                slots[k] = Merkle.hashPair(slots[2 * k], slots[2 * k + 1]);
            }
        }
        // §4 packing: memory root, pc, step 0, running, code 0, x1 = 0, x2 = sp, x3..x31 = 0.
        return keccak256(
            abi.encodePacked(
                slots[0], programEntry, uint64(0), uint8(0), uint32(0), uint32(0), STACK_TOP, new bytes(116)
            )
        );
    }

    /// Checks a packed final state: 173 bytes, exited with code 0 at step `steps`, its memory
    /// root holding the expected slot-15 root.
    function _checkFinalState(Game storage g, bytes calldata s, bytes32[4] calldata siblings, uint64 steps)
        internal
        view
    {
        if (s.length != 173 || steps == 0) revert InvalidFinalState();
        if (uint64(bytes8(s[36:44])) != steps || uint8(s[44]) != 1 || bytes4(s[45:49]) != 0) {
            revert InvalidFinalState();
        }
        // Slot 15 is the tile folded up with zero siblings.
        uint64 t = tileHeight;
        bytes32 node = g.value;
        for (uint256 h = t; h < Merkle.TENSOR_DEPTH; ++h) {
            node = (g.index >> (h - t)) & 1 == 0
                ? Merkle.hashPair(node, Merkle.zeroHash(h))
                : Merkle.hashPair(Merkle.zeroHash(h), node);
        }
        for (uint256 h = 0; h < 4; ++h) {
            node = (OUTPUT_SLOT >> h) & 1 == 0 ? Merkle.hashPair(node, siblings[h]) : Merkle.hashPair(siblings[h], node);
        }
        if (node != bytes32(s[0:32])) revert InvalidProof();
    }

    /// At `(s, s+1)`: runs the step on the agreed pre-state (anyone); the claimant wins iff the
    /// post-state hash is its hash at s+1.
    function resolveStep(uint256 gameId, bytes calldata preState, bytes calldata proof) external {
        if (gameId >= games.length) revert UnknownId();
        Game storage g = games[gameId];
        if (g.phase == Phase.Resolved) revert GameResolved();
        if (g.phase != Phase.Steps || g.hi - g.lo != 1) revert WrongMove();
        _charge(g);
        bytes32 post = step.verifyStep(g.loValue, preState, proof);
        _resolve(gameId, g, post == g.hiValue);
    }
}
