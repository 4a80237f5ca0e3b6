// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {IDisputeGame, IInferenceOracle} from "./utils/GameInterfaces.sol";
import {GameFixtures} from "./utils/GameFixtures.sol";

/// Tests of src/DisputeGame.sol: the golden games of challenger/tests/game_vectors.rs replayed
/// call by call (every outcome, the winner, the bonds), every move's revert paths, and fuzzed
/// properties of the dissection, the clocks and resolution.
contract DisputeGameTest is GameFixtures {
    // -----------------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------------

    /// Arguments of `openExecution`.
    struct Open {
        uint256 gameId;
        bytes descriptor;
        bytes32[] inputRoots;
        bytes32[16][] inputProofs;
        bytes finalState;
        bytes32[4] slotSiblings;
        uint64 steps;
    }

    /// Arguments of `proveNode`.
    struct Prove {
        uint256 gameId;
        bytes32 outputRoot;
        bytes32[16] stateSiblings;
        bytes descriptor;
        bytes32[16] descriptorProof;
        bytes32 dataRoot;
    }

    function decodeOpen(bytes memory data) internal pure returns (Open memory o) {
        (o.gameId, o.descriptor, o.inputRoots, o.inputProofs, o.finalState, o.slotSiblings, o.steps) =
            abi.decode(args(data), (uint256, bytes, bytes32[], bytes32[16][], bytes, bytes32[4], uint64));
    }

    function encodeOpen(Open memory o) internal pure returns (bytes memory) {
        return abi.encodeCall(
            IDisputeGame.openExecution,
            (o.gameId, o.descriptor, o.inputRoots, o.inputProofs, o.finalState, o.slotSiblings, o.steps)
        );
    }

    function decodeProve(bytes memory data) internal pure returns (Prove memory p) {
        (p.gameId, p.outputRoot, p.stateSiblings, p.descriptor, p.descriptorProof, p.dataRoot) =
            abi.decode(args(data), (uint256, bytes32, bytes32[16], bytes, bytes32[16], bytes32));
    }

    function encodeProve(Prove memory p) internal pure returns (bytes memory) {
        return abi.encodeCall(
            IDisputeGame.proveNode,
            (p.gameId, p.outputRoot, p.stateSiblings, p.descriptor, p.descriptorProof, p.dataRoot)
        );
    }

    /// The values of a reveal or choice (`(gameId, bytes32[] values, ...)`).
    function valuesOf(bytes memory data) internal pure returns (bytes32[] memory values) {
        bytes memory a = args(data);
        uint256 offset;
        assembly ("memory-safe") {
            offset := mload(add(a, 0x40))
        }
        uint256 n;
        assembly ("memory-safe") {
            n := mload(add(add(a, 0x20), offset))
        }
        values = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 v;
            assembly ("memory-safe") {
                v := mload(add(add(add(a, 0x40), offset), mul(i, 0x20)))
            }
            values[i] = v;
        }
    }

    function segmentOf(bytes memory data) internal pure returns (uint256 s) {
        (,, s) = abi.decode(args(data), (uint256, bytes32[], uint256));
    }

    function flip(bytes32 x) internal pure returns (bytes32) {
        return x ^ bytes32(uint256(1));
    }

    function game0(Env memory e) internal view returns (IDisputeGame.Game memory) {
        return e.game.getGame(0);
    }

    /// The moment after which the side to move in game `id` has used up its clock.
    function deadline(Env memory e, uint256 id) internal view returns (uint256) {
        IDisputeGame.Game memory g = e.game.getGame(id);
        return uint256(g.turnStartedAt) + (g.claimantToMove ? g.claimantClock : g.challengerClock);
    }

    /// Loads `path`, starts the game and advances to the `k`-th `fn` move; returns its calldata.
    function at(string memory path, string memory fn, uint256 k) internal returns (Env memory e, bytes memory data) {
        e = load(path);
        start(e);
        data = advanceToMove(e, fn, k);
    }

    /// Every move of the game API on game `id`, from the role it belongs to.
    function everyMove(uint256 id) internal pure returns (bytes[] memory calls, bool[] memory byClaimant) {
        bytes32[] memory one = new bytes32[](1);
        bytes32[] memory eight = new bytes32[](8);
        bytes32[16] memory z16;
        bytes32[4] memory z4;
        calls = new bytes[](10);
        byClaimant = new bool[](10);
        calls[0] = abi.encodeCall(IDisputeGame.revealNodes, (id, one));
        calls[1] = abi.encodeCall(IDisputeGame.chooseNode, (id, one, 0));
        calls[2] = abi.encodeCall(IDisputeGame.proveNode, (id, bytes32(0), z16, "", z16, bytes32(0)));
        calls[3] = abi.encodeCall(IDisputeGame.revealChildren, (id, eight));
        calls[4] = abi.encodeCall(IDisputeGame.chooseChild, (id, eight, 0));
        calls[5] = abi.encodeCall(
            IDisputeGame.openExecution, (id, "", new bytes32[](0), new bytes32[16][](0), new bytes(173), z4, 1)
        );
        calls[6] = abi.encodeCall(IDisputeGame.revealSteps, (id, one));
        calls[7] = abi.encodeCall(IDisputeGame.chooseStep, (id, one, 0));
        calls[8] = abi.encodeCall(IDisputeGame.resolveStep, (id, new bytes(173), ""));
        calls[9] = abi.encodeCall(IDisputeGame.timeout, (id));
        for (uint256 i = 0; i < 10; ++i) {
            byClaimant[i] = i == 0 || i == 2 || i == 3 || i == 5 || i == 6;
        }
    }

    function sameGame(IDisputeGame.Game memory a, IDisputeGame.Game memory b) internal pure returns (bool) {
        return keccak256(abi.encode(a)) == keccak256(abi.encode(b));
    }

    /// Replays fixture `path` and checks every call, the winner and the bonds.
    function checkReplay(string memory path) internal {
        Env memory e = load(path);
        (uint256 claimId,) = start(e);
        replay(e, 0, e.calls.length, 0);
        IDisputeGame.Game memory g = game0(e);
        vm.assertEq(uint256(g.phase), uint256(IDisputeGame.Phase.Resolved), "resolved");
        bool claimantWon = vm.parseJsonBool(e.json, ".claimantWon");
        vm.assertEq(g.claimantWon, claimantWon, "winner");
        vm.assertEq(e.oracle.balances(CLAIMANT), vm.parseJsonUint(e.json, ".claimantBalance"), "claimant's balance");
        vm.assertEq(
            e.oracle.balances(CHALLENGER), vm.parseJsonUint(e.json, ".challengerBalance"), "challenger's balance"
        );
        vm.assertEq(
            e.oracle.balances(CLAIMANT) + e.oracle.balances(CHALLENGER),
            claimantWon ? e.challengeBond : e.claimBond + e.challengeBond,
            "the winner holds the game's bonds"
        );
        IInferenceOracle.Claim memory c = e.oracle.getClaim(claimId);
        vm.assertEq(c.openGames, 0, "no open game");
        vm.assertEq(
            uint256(c.state),
            uint256(claimantWon ? IInferenceOracle.ClaimState.Open : IInferenceOracle.ClaimState.Defeated),
            "claim state"
        );
        // Everything the oracle holds: the won bonds, and the claim bond of an undefeated claim.
        vm.assertEq(
            address(e.oracle).balance,
            e.oracle.balances(CLAIMANT) + e.oracle.balances(CHALLENGER) + (claimantWon ? e.claimBond : 0),
            "oracle balance"
        );
        // The ended game's last successful call is the fixture's `endedBy`.
        string memory endedBy = vm.parseJsonString(e.json, ".endedBy");
        uint256 last;
        for (uint256 i = 0; i < e.calls.length; ++i) {
            if (bytes(e.calls[i].error).length == 0) last = i;
        }
        vm.assertEq(e.calls[last].fn, endedBy, "ended by");
    }

    // -----------------------------------------------------------------------------------------
    // Golden games
    // -----------------------------------------------------------------------------------------

    function test_replay_mlpHonest_succeeds() public {
        checkReplay(MLP_HONEST);
    }

    function test_replay_mlpLie_succeeds() public {
        checkReplay(MLP_LIE);
    }

    function test_replay_mlpTimeout_succeeds() public {
        checkReplay(MLP_TIMEOUT);
    }

    function test_replay_pastEndLie_succeeds() public {
        checkReplay(PAST_END_LIE);
    }

    function test_replay_pastEndHonest_succeeds() public {
        checkReplay(PAST_END_HONEST);
    }

    /// A game that is not the first: the same moves with the game id patched, beside another.
    function test_replay_secondGame_succeeds() public {
        Env memory e = load(MLP_HONEST);
        (uint256 claimId,) = start(e);
        uint256 second = challengeFrom(e, claimId, ANYONE);
        vm.assertEq(second, 1, "second game");
        // The fixture's challenger is ANYONE here: replay its calls from ANYONE.
        for (uint256 i = 0; i < e.calls.length; ++i) {
            Call memory c = e.calls[i];
            if (bytes(c.error).length != 0) continue;
            address from = eq(c.sender, "challenger") ? ANYONE : senderOf(c.sender);
            (bool ok,) = send(e, from, T0 + c.time, withGameId(c.data, 1));
            vm.assertTrue(ok, c.fn);
        }
        vm.assertEq(uint256(e.game.getGame(1).phase), uint256(IDisputeGame.Phase.Resolved), "second resolved");
        vm.assertEq(uint256(game0(e).phase), uint256(IDisputeGame.Phase.Nodes), "first untouched");
        vm.assertEq(e.oracle.balances(CLAIMANT), e.challengeBond, "claimant won the second game");
    }

    /// Every move emits its event; GameEnded reports the winner.
    function test_resolveStep_emitsGameEnded_succeeds() public {
        (Env memory e, bytes memory data) = at(MLP_HONEST, "resolveStep", 0);
        vm.expectEmit(true, false, false, true, address(e.game));
        emit IDisputeGame.GameEnded(0, true);
        expectOk(e, ANYONE, data);
    }

    function test_revealNodes_emitsNodesRevealed_succeeds() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealNodes", 0);
        vm.expectEmit(true, false, false, true, address(e.game));
        emit IDisputeGame.NodesRevealed(0, valuesOf(data));
        expectOk(e, CLAIMANT, data);
    }

    // -----------------------------------------------------------------------------------------
    // Sweeps over every move of the golden games
    // -----------------------------------------------------------------------------------------

    /// Before every move: a stranger, and the other side, are not its sender.
    function test_moves_wrongSender_reverts() public {
        string[2] memory paths = [MLP_LIE, PAST_END_LIE];
        for (uint256 p = 0; p < 2; ++p) {
            Env memory e = load(paths[p]);
            start(e);
            for (uint256 i = 0; i < e.calls.length; ++i) {
                Call memory c = e.calls[i];
                if (bytes(c.error).length != 0) continue;
                if (!eq(c.fn, "resolveStep") && !eq(c.fn, "timeout")) {
                    vm.warp(T0 + c.time);
                    expectError(e, STRANGER, c.data, "Unauthorized");
                    address other = eq(c.sender, "claimant") ? CHALLENGER : CLAIMANT;
                    expectError(e, other, c.data, "Unauthorized");
                }
                replayCall(e, i, 0);
            }
        }
    }

    /// Before every move: sent once the mover's clock has run out, it is rejected.
    function test_moves_clockExpired_reverts() public {
        string[2] memory paths = [MLP_LIE, PAST_END_LIE];
        for (uint256 p = 0; p < 2; ++p) {
            Env memory e = load(paths[p]);
            start(e);
            for (uint256 i = 0; i < e.calls.length; ++i) {
                Call memory c = e.calls[i];
                if (bytes(c.error).length != 0) continue;
                if (!eq(c.fn, "timeout")) {
                    vm.warp(deadline(e, 0) + 1);
                    expectError(e, senderOf(c.sender), c.data, "ClockExpired");
                }
                replayCall(e, i, 0);
            }
        }
    }

    /// A move at the last second of the mover's clock is accepted.
    function test_revealNodes_atDeadline_succeeds() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealNodes", 0);
        vm.warp(deadline(e, 0));
        expectOk(e, CLAIMANT, data);
        IDisputeGame.Game memory g = game0(e);
        vm.assertEq(g.claimantClock, 0, "claimant's clock used up");
        vm.assertEq(g.challengerClock, e.params.clockBudget, "challenger's clock untouched");
    }

    // -----------------------------------------------------------------------------------------
    // revealNodes / chooseNode
    // -----------------------------------------------------------------------------------------

    function test_revealNodes_wrongTurn_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealNodes", 0);
        expectOk(e, CLAIMANT, data);
        expectError(e, CLAIMANT, data, "WrongMove");
    }

    function test_revealNodes_wrongSender_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealNodes", 0);
        expectError(e, CHALLENGER, data, "Unauthorized");
        expectError(e, STRANGER, data, "Unauthorized");
    }

    function test_revealNodes_wrongLength_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealNodes", 0);
        bytes32[] memory v = valuesOf(data);
        expectError(
            e, CLAIMANT, abi.encodeCall(IDisputeGame.revealNodes, (0, new bytes32[](v.length + 1))), "InvalidReveal"
        );
        expectError(e, CLAIMANT, abi.encodeCall(IDisputeGame.revealNodes, (0, new bytes32[](0))), "InvalidReveal");
    }

    function test_revealNodes_clockExpired_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealNodes", 0);
        vm.warp(deadline(e, 0) + 1);
        expectError(e, CLAIMANT, data, "ClockExpired");
    }

    function test_revealNodes_unknownGame_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealNodes", 0);
        expectError(e, CLAIMANT, withGameId(data, 1), "UnknownId");
    }

    function test_revealNodes_afterProveNode_reverts() public {
        (Env memory e,) = at(MLP_LIE, "openExecution", 0);
        expectError(e, CLAIMANT, abi.encodeCall(IDisputeGame.revealNodes, (0, new bytes32[](1))), "WrongMove");
    }

    function test_chooseNode_wrongTurn_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "chooseNode", 0);
        expectOk(e, CHALLENGER, data);
        // The claimant is to move: the challenger's move is out of turn, from anyone.
        expectError(e, CHALLENGER, data, "WrongMove");
        expectError(e, CLAIMANT, data, "WrongMove");
    }

    function test_chooseNode_wrongSender_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "chooseNode", 0);
        expectError(e, CLAIMANT, data, "Unauthorized");
        expectError(e, STRANGER, data, "Unauthorized");
    }

    function test_chooseNode_alteredList_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "chooseNode", 0);
        bytes32[] memory v = valuesOf(data);
        v[v.length - 1] = flip(v[v.length - 1]);
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseNode, (0, v, 0)), "RevealMismatch");
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseNode, (0, new bytes32[](0), 0)), "RevealMismatch");
    }

    function test_chooseNode_segmentOutOfRange_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "chooseNode", 0);
        bytes32[] memory v = valuesOf(data);
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseNode, (0, v, v.length + 1)), "InvalidReveal");
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseNode, (0, v, type(uint256).max)), "InvalidReveal");
        // The last segment is in range.
        expectOk(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseNode, (0, v, v.length)));
    }

    function test_chooseNode_beforeReveal_reverts() public {
        Env memory e = load(MLP_LIE);
        start(e);
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseNode, (0, new bytes32[](1), 0)), "WrongMove");
    }

    // -----------------------------------------------------------------------------------------
    // proveNode
    // -----------------------------------------------------------------------------------------

    function test_proveNode_duringDissection_reverts() public {
        (Env memory e,) = at(MLP_LIE, "revealNodes", 0);
        bytes memory prove = e.calls[moveIndex(e, "proveNode", 0)].data;
        expectError(e, CLAIMANT, prove, "WrongMove");
    }

    function test_proveNode_wrongSender_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "proveNode", 0);
        expectError(e, CHALLENGER, data, "Unauthorized");
    }

    function test_proveNode_badStateProof_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "proveNode", 0);
        for (uint256 h = 0; h < 16; h += 5) {
            Prove memory p = decodeProve(data);
            p.stateSiblings[h] = flip(p.stateSiblings[h]);
            expectError(e, CLAIMANT, encodeProve(p), "InvalidProof");
        }
    }

    function test_proveNode_wrongOutputRoot_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "proveNode", 0);
        Prove memory p = decodeProve(data);
        p.outputRoot = flip(p.outputRoot);
        expectError(e, CLAIMANT, encodeProve(p), "InvalidProof");
        // The zero leaf: "state i equals state i−1".
        p.outputRoot = 0;
        expectError(e, CLAIMANT, encodeProve(p), "InvalidProof");
    }

    function test_proveNode_badDescriptorProof_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "proveNode", 0);
        Prove memory p = decodeProve(data);
        p.descriptorProof[15] = flip(p.descriptorProof[15]);
        expectError(e, CLAIMANT, encodeProve(p), "InvalidProof");
    }

    function test_proveNode_otherDescriptor_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "proveNode", 0);
        Prove memory p = decodeProve(data);
        p.descriptor[p.descriptor.length - 1] ^= 0x01;
        expectError(e, CLAIMANT, encodeProve(p), "InvalidProof");
    }

    function test_proveNode_badDataRoot_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "proveNode", 0);
        Prove memory p = decodeProve(data);
        p.dataRoot = flip(p.dataRoot);
        expectError(e, CLAIMANT, encodeProve(p), "InvalidProof");
    }

    function test_proveNode_valid_succeeds() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "proveNode", 0);
        expectOk(e, CLAIMANT, data);
        IDisputeGame.Game memory g = game0(e);
        vm.assertEq(uint256(g.phase), uint256(IDisputeGame.Phase.Descent), "descent");
        vm.assertEq(g.node, 1, "node 1 disputed");
        vm.assertEq(g.outputBytes, 96, "its output has 96 bytes");
        vm.assertEq(g.height, 2, "data subtree of 4 leaves");
        vm.assertTrue(g.claimantToMove, "the claimant reveals next");
    }

    // -----------------------------------------------------------------------------------------
    // revealChildren / chooseChild (output descent)
    // -----------------------------------------------------------------------------------------

    function test_revealChildren_badChildren_reverts() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "revealChildren", 0);
        bytes32[] memory c = valuesOf(data);
        for (uint256 i = 0; i < c.length; ++i) {
            bytes32[] memory altered = valuesOf(data);
            altered[i] = flip(altered[i]);
            expectError(e, CLAIMANT, abi.encodeCall(IDisputeGame.revealChildren, (0, altered)), "InvalidProof");
        }
        expectOk(e, CLAIMANT, data);
    }

    function test_revealChildren_wrongLength_reverts() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "revealChildren", 0);
        bytes32[] memory c = valuesOf(data);
        expectError(
            e, CLAIMANT, abi.encodeCall(IDisputeGame.revealChildren, (0, new bytes32[](c.length * 2))), "InvalidReveal"
        );
        expectError(
            e, CLAIMANT, abi.encodeCall(IDisputeGame.revealChildren, (0, new bytes32[](c.length - 1))), "InvalidReveal"
        );
        expectError(e, CLAIMANT, abi.encodeCall(IDisputeGame.revealChildren, (0, new bytes32[](0))), "InvalidReveal");
    }

    function test_revealChildren_wrongTurn_reverts() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "revealChildren", 0);
        expectOk(e, CLAIMANT, data);
        expectError(e, CLAIMANT, data, "WrongMove");
    }

    function test_revealChildren_duringNodes_reverts() public {
        (Env memory e,) = at(PAST_END_LIE, "proveNode", 0);
        expectError(e, CLAIMANT, abi.encodeCall(IDisputeGame.revealChildren, (0, new bytes32[](4))), "WrongMove");
    }

    function test_revealChildren_wrongSender_reverts() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "revealChildren", 0);
        expectError(e, CHALLENGER, data, "Unauthorized");
    }

    function test_chooseChild_alteredList_reverts() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "chooseChild", 0);
        bytes32[] memory c = valuesOf(data);
        c[0] = flip(c[0]);
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseChild, (0, c, 0)), "RevealMismatch");
    }

    function test_chooseChild_childOutOfRange_reverts() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "chooseChild", 0);
        bytes32[] memory c = valuesOf(data);
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseChild, (0, c, c.length)), "InvalidReveal");
    }

    function test_chooseChild_wrongSender_reverts() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "chooseChild", 0);
        expectError(e, CLAIMANT, data, "Unauthorized");
    }

    function test_chooseChild_wrongTurn_reverts() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "revealChildren", 0);
        bytes32[] memory c = valuesOf(data);
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseChild, (0, c, 0)), "WrongMove");
        expectError(e, CLAIMANT, abi.encodeCall(IDisputeGame.chooseChild, (0, c, 0)), "WrongMove");
    }

    /// A leaf inside the output goes on to the execution of its tile.
    function test_chooseChild_insideOutput_succeeds() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "chooseChild", 0);
        bytes32[] memory c = valuesOf(data);
        expectOk(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseChild, (0, c, 2)));
        IDisputeGame.Game memory g = game0(e);
        vm.assertEq(uint256(g.phase), uint256(IDisputeGame.Phase.Descent), "still in the descent");
        vm.assertEq(g.height, 0, "at the tile height");
        vm.assertEq(g.index, 2, "leaf 2");
        vm.assertTrue(g.claimantToMove, "the claimant opens the execution");
    }

    /// The leaf past the output's end decides the game at once: anything but zero there loses.
    function test_chooseChild_pastEndJunk_succeeds() public {
        (Env memory e, bytes memory data) = at(PAST_END_LIE, "chooseChild", 0);
        vm.expectEmit(true, false, false, true, address(e.game));
        emit IDisputeGame.GameEnded(0, false);
        expectOk(e, CHALLENGER, data);
        vm.assertEq(e.oracle.balances(CHALLENGER), e.claimBond + e.challengeBond, "challenger paid");
    }

    // -----------------------------------------------------------------------------------------
    // openExecution
    // -----------------------------------------------------------------------------------------

    function test_openExecution_wrongDescriptor_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "openExecution", 0);
        Open memory o = decodeOpen(data);
        o.descriptor[0] ^= 0x01;
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidDescriptor");
        o.descriptor = "";
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidDescriptor");
    }

    function test_openExecution_badInputProof_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "openExecution", 0);
        Open memory o = decodeOpen(data);
        for (uint256 k = 0; k < o.inputRoots.length; ++k) {
            Open memory a = decodeOpen(data);
            a.inputRoots[k] = flip(a.inputRoots[k]);
            expectError(e, CLAIMANT, encodeOpen(a), "InvalidProof");
            Open memory b = decodeOpen(data);
            b.inputProofs[k][k] = flip(b.inputProofs[k][k]);
            expectError(e, CLAIMANT, encodeOpen(b), "InvalidProof");
        }
    }

    function test_openExecution_wrongInputCount_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "openExecution", 0);
        Open memory o = decodeOpen(data);
        o.inputRoots = new bytes32[](o.inputRoots.length - 1);
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidProof");
        o = decodeOpen(data);
        o.inputProofs = new bytes32[16][](o.inputProofs.length + 1);
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidProof");
    }

    function test_openExecution_wrongSteps_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "openExecution", 0);
        Open memory o = decodeOpen(data);
        o.steps += 1;
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidFinalState");
        o.steps = 0;
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidFinalState");
    }

    function test_openExecution_notExited_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "openExecution", 0);
        Open memory o = decodeOpen(data);
        o.finalState[44] = 0x00; // running
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidFinalState");
        o.finalState[44] = 0x02; // faulted
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidFinalState");
        o = decodeOpen(data);
        o.finalState[48] = 0x01; // exit code 1
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidFinalState");
    }

    function test_openExecution_wrongStateLength_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "openExecution", 0);
        Open memory o = decodeOpen(data);
        o.finalState = bytes.concat(o.finalState, hex"00");
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidFinalState");
        o.finalState = new bytes(172);
        expectError(e, CLAIMANT, encodeOpen(o), "InvalidFinalState");
    }

    function test_openExecution_badSlotSiblings_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "openExecution", 0);
        for (uint256 h = 0; h < 4; ++h) {
            Open memory o = decodeOpen(data);
            o.slotSiblings[h] = flip(o.slotSiblings[h]);
            expectError(e, CLAIMANT, encodeOpen(o), "InvalidProof");
        }
        Open memory m = decodeOpen(data);
        m.finalState[31] ^= 0x01; // the memory root
        expectError(e, CLAIMANT, encodeOpen(m), "InvalidProof");
    }

    function test_openExecution_beforeTile_reverts() public {
        (Env memory e,) = at(PAST_END_LIE, "revealChildren", 0);
        (bytes[] memory calls,) = everyMove(0);
        expectError(e, CLAIMANT, calls[5], "WrongMove");
    }

    function test_openExecution_wrongSender_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "openExecution", 0);
        expectError(e, CHALLENGER, data, "Unauthorized");
        expectError(e, STRANGER, data, "Unauthorized");
    }

    function test_openExecution_twice_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "openExecution", 0);
        expectOk(e, CLAIMANT, data);
        expectError(e, CLAIMANT, data, "WrongMove");
    }

    // -----------------------------------------------------------------------------------------
    // revealSteps / chooseStep
    // -----------------------------------------------------------------------------------------

    function test_revealSteps_wrongLength_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealSteps", 0);
        bytes32[] memory v = valuesOf(data);
        expectError(
            e, CLAIMANT, abi.encodeCall(IDisputeGame.revealSteps, (0, new bytes32[](v.length - 1))), "InvalidReveal"
        );
        expectError(
            e, CLAIMANT, abi.encodeCall(IDisputeGame.revealSteps, (0, new bytes32[](v.length + 1))), "InvalidReveal"
        );
    }

    function test_revealSteps_duringNodes_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealNodes", 0);
        expectError(e, CLAIMANT, abi.encodeCall(IDisputeGame.revealSteps, (0, valuesOf(data))), "WrongMove");
    }

    function test_revealSteps_wrongSender_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealSteps", 0);
        expectError(e, CHALLENGER, data, "Unauthorized");
    }

    function test_revealSteps_wrongTurn_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "revealSteps", 0);
        expectOk(e, CLAIMANT, data);
        expectError(e, CLAIMANT, data, "WrongMove");
    }

    function test_chooseStep_alteredList_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "chooseStep", 0);
        bytes32[] memory v = valuesOf(data);
        v[0] = flip(v[0]);
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseStep, (0, v, segmentOf(data))), "RevealMismatch");
    }

    function test_chooseStep_segmentOutOfRange_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "chooseStep", 0);
        bytes32[] memory v = valuesOf(data);
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseStep, (0, v, v.length + 1)), "InvalidReveal");
    }

    function test_chooseStep_wrongSender_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "chooseStep", 0);
        expectError(e, CLAIMANT, data, "Unauthorized");
    }

    function test_chooseStep_duringNodes_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "chooseNode", 0);
        expectError(e, CHALLENGER, abi.encodeCall(IDisputeGame.chooseStep, (0, valuesOf(data), 0)), "WrongMove");
    }

    // -----------------------------------------------------------------------------------------
    // resolveStep
    // -----------------------------------------------------------------------------------------

    function resolveArgs(bytes memory data) internal pure returns (bytes memory pre, bytes memory proof) {
        (, pre, proof) = abi.decode(args(data), (uint256, bytes, bytes));
    }

    function test_resolveStep_badPreState_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "resolveStep", 0);
        (bytes memory pre, bytes memory proof) = resolveArgs(data);
        pre[100] ^= 0x01;
        // The step verifier's error bubbles up.
        expectError(e, ANYONE, abi.encodeCall(IDisputeGame.resolveStep, (0, pre, proof)), "PreStateMismatch");
        // A state of the wrong length cannot hash to the agreed one either.
        expectError(e, ANYONE, abi.encodeCall(IDisputeGame.resolveStep, (0, new bytes(172), proof)), "PreStateMismatch");
    }

    function test_resolveStep_badProof_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "resolveStep", 0);
        (bytes memory pre, bytes memory proof) = resolveArgs(data);
        bytes memory shorter = new bytes(proof.length - 1);
        for (uint256 i = 0; i < shorter.length; ++i) {
            shorter[i] = proof[i];
        }
        expectError(e, ANYONE, abi.encodeCall(IDisputeGame.resolveStep, (0, pre, shorter)), "InvalidProofLength");
        proof[proof.length - 1] ^= 0x01;
        expectError(e, ANYONE, abi.encodeCall(IDisputeGame.resolveStep, (0, pre, proof)), "InvalidMemoryProof");
    }

    function test_resolveStep_duringDissection_reverts() public {
        (Env memory e,) = at(MLP_LIE, "revealSteps", 0);
        bytes memory resolve = e.calls[moveIndex(e, "resolveStep", 0)].data;
        expectError(e, ANYONE, resolve, "WrongMove");
        // In the node phase, even with the clock run out, it is the wrong move (not a late one).
        Env memory f = load(MLP_LIE);
        start(f);
        vm.warp(deadline(f, 0) + 1);
        expectError(f, ANYONE, resolve, "WrongMove");
    }

    function test_resolveStep_clockExpired_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "resolveStep", 0);
        vm.warp(deadline(e, 0) + 1);
        expectError(e, ANYONE, data, "ClockExpired");
        // The game then ends by timeout against the claimant, who is to move.
        expectOk(e, ANYONE, abi.encodeCall(IDisputeGame.timeout, (0)));
        vm.assertTrue(!game0(e).claimantWon, "challenger won");
    }

    function test_resolveStep_byAnyone_succeeds() public {
        (Env memory e, bytes memory data) = at(MLP_HONEST, "resolveStep", 0);
        expectOk(e, STRANGER, data);
        vm.assertTrue(game0(e).claimantWon, "the honest claimant won");
    }

    function test_resolveStep_afterResolution_reverts() public {
        (Env memory e, bytes memory data) = at(MLP_LIE, "resolveStep", 0);
        expectOk(e, CHALLENGER, data);
        expectError(e, ANYONE, data, "GameResolved");
    }

    // -----------------------------------------------------------------------------------------
    // timeout, createGame, views
    // -----------------------------------------------------------------------------------------

    function test_timeout_early_reverts() public {
        Env memory e = load(MLP_LIE);
        start(e);
        expectError(e, ANYONE, abi.encodeCall(IDisputeGame.timeout, (0)), "ClockNotExpired");
        vm.warp(deadline(e, 0));
        expectError(e, ANYONE, abi.encodeCall(IDisputeGame.timeout, (0)), "ClockNotExpired");
        vm.warp(deadline(e, 0) + 1);
        expectOk(e, ANYONE, abi.encodeCall(IDisputeGame.timeout, (0)));
        vm.assertTrue(!game0(e).claimantWon, "the claimant timed out");
    }

    function test_timeout_challengerExpired_succeeds() public {
        (Env memory e,) = at(MLP_LIE, "chooseNode", 0);
        vm.warp(deadline(e, 0) + 1);
        expectOk(e, STRANGER, abi.encodeCall(IDisputeGame.timeout, (0)));
        vm.assertTrue(game0(e).claimantWon, "the challenger timed out");
        vm.assertEq(e.oracle.balances(CLAIMANT), e.challengeBond, "claimant paid");
    }

    function test_timeout_afterResolution_reverts() public {
        Env memory e = load(MLP_LIE);
        start(e);
        vm.warp(deadline(e, 0) + 1);
        expectOk(e, ANYONE, abi.encodeCall(IDisputeGame.timeout, (0)));
        expectError(e, ANYONE, abi.encodeCall(IDisputeGame.timeout, (0)), "GameResolved");
    }

    function test_timeout_unknownGame_reverts() public {
        Env memory e = load(MLP_LIE);
        start(e);
        expectError(e, ANYONE, abi.encodeCall(IDisputeGame.timeout, (1)), "UnknownId");
    }

    function test_createGame_stranger_reverts() public {
        Env memory e = load(MLP_LIE);
        expectError(
            e,
            STRANGER,
            abi.encodeCall(IDisputeGame.createGame, (0, CLAIMANT, CHALLENGER, 0, 0, 3, 0, 0)),
            "Unauthorized"
        );
        expectError(
            e,
            CLAIMANT,
            abi.encodeCall(IDisputeGame.createGame, (0, CLAIMANT, CHALLENGER, 0, 0, 3, 0, 0)),
            "Unauthorized"
        );
    }

    function test_getGame_unknown_reverts() public {
        Env memory e = load(MLP_LIE);
        vm.expectRevert(selectorOf("UnknownId"));
        e.game.getGame(0);
    }

    function test_constructor_invalidParams_reverts() public {
        string memory json = vm.readFile(MLP_LIE);
        IDisputeGame.Params memory p = readParams(json);
        // Each a copy (memory structs are references).
        IDisputeGame.Params[3] memory bad = [readParams(json), readParams(json), readParams(json)];
        bad[0].dissectionWidth = 1;
        bad[1].descentWidthLog2 = 0;
        bad[2].tileHeight = 24;
        bytes memory creation = vm.getCode("DisputeGame.sol:DisputeGame");
        for (uint256 i = 0; i < 3; ++i) {
            bytes memory code = bytes.concat(creation, abi.encode(address(1), bad[i]));
            address deployed;
            bytes memory ret;
            assembly ("memory-safe") {
                deployed := create(0, add(code, 0x20), mload(code))
                ret := mload(0x40)
                mstore(ret, returndatasize())
                returndatacopy(add(ret, 0x20), 0, returndatasize())
                mstore(0x40, add(add(ret, 0x20), returndatasize()))
            }
            vm.assertEq(deployed, address(0), "not deployed");
            vm.assertEq(ret, abi.encodeWithSelector(selectorOf("InvalidParams")), "InvalidParams");
        }
        // The defaults deploy.
        vm.deployCode("DisputeGame.sol:DisputeGame", abi.encode(address(1), p));
    }

    // -----------------------------------------------------------------------------------------
    // Fuzzed properties
    // -----------------------------------------------------------------------------------------

    /// `positions(lo, hi)`: `min(k, d) − 1` positions, strictly increasing, strictly inside.
    function test_positions_fuzzedInterval_succeeds(uint64 lo, uint64 d) public {
        Env memory e = load(MLP_LIE);
        lo = uint64(bound(lo, 0, type(uint64).max - 1));
        d = uint64(bound(d, 0, type(uint64).max - lo));
        uint64 hi = lo + d;
        uint64[] memory ps = e.game.positions(lo, hi);
        uint256 k = e.params.dissectionWidth;
        uint256 expected = d < 2 ? 0 : (d < k ? d : k) - 1;
        vm.assertEq(ps.length, expected, "count");
        uint64 prev = lo;
        for (uint256 j = 0; j < ps.length; ++j) {
            vm.assertGt(ps[j], prev, "strictly increasing, above lo");
            prev = ps[j];
        }
        if (ps.length > 0) vm.assertLt(ps[ps.length - 1], hi, "below hi");
    }

    /// A node dissection of any length ends at an interval of one: every choice narrows it to
    /// the chosen segment, within 6 rounds for 65,536 nodes; then a reveal is the wrong move.
    function test_chooseNode_fuzzedSegmentsShrink_succeeds(uint32 nodeCount, uint256 seed) public {
        Env memory e = load(MLP_LIE);
        IDisputeGame.Params memory p = e.params;
        // A game contract owned by this test: it creates games of any node count and is told
        // the results (onGameResolved below).
        IDisputeGame g = IDisputeGame(vm.deployCode("DisputeGame.sol:DisputeGame", abi.encode(e.step, p)));
        nodeCount = uint32(bound(nodeCount, 2, 65536));
        uint256 id = g.createGame(0, CLAIMANT, CHALLENGER, 0, 0, nodeCount, 0, 0);
        uint256 rounds = 0;
        while (true) {
            IDisputeGame.Game memory s = g.getGame(id);
            uint64 d = s.hi - s.lo;
            if (d < 2) break;
            uint64[] memory ps = g.positions(s.lo, s.hi);
            bytes32[] memory values = new bytes32[](ps.length);
            for (uint256 j = 0; j < values.length; ++j) {
                values[j] = keccak256(abi.encode(seed, rounds, j));
            }
            vm.prank(CLAIMANT);
            g.revealNodes(id, values);
            uint256 segment = uint256(keccak256(abi.encode(seed, rounds))) % (ps.length + 1);
            vm.prank(CHALLENGER);
            g.chooseNode(id, values, segment);
            IDisputeGame.Game memory t = g.getGame(id);
            vm.assertTrue(t.lo >= s.lo && t.hi <= s.hi, "inside the old interval");
            vm.assertLt(t.hi - t.lo, d, "shrinks");
            vm.assertGt(t.hi, t.lo, "not empty");
            vm.assertEq(t.lo, segment == 0 ? s.lo : ps[segment - 1], "lo");
            vm.assertEq(t.hi, segment == ps.length ? s.hi : ps[segment], "hi");
            if (segment > 0) vm.assertEq(t.loValue, values[segment - 1], "agreed value");
            if (segment < ps.length) vm.assertEq(t.hiValue, values[segment], "disputed value");
            ++rounds;
        }
        // A segment spans at most ⌈d/k⌉: 65,535 → 8,192 → 1,024 → 128 → 16 → 2 → 1.
        vm.assertLe(rounds, 6, "rounds");
        vm.prank(CLAIMANT);
        vm.expectRevert(selectorOf("WrongMove"));
        g.revealNodes(id, new bytes32[](1));
    }

    /// For `DisputeGame` instances owned by this test.
    function onGameResolved(uint256, bool) external {}

    /// A game resolved at any point (by timeout there, or by its last move) never changes:
    /// every move reverts with `GameResolved`, and the game and balances stay as they are.
    function test_resolvedGame_fuzzedEveryMove_reverts(uint256 cut, bool lie) public {
        Env memory e = load(lie ? MLP_LIE : PAST_END_LIE);
        start(e);
        uint256 moves = moveCount(e);
        cut = bound(cut, 0, moves);
        uint256 played = 0;
        for (uint256 i = 0; i < e.calls.length && played < cut; ++i) {
            if (bytes(e.calls[i].error).length != 0) continue;
            replayCall(e, i, 0);
            ++played;
        }
        if (game0(e).phase != IDisputeGame.Phase.Resolved) {
            vm.warp(deadline(e, 0) + 1);
            expectOk(e, ANYONE, abi.encodeCall(IDisputeGame.timeout, (0)));
        }
        IDisputeGame.Game memory before = game0(e);
        uint256 b1 = e.oracle.balances(CLAIMANT);
        uint256 b2 = e.oracle.balances(CHALLENGER);
        vm.warp(block.timestamp + 10 * e.params.clockBudget);
        (bytes[] memory calls, bool[] memory byClaimant) = everyMove(0);
        for (uint256 j = 0; j < calls.length; ++j) {
            expectError(e, byClaimant[j] ? CLAIMANT : CHALLENGER, calls[j], "GameResolved");
        }
        for (uint256 i = 0; i < e.calls.length; ++i) {
            expectError(e, senderOf(e.calls[i].sender), e.calls[i].data, "GameResolved");
        }
        vm.assertTrue(sameGame(before, game0(e)), "the game did not change");
        vm.assertEq(e.oracle.balances(CLAIMANT), b1, "claimant's balance");
        vm.assertEq(e.oracle.balances(CHALLENGER), b2, "challenger's balance");
    }

    /// In a live game, `timeout` succeeds once the side to move has spent its clock (in all,
    /// at most `clockBudget` after its turn began), and the other side wins.
    function test_timeout_fuzzedAfterBudget_succeeds(uint256 cut, uint256 late, uint8 which) public {
        string[3] memory paths = [MLP_LIE, PAST_END_LIE, MLP_HONEST];
        Env memory e = load(paths[which % 3]);
        start(e);
        uint256 moves = moveCount(e);
        cut = bound(cut, 0, moves);
        uint256 played = 0;
        for (uint256 i = 0; i < e.calls.length && played < cut; ++i) {
            if (bytes(e.calls[i].error).length != 0) continue;
            replayCall(e, i, 0);
            ++played;
        }
        IDisputeGame.Game memory g = game0(e);
        if (g.phase == IDisputeGame.Phase.Resolved) return;
        vm.assertLe(deadline(e, 0), uint256(g.turnStartedAt) + e.params.clockBudget, "within the budget");
        vm.warp(uint256(g.turnStartedAt) + e.params.clockBudget + 1 + bound(late, 0, 1e9));
        expectOk(e, ANYONE, abi.encodeCall(IDisputeGame.timeout, (0)));
        vm.assertEq(game0(e).claimantWon, !g.claimantToMove, "the side not to move wins");
        vm.assertEq(
            g.claimantToMove ? e.oracle.balances(CHALLENGER) : e.oracle.balances(CLAIMANT),
            g.claimantToMove ? e.claimBond + e.challengeBond : e.challengeBond,
            "the winner is paid"
        );
    }
}
