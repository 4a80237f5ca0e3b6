// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {IDisputeGame, IInferenceOracle, IConsumer} from "./utils/GameInterfaces.sol";
import {GameFixtures} from "./utils/GameFixtures.sol";

/// A consumer that asks for inferences and records the results it is told.
contract Consumer is IConsumer {
    uint256 public calls;
    uint256 public lastRequest;
    bytes public lastOutput;

    function request(IInferenceOracle oracle, uint256 modelId, bytes calldata input)
        external
        payable
        returns (uint256)
    {
        return oracle.requestInference{value: msg.value}(modelId, input);
    }

    function onInferenceResult(uint256 requestId, bytes calldata output) external virtual {
        calls += 1;
        lastRequest = requestId;
        lastOutput = output;
    }
}

/// A consumer whose callback always reverts.
contract RevertingConsumer is Consumer {
    function onInferenceResult(uint256, bytes calldata) external pure override {
        revert("no");
    }
}

/// A consumer whose callback spends all the gas it is given.
contract GasBurningConsumer is Consumer {
    function onInferenceResult(uint256, bytes calldata) external pure override {
        while (true) {}
    }
}

/// A player that cannot receive ether: its withdrawal fails.
contract RejectingPlayer {
    function challenge(IInferenceOracle oracle, uint256 claimId) external payable returns (uint256) {
        return oracle.challenge{value: msg.value}(claimId);
    }

    function withdraw(IInferenceOracle oracle) external {
        oracle.withdraw();
    }
}

/// Tests of src/InferenceOracle.sol: claims, challenges, finalization, requests and consumers,
/// bonds and withdrawals, with the golden claims of challenger/tests/game_vectors.rs.
contract InferenceOracleTest is GameFixtures {
    // -----------------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------------

    /// The lying claim of MLP_LIE (same model and input as MLP_HONEST's claim).
    struct Lie {
        bytes output;
        bytes32 finalStateRoot;
        bytes32[16] inputProof;
        bytes32[16] outputProof;
    }

    function lie() internal view returns (Lie memory l) {
        string memory json = vm.readFile(MLP_LIE);
        l.output = vm.parseJsonBytes(json, ".claim.output");
        l.finalStateRoot = vm.parseJsonBytes32(json, ".claim.finalStateRoot");
        l.inputProof = array16(vm.parseJsonBytes32Array(json, ".claim.inputProof"));
        l.outputProof = array16(vm.parseJsonBytes32Array(json, ".claim.outputProof"));
    }

    function submitLie(Env memory e, address from, uint256 requestId) internal returns (uint256) {
        Lie memory l = lie();
        vm.prank(from);
        return e.oracle.submitClaim{value: e.claimBond}(
            e.modelId, requestId, e.input, l.output, l.finalStateRoot, l.inputProof, l.outputProof
        );
    }

    function submitFrom(Env memory e, address from, uint256 requestId) internal returns (uint256) {
        vm.deal(from, from.balance + e.claimBond);
        vm.prank(from);
        return e.oracle.submitClaim{value: e.claimBond}(
            e.modelId, requestId, e.input, e.output, e.finalStateRoot, e.inputProof, e.outputProof
        );
    }

    function expectOracleError(Env memory e, address from, uint256 value, bytes memory data, string memory name)
        internal
    {
        vm.deal(from, from.balance + value);
        vm.prank(from);
        (bool ok, bytes memory ret) = address(e.oracle).call{value: value}(data);
        vm.assertTrue(!ok, string.concat("expected ", name, " but the call succeeded"));
        vm.assertEq(ret, abi.encodeWithSelector(selectorOf(name)), string.concat("expected ", name));
    }

    function submitCall(Env memory e, uint256 requestId, bytes memory output) internal pure returns (bytes memory) {
        return abi.encodeCall(
            IInferenceOracle.submitClaim,
            (e.modelId, requestId, e.input, output, e.finalStateRoot, e.inputProof, e.outputProof)
        );
    }

    function claimState(Env memory e, uint256 claimId) internal view returns (IInferenceOracle.ClaimState) {
        return e.oracle.getClaim(claimId).state;
    }

    /// Ends game `gameId` by the timeout of the claimant (challenger wins) or, after the
    /// claimant's first move (the fixture's, sent by `claimant`), of the challenger.
    function endByTimeout(Env memory e, uint256 gameId, address claimant, bool claimantWins) internal {
        IDisputeGame.Game memory s = e.game.getGame(gameId);
        if (claimantWins) {
            vm.assertTrue(s.claimantToMove && s.lo == 0 && s.revealed == 0, "the game has not begun");
            vm.prank(claimant);
            (bool ok,) = address(e.game).call(withGameId(e.calls[moveIndex(e, "revealNodes", 0)].data, gameId));
            vm.assertTrue(ok, "first reveal");
        }
        IDisputeGame.Game memory g = e.game.getGame(gameId);
        vm.warp(uint256(g.turnStartedAt) + (g.claimantToMove ? g.claimantClock : g.challengerClock) + 1);
        e.game.timeout(gameId);
    }

    /// Plays the fixture's game `gameId` to its end (its successful calls; the challenger's
    /// from `challenger`), keeping the current time as the game's start.
    function playFixture(Env memory e, uint256 gameId, address challenger) internal {
        uint256 t0 = block.timestamp;
        for (uint256 i = 0; i < e.calls.length; ++i) {
            Call memory c = e.calls[i];
            if (bytes(c.error).length != 0) continue;
            address from = eq(c.sender, "challenger") ? challenger : senderOf(c.sender);
            (bool ok,) = send(e, from, t0 + c.time, withGameId(c.data, gameId));
            vm.assertTrue(ok, c.fn);
        }
    }

    // -----------------------------------------------------------------------------------------
    // submitClaim
    // -----------------------------------------------------------------------------------------

    function test_submitClaim_valid_succeeds() public {
        Env memory e = load(MLP_HONEST);
        vm.expectEmit(true, true, true, true, address(e.oracle));
        emit IInferenceOracle.ClaimSubmitted(0, e.modelId, 0, CLAIMANT, e.input, e.output, e.finalStateRoot);
        uint256 id = submit(e);
        IInferenceOracle.Claim memory c = e.oracle.getClaim(id);
        vm.assertEq(c.claimant, CLAIMANT, "claimant");
        vm.assertEq(c.deadline, T0 + e.window, "deadline");
        vm.assertEq(c.inputRoot, e.inputRoot, "the Rust input root");
        vm.assertEq(c.outputHash, keccak256(e.output), "output hash");
        vm.assertEq(uint256(c.state), uint256(IInferenceOracle.ClaimState.Open), "open");
        vm.assertEq(address(e.oracle).balance, e.claimBond, "bond held");
    }

    function test_submitClaim_wrongBond_reverts() public {
        Env memory e = load(MLP_HONEST);
        expectOracleError(e, CLAIMANT, e.claimBond - 1, submitCall(e, 0, e.output), "WrongBond");
        expectOracleError(e, CLAIMANT, e.claimBond + 1, submitCall(e, 0, e.output), "WrongBond");
        expectOracleError(e, CLAIMANT, 0, submitCall(e, 0, e.output), "WrongBond");
    }

    function test_submitClaim_outputNotInRoot_reverts() public {
        Env memory e = load(MLP_HONEST);
        bytes memory other = bytes.concat(e.output);
        other[0] ^= 0x01;
        expectOracleError(e, CLAIMANT, e.claimBond, submitCall(e, 0, other), "ClaimMismatch");
        expectOracleError(e, CLAIMANT, e.claimBond, submitCall(e, 0, bytes.concat(e.output, hex"01")), "ClaimMismatch");
    }

    /// Known limitation: the tensor root does not bind the output's length (bytes past the end
    /// are zero padding), so the claimed output with a zero byte appended has the same root and
    /// is accepted. The oracle does not know the model's output length to check it.
    /// Trailing zeros do not change a tensor root: the registered output length is what
    /// rejects an output with a zero appended or a trailing zero removed.
    function test_submitClaim_zeroPaddedOutput_reverts() public {
        Env memory e = load(MLP_HONEST);
        expectOracleError(e, CLAIMANT, e.claimBond, submitCall(e, 0, bytes.concat(e.output, hex"00")), "ClaimMismatch");
    }

    function test_requestInference_wrongInputLength_reverts() public {
        Env memory e = load(MLP_HONEST);
        vm.expectRevert(abi.encodeWithSignature("ClaimMismatch()"));
        e.oracle.requestInference(e.modelId, bytes.concat(e.input, hex"00"));
    }

    function test_registerModel_wrongOutputDescriptor_reverts() public {
        Env memory e = load(MLP_HONEST);
        bytes memory input = vm.parseJsonBytes(e.json, ".model.inputDescriptor");
        bytes32[16] memory proof = array16(vm.parseJsonBytes32Array(e.json, ".model.inputProof"));
        vm.expectRevert(abi.encodeWithSignature("InvalidProof()"));
        // The input descriptor presented as the output's: its proof is for leaf 0, not N−1.
        e.registry
            .registerModel(
                vm.parseJsonBytes32(e.json, ".model.graphRoot"),
                vm.parseJsonBytes32(e.json, ".model.weightsRoot"),
                uint32(vm.parseJsonUint(e.json, ".model.nodeCount")),
                "opml://test",
                input,
                proof,
                input,
                proof
            );
    }

    function test_submitClaim_badProofs_reverts() public {
        Env memory e = load(MLP_HONEST);
        bytes32[16] memory p = e.inputProof;
        p[3] ^= bytes32(uint256(1));
        bytes memory data = abi.encodeCall(
            IInferenceOracle.submitClaim, (e.modelId, 0, e.input, e.output, e.finalStateRoot, p, e.outputProof)
        );
        expectOracleError(e, CLAIMANT, e.claimBond, data, "ClaimMismatch");
        p = e.outputProof;
        p[0] ^= bytes32(uint256(1));
        data = abi.encodeCall(
            IInferenceOracle.submitClaim, (e.modelId, 0, e.input, e.output, e.finalStateRoot, e.inputProof, p)
        );
        expectOracleError(e, CLAIMANT, e.claimBond, data, "ClaimMismatch");
        data = abi.encodeCall(
            IInferenceOracle.submitClaim,
            (e.modelId, 0, e.input, e.output, e.finalStateRoot ^ bytes32(uint256(1)), e.inputProof, e.outputProof)
        );
        expectOracleError(e, CLAIMANT, e.claimBond, data, "ClaimMismatch");
    }

    function test_submitClaim_otherInput_reverts() public {
        Env memory e = load(MLP_HONEST);
        bytes memory input = bytes.concat(e.input);
        input[5] ^= 0x01;
        bytes memory data = abi.encodeCall(
            IInferenceOracle.submitClaim, (e.modelId, 0, input, e.output, e.finalStateRoot, e.inputProof, e.outputProof)
        );
        expectOracleError(e, CLAIMANT, e.claimBond, data, "ClaimMismatch");
    }

    function test_submitClaim_requestInputMismatch_reverts() public {
        Env memory e = load(MLP_HONEST);
        Consumer consumer = new Consumer();
        bytes memory input = bytes.concat(e.input);
        input[0] ^= 0x01;
        uint256 requestId = consumer.request(e.oracle, e.modelId, input);
        expectOracleError(e, CLAIMANT, e.claimBond, submitCall(e, requestId, e.output), "ClaimMismatch");
    }

    function test_submitClaim_requestModelMismatch_reverts() public {
        Env memory e = load(MLP_HONEST);
        // A second registration of the same model: the request names it, the claim the first.
        uint256 other = registerFixtureModel(e);
        Consumer consumer = new Consumer();
        uint256 requestId = consumer.request(e.oracle, other, e.input);
        expectOracleError(e, CLAIMANT, e.claimBond, submitCall(e, requestId, e.output), "ClaimMismatch");
    }

    function test_submitClaim_fulfilledRequest_reverts() public {
        Env memory e = load(MLP_HONEST);
        Consumer consumer = new Consumer();
        uint256 requestId = consumer.request(e.oracle, e.modelId, e.input);
        uint256 id = submitFrom(e, CLAIMANT, requestId);
        vm.warp(T0 + e.window + 1);
        e.oracle.finalize(id, e.output);
        expectOracleError(e, CLAIMANT, e.claimBond, submitCall(e, requestId, e.output), "ClaimMismatch");
    }

    function test_submitClaim_unknownIds_reverts() public {
        Env memory e = load(MLP_HONEST);
        bytes memory data = abi.encodeCall(
            IInferenceOracle.submitClaim, (7, 0, e.input, e.output, e.finalStateRoot, e.inputProof, e.outputProof)
        );
        expectOracleError(e, CLAIMANT, e.claimBond, data, "UnknownId");
        expectOracleError(e, CLAIMANT, e.claimBond, submitCall(e, 1, e.output), "UnknownId");
    }

    function test_requestInference_unknownModel_reverts() public {
        Env memory e = load(MLP_HONEST);
        expectOracleError(e, CLAIMANT, 0, abi.encodeCall(IInferenceOracle.requestInference, (9, e.input)), "UnknownId");
    }

    // -----------------------------------------------------------------------------------------
    // challenge
    // -----------------------------------------------------------------------------------------

    function test_challenge_wrongBond_reverts() public {
        Env memory e = load(MLP_HONEST);
        uint256 id = submit(e);
        bytes memory data = abi.encodeCall(IInferenceOracle.challenge, (id));
        expectOracleError(e, CHALLENGER, e.challengeBond - 1, data, "WrongBond");
        expectOracleError(e, CHALLENGER, e.challengeBond * 2, data, "WrongBond");
    }

    function test_challenge_afterWindow_reverts() public {
        Env memory e = load(MLP_HONEST);
        uint256 id = submit(e);
        vm.warp(T0 + e.window + 1);
        expectOracleError(
            e, CHALLENGER, e.challengeBond, abi.encodeCall(IInferenceOracle.challenge, (id)), "WindowClosed"
        );
    }

    function test_challenge_atDeadline_succeeds() public {
        Env memory e = load(MLP_HONEST);
        uint256 id = submit(e);
        vm.warp(T0 + e.window);
        uint256 gameId = challengeFrom(e, id, CHALLENGER);
        vm.assertEq(e.oracle.getClaim(id).openGames, 1, "one open game");
        (uint64 claimId, address challenger) = e.oracle.gameLinks(gameId);
        vm.assertEq(claimId, id, "game's claim");
        vm.assertEq(challenger, CHALLENGER, "game's challenger");
        IDisputeGame.Game memory g = e.game.getGame(gameId);
        vm.assertEq(g.claimant, CLAIMANT, "claimant");
        vm.assertEq(g.hiValue, e.finalStateRoot, "disputed final root");
        vm.assertEq(g.turnStartedAt, T0 + e.window, "clock starts");
    }

    function test_challenge_defeatedClaim_reverts() public {
        Env memory e = load(MLP_LIE);
        (uint256 id,) = start(e);
        replay(e, 0, e.calls.length, 0);
        vm.assertEq(uint256(claimState(e, id)), uint256(IInferenceOracle.ClaimState.Defeated), "defeated");
        vm.warp(T0 + 1);
        expectOracleError(e, ANYONE, e.challengeBond, abi.encodeCall(IInferenceOracle.challenge, (id)), "ClaimSettled");
    }

    function test_challenge_finalClaim_reverts() public {
        Env memory e = load(MLP_HONEST);
        uint256 id = submit(e);
        vm.warp(T0 + e.window + 1);
        e.oracle.finalize(id, e.output);
        expectOracleError(e, ANYONE, e.challengeBond, abi.encodeCall(IInferenceOracle.challenge, (id)), "ClaimSettled");
    }

    function test_challenge_unknownClaim_reverts() public {
        Env memory e = load(MLP_HONEST);
        expectOracleError(e, ANYONE, e.challengeBond, abi.encodeCall(IInferenceOracle.challenge, (0)), "UnknownId");
    }

    // -----------------------------------------------------------------------------------------
    // finalize
    // -----------------------------------------------------------------------------------------

    function test_finalize_tooEarly_reverts() public {
        Env memory e = load(MLP_HONEST);
        uint256 id = submit(e);
        bytes memory data = abi.encodeCall(IInferenceOracle.finalize, (id, e.output));
        expectOracleError(e, ANYONE, 0, data, "NotFinalizable");
        vm.warp(T0 + e.window);
        expectOracleError(e, ANYONE, 0, data, "NotFinalizable");
    }

    function test_finalize_openGame_reverts() public {
        Env memory e = load(MLP_HONEST);
        (uint256 id,) = start(e);
        vm.warp(T0 + e.window + 1);
        expectOracleError(e, ANYONE, 0, abi.encodeCall(IInferenceOracle.finalize, (id, e.output)), "NotFinalizable");
    }

    function test_finalize_afterWonGames_succeeds() public {
        Env memory e = load(MLP_HONEST);
        (uint256 id, uint256 g0) = start(e);
        uint256 g1 = challengeFrom(e, id, ANYONE);
        playFixture(e, g0, CHALLENGER);
        vm.warp(T0);
        playFixture(e, g1, ANYONE);
        vm.assertEq(e.oracle.getClaim(id).openGames, 0, "games over");
        vm.warp(T0 + e.window + 1);
        vm.expectEmit(true, true, false, true, address(e.oracle));
        emit IInferenceOracle.ClaimFinalized(id, 0, e.output);
        e.oracle.finalize(id, e.output);
        vm.assertEq(
            e.oracle.balances(CLAIMANT), e.claimBond + 2 * e.challengeBond, "bond back and both challenge bonds"
        );
        vm.assertEq(e.oracle.balances(CHALLENGER) + e.oracle.balances(ANYONE), 0, "challengers lost");
        vm.assertEq(address(e.oracle).balance, e.oracle.balances(CLAIMANT), "the oracle holds only balances");
    }

    function test_finalize_twice_reverts() public {
        Env memory e = load(MLP_HONEST);
        uint256 id = submit(e);
        vm.warp(T0 + e.window + 1);
        e.oracle.finalize(id, e.output);
        expectOracleError(e, ANYONE, 0, abi.encodeCall(IInferenceOracle.finalize, (id, e.output)), "ClaimSettled");
    }

    function test_finalize_wrongOutput_reverts() public {
        Env memory e = load(MLP_HONEST);
        uint256 id = submit(e);
        vm.warp(T0 + e.window + 1);
        bytes memory other = bytes.concat(e.output, hex"00");
        expectOracleError(e, ANYONE, 0, abi.encodeCall(IInferenceOracle.finalize, (id, other)), "ClaimMismatch");
    }

    function test_finalize_defeatedClaim_reverts() public {
        Env memory e = load(MLP_LIE);
        (uint256 id,) = start(e);
        replay(e, 0, e.calls.length, 0);
        vm.warp(T0 + e.window + 1);
        expectOracleError(e, ANYONE, 0, abi.encodeCall(IInferenceOracle.finalize, (id, e.output)), "ClaimSettled");
    }

    function test_finalize_unknownClaim_reverts() public {
        Env memory e = load(MLP_HONEST);
        expectOracleError(e, ANYONE, 0, abi.encodeCall(IInferenceOracle.finalize, (3, e.output)), "UnknownId");
    }

    function test_finalize_withRequest_succeeds() public {
        Env memory e = load(MLP_HONEST);
        Consumer consumer = new Consumer();
        vm.deal(address(this), 1 ether);
        uint256 requestId = consumer.request{value: 555}(e.oracle, e.modelId, e.input);
        vm.assertEq(requestId, 1, "request ids start at 1");
        uint256 id = submitFrom(e, CLAIMANT, requestId);
        uint256 second = submitFrom(e, ANYONE, requestId);
        vm.warp(T0 + e.window + 1);
        e.oracle.finalize(id, e.output);
        vm.assertEq(e.oracle.balances(CLAIMANT), e.claimBond + 555, "bond and fee");
        vm.assertEq(consumer.calls(), 1, "called back");
        vm.assertEq(consumer.lastRequest(), requestId, "request id");
        vm.assertEq(consumer.lastOutput(), e.output, "output");
        vm.assertEq(e.oracle.results(requestId), e.output, "result kept");
        vm.assertTrue(e.oracle.getRequest(requestId).fulfilled, "fulfilled");
        // A second claim for the same request only gets its bond back; no second callback.
        e.oracle.finalize(second, e.output);
        vm.assertEq(e.oracle.balances(ANYONE), e.claimBond, "bond only");
        vm.assertEq(consumer.calls(), 1, "called back once");
    }

    function test_finalize_revertingConsumer_succeeds() public {
        Env memory e = load(MLP_HONEST);
        RevertingConsumer consumer = new RevertingConsumer();
        uint256 requestId = consumer.request(e.oracle, e.modelId, e.input);
        uint256 id = submitFrom(e, CLAIMANT, requestId);
        vm.warp(T0 + e.window + 1);
        e.oracle.finalize(id, e.output);
        vm.assertEq(uint256(claimState(e, id)), uint256(IInferenceOracle.ClaimState.Final), "final");
        vm.assertEq(e.oracle.results(requestId), e.output, "result kept for polling");
        vm.assertEq(e.oracle.balances(CLAIMANT), e.claimBond, "bond back");
    }

    function test_finalize_burningConsumer_succeeds() public {
        Env memory e = load(MLP_HONEST);
        GasBurningConsumer consumer = new GasBurningConsumer();
        uint256 requestId = consumer.request(e.oracle, e.modelId, e.input);
        uint256 id = submitFrom(e, CLAIMANT, requestId);
        vm.warp(T0 + e.window + 1);
        uint256 before = gasleft();
        e.oracle.finalize{gas: 2_000_000}(id, e.output);
        vm.assertGt(before - gasleft(), e.oracle.CALLBACK_GAS(), "the callback had its allowance");
        vm.assertEq(uint256(claimState(e, id)), uint256(IInferenceOracle.ClaimState.Final), "final");
    }

    /// A finalizer cannot starve the callback (EIP-150 forwards 63/64 of the gas left) to
    /// fulfil the request without it: the call reverts and can be sent again with more gas.
    function test_finalize_starvedCallback_reverts() public {
        Env memory e = load(MLP_HONEST);
        GasBurningConsumer consumer = new GasBurningConsumer();
        uint256 requestId = consumer.request(e.oracle, e.modelId, e.input);
        uint256 id = submitFrom(e, CLAIMANT, requestId);
        vm.warp(T0 + e.window + 1);
        bytes memory data = abi.encodeCall(IInferenceOracle.finalize, (id, e.output));
        for (uint256 gas = 250_000; gas <= 500_000; gas += 50_000) {
            (bool ok, bytes memory ret) = address(e.oracle).call{gas: gas}(data);
            vm.assertTrue(!ok, "starved finalize");
            vm.assertEq(ret, abi.encodeWithSelector(selectorOf("InsufficientGas")), "InsufficientGas");
        }
        vm.assertEq(uint256(claimState(e, id)), uint256(IInferenceOracle.ClaimState.Open), "still open");
        (bool ok2,) = address(e.oracle).call{gas: 1_000_000}(data);
        vm.assertTrue(ok2, "finalize with enough gas");
    }

    /// A callback that needs little gas lets finalize through with little gas.
    function test_finalize_cheapCallbackLowGas_succeeds() public {
        Env memory e = load(MLP_HONEST);
        Consumer consumer = new Consumer();
        uint256 requestId = consumer.request(e.oracle, e.modelId, e.input);
        uint256 id = submitFrom(e, CLAIMANT, requestId);
        vm.warp(T0 + e.window + 1);
        (bool ok,) = address(e.oracle).call{gas: 300_000}(abi.encodeCall(IInferenceOracle.finalize, (id, e.output)));
        vm.assertTrue(ok, "finalize");
        vm.assertEq(consumer.calls(), 1, "called back");
    }

    // -----------------------------------------------------------------------------------------
    // Games and bonds
    // -----------------------------------------------------------------------------------------

    function test_onGameResolved_stranger_reverts() public {
        Env memory e = load(MLP_HONEST);
        start(e);
        expectOracleError(e, STRANGER, 0, abi.encodeCall(IInferenceOracle.onGameResolved, (0, false)), "Unauthorized");
        expectOracleError(e, CHALLENGER, 0, abi.encodeCall(IInferenceOracle.onGameResolved, (0, false)), "Unauthorized");
    }

    function test_createGame_notOracle_reverts() public {
        Env memory e = load(MLP_HONEST);
        submit(e);
        vm.prank(CLAIMANT);
        vm.expectRevert(selectorOf("Unauthorized"));
        e.game.createGame(0, CLAIMANT, CLAIMANT, 0, 0, 3, e.inputRoot, e.finalStateRoot);
    }

    /// Two challengers of a lying claim: the first to win takes the claim bond; the other's
    /// game, whoever wins it, refunds its bond.
    function test_games_parallelChallenges_succeeds() public {
        for (uint256 claimantWinsSecond = 0; claimantWinsSecond < 2; ++claimantWinsSecond) {
            Env memory e = load(MLP_LIE);
            (uint256 id, uint256 g0) = start(e);
            uint256 g1 = challengeFrom(e, id, ANYONE);
            playFixture(e, g0, CHALLENGER);
            vm.assertEq(uint256(claimState(e, id)), uint256(IInferenceOracle.ClaimState.Defeated), "defeated");
            vm.assertEq(e.oracle.balances(CHALLENGER), e.claimBond + e.challengeBond, "first winner");
            endByTimeout(e, g1, CLAIMANT, claimantWinsSecond == 1);
            vm.assertEq(e.oracle.balances(ANYONE), e.challengeBond, "second challenger refunded");
            vm.assertEq(e.oracle.balances(CLAIMANT), 0, "the defeated claimant gets nothing");
            vm.assertEq(address(e.oracle).balance, e.claimBond + 2 * e.challengeBond, "all paid out");
        }
    }

    function test_games_claimDefeatedEvent_succeeds() public {
        Env memory e = load(MLP_LIE);
        (uint256 id,) = start(e);
        uint256 last = moveIndex(e, "resolveStep", 0);
        advance(e, last, 0);
        vm.expectEmit(true, true, false, true, address(e.oracle));
        emit IInferenceOracle.ClaimDefeated(id, 0, CHALLENGER);
        replayCall(e, last, 0);
    }

    // -----------------------------------------------------------------------------------------
    // withdraw
    // -----------------------------------------------------------------------------------------

    function test_withdraw_nothing_reverts() public {
        Env memory e = load(MLP_HONEST);
        expectOracleError(e, STRANGER, 0, abi.encodeCall(IInferenceOracle.withdraw, ()), "WithdrawFailed");
    }

    function test_withdraw_winnings_succeeds() public {
        Env memory e = load(MLP_LIE);
        start(e);
        replay(e, 0, e.calls.length, 0);
        uint256 before = CHALLENGER.balance;
        vm.expectEmit(true, false, false, true, address(e.oracle));
        emit IInferenceOracle.Withdrawn(CHALLENGER, e.claimBond + e.challengeBond);
        vm.prank(CHALLENGER);
        e.oracle.withdraw();
        vm.assertEq(CHALLENGER.balance, before + e.claimBond + e.challengeBond, "paid");
        vm.assertEq(e.oracle.balances(CHALLENGER), 0, "balance cleared");
        vm.assertEq(address(e.oracle).balance, 0, "nothing left");
        expectOracleError(e, CHALLENGER, 0, abi.encodeCall(IInferenceOracle.withdraw, ()), "WithdrawFailed");
    }

    function test_withdraw_rejectingReceiver_reverts() public {
        Env memory e = load(MLP_HONEST);
        RejectingPlayer player = new RejectingPlayer();
        uint256 id = submit(e);
        vm.deal(address(this), 1 ether);
        uint256 gameId = player.challenge{value: e.challengeBond}(e.oracle, id);
        // The claimant does not move: the player wins by timeout.
        endByTimeout(e, gameId, CLAIMANT, false);
        vm.assertEq(e.oracle.balances(address(player)), e.claimBond + e.challengeBond, "credited");
        vm.expectRevert(selectorOf("WithdrawFailed"));
        player.withdraw(e.oracle);
        vm.assertEq(e.oracle.balances(address(player)), e.claimBond + e.challengeBond, "still credited");
    }

    // -----------------------------------------------------------------------------------------
    // The bond invariant
    // -----------------------------------------------------------------------------------------

    /// What the oracle must hold: open claims' bonds, open games' bonds, unpaid fees and
    /// credited balances, computed from its views.
    function owed(Env memory e, address[5] memory who) internal view returns (uint256 sum) {
        uint256 claims = e.oracle.claimCount();
        for (uint256 i = 0; i < claims; ++i) {
            IInferenceOracle.Claim memory c = e.oracle.getClaim(i);
            if (c.state == IInferenceOracle.ClaimState.Open) sum += e.claimBond;
            sum += uint256(c.openGames) * e.challengeBond;
        }
        for (uint256 r = 1;; ++r) {
            try e.oracle.getRequest(r) returns (IInferenceOracle.Request memory q) {
                if (!q.fulfilled) sum += q.fee;
            } catch {
                break;
            }
        }
        for (uint256 k = 0; k < who.length; ++k) {
            sum += e.oracle.balances(who[k]);
        }
    }

    /// A fuzzed sequence of requests, claims (honest and lying), challenges, timeouts, games
    /// played to the end, finalizations, withdrawals and waits keeps the oracle's ether equal
    /// to what it owes.
    function test_bonds_fuzzedActions_succeeds(uint256 seed) public {
        runActions(seed);
    }

    /// The fuzzed sequences take every kind of action (a guard on the test above).
    function test_bonds_everyActionTaken_succeeds() public {
        uint256[8] memory total;
        for (uint256 seed = 0; seed < 8; ++seed) {
            uint256[8] memory done = runActions(seed);
            for (uint256 a = 0; a < 8; ++a) {
                total[a] += done[a];
            }
        }
        for (uint256 a = 0; a < 8; ++a) {
            vm.assertGt(total[a], 0, string.concat("action ", vm.toString(a), " never taken"));
        }
    }

    /// Takes 24 actions drawn from `seed`, checking the invariant after each; returns how many
    /// of each kind were taken.
    function runActions(uint256 seed) internal returns (uint256[8] memory done) {
        Env memory e = load(MLP_HONEST);
        Consumer consumer = new Consumer();
        address[5] memory who = [CLAIMANT, CHALLENGER, ANYONE, STRANGER, address(consumer)];
        vm.deal(address(this), 1000 ether);
        vm.deal(STRANGER, 100 ether);
        for (uint256 step = 0; step < 24; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 action = r % 8;
            address actor = who[(r >> 8) % 4];
            uint256 claims = e.oracle.claimCount();
            uint256 games = e.game.gameCount();
            if (action == 0) {
                consumer.request{value: (r >> 16) % 1000}(e.oracle, e.modelId, e.input);
                ++done[0];
            } else if (action == 1) {
                // A claim, for an unfulfilled request or none.
                uint256 requestId = 0;
                uint256 pick = (r >> 16) % 3;
                if (pick > 0) {
                    try e.oracle.getRequest(pick) returns (IInferenceOracle.Request memory q) {
                        if (!q.fulfilled) requestId = pick;
                    } catch {}
                }
                if ((r >> 24) % 2 == 0) {
                    submitFrom(e, actor, requestId);
                } else {
                    vm.deal(actor, actor.balance + e.claimBond);
                    submitLie(e, actor, requestId);
                }
                ++done[1];
            } else if (action == 2 && claims > 0) {
                uint256 id = (r >> 16) % claims;
                IInferenceOracle.Claim memory c = e.oracle.getClaim(id);
                if (c.state == IInferenceOracle.ClaimState.Open && block.timestamp <= c.deadline) {
                    challengeFrom(e, id, actor);
                    ++done[2];
                }
            } else if (action == 3 && games > 0) {
                // A game ends by a timeout of either side (the challenger's after the
                // claimant's first reveal, if the claimant can still make it).
                uint256 g = (r >> 16) % games;
                IDisputeGame.Game memory s = e.game.getGame(g);
                if (s.phase != IDisputeGame.Phase.Resolved) {
                    bool fresh = s.claimantToMove && s.lo == 0 && s.revealed == 0
                        && block.timestamp <= uint256(s.turnStartedAt) + s.claimantClock;
                    endByTimeout(e, g, s.claimant, fresh && (r >> 24) % 2 == 0);
                    ++done[3];
                }
            } else if (action == 4) {
                // An honest claim by the claimant, challenged by `actor` and played to its end by
                // the fixture's moves: the claimant wins.
                uint256 id = submitFrom(e, CLAIMANT, 0);
                playFixture(e, challengeFrom(e, id, actor), actor);
                vm.assertEq(e.oracle.getClaim(id).openGames, 0, "game over");
                ++done[4];
            } else if (action == 5 && claims > 0) {
                uint256 id = (r >> 16) % claims;
                IInferenceOracle.Claim memory c = e.oracle.getClaim(id);
                if (c.state == IInferenceOracle.ClaimState.Open && c.openGames == 0) {
                    if (block.timestamp <= c.deadline) vm.warp(c.deadline + 1);
                    bytes memory out = c.finalStateRoot == e.finalStateRoot ? e.output : lie().output;
                    e.oracle.finalize(id, out);
                    ++done[5];
                }
            } else if (action == 6) {
                if (e.oracle.balances(actor) > 0) {
                    vm.prank(actor);
                    e.oracle.withdraw();
                    ++done[6];
                }
            } else {
                vm.warp(block.timestamp + (r >> 16) % 2000);
                ++done[7];
            }
            vm.assertEq(address(e.oracle).balance, owed(e, who), "the oracle holds what it owes");
        }
    }
}
