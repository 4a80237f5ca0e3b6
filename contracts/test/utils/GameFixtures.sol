// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {IDisputeGame, IInferenceOracle, IModelRegistry} from "./GameInterfaces.sol";
import {TestBase} from "./Cheats.sol";

/// @notice The golden games of challenger/tests/game_vectors.rs (test/fixtures/game_*.json):
/// deployment, model, claim, and the calls of each game with their expected outcomes, replayed
/// as raw calldata. The contracts are deployed from their build artifacts (`deployCode`) and used
/// through the interfaces of GameInterfaces.sol.
abstract contract GameFixtures is TestBase {
    string internal constant MLP_HONEST = "test/fixtures/game_mlp_honest.json";
    string internal constant MLP_LIE = "test/fixtures/game_mlp_lie.json";
    string internal constant MLP_TIMEOUT = "test/fixtures/game_mlp_timeout.json";
    string internal constant PAST_END_LIE = "test/fixtures/game_past_end_lie.json";
    string internal constant PAST_END_HONEST = "test/fixtures/game_past_end_honest.json";

    string internal constant CALL_TYPE = "Call(string fn,string sender,uint256 time,string error,bytes data)";

    address internal constant CLAIMANT = address(0xC1);
    address internal constant CHALLENGER = address(0xC2);
    address internal constant ANYONE = address(0xA0);
    address internal constant STRANGER = address(0x5);

    /// When the fixtures' games start (their call times are relative to it).
    uint256 internal constant T0 = 1_000_000;

    /// One call of a game.
    struct Call {
        string fn;
        string sender;
        uint256 time;
        string error;
        bytes data;
    }

    /// Registers the fixture's model (roots, and the input and output descriptors with proofs).
    function registerFixtureModel(Env memory e) internal returns (uint256) {
        return e.registry
            .registerModel(
                vm.parseJsonBytes32(e.json, ".model.graphRoot"),
                vm.parseJsonBytes32(e.json, ".model.weightsRoot"),
                uint32(vm.parseJsonUint(e.json, ".model.nodeCount")),
                "opml://test",
                vm.parseJsonBytes(e.json, ".model.inputDescriptor"),
                array16(vm.parseJsonBytes32Array(e.json, ".model.inputProof")),
                vm.parseJsonBytes(e.json, ".model.outputDescriptor"),
                array16(vm.parseJsonBytes32Array(e.json, ".model.outputProof"))
            );
    }

    /// A fixture with its contracts deployed, the model registered, and the claim data.
    struct Env {
        string json;
        IDisputeGame.Params params;
        uint256 claimBond;
        uint256 challengeBond;
        uint64 window;
        address step;
        IModelRegistry registry;
        IInferenceOracle oracle;
        IDisputeGame game;
        uint256 modelId;
        bytes input;
        bytes output;
        bytes32 inputRoot;
        bytes32 finalStateRoot;
        bytes32[16] inputProof;
        bytes32[16] outputProof;
        Call[] calls;
    }

    function readParams(string memory json) internal pure returns (IDisputeGame.Params memory p) {
        p.dissectionWidth = uint64(vm.parseJsonUint(json, ".params.dissectionWidth"));
        p.descentWidthLog2 = uint64(vm.parseJsonUint(json, ".params.descentWidthLog2"));
        p.tileHeight = uint64(vm.parseJsonUint(json, ".params.tileHeight"));
        p.clockBudget = uint64(vm.parseJsonUint(json, ".params.clockBudget"));
        p.programRoot = vm.parseJsonBytes32(json, ".params.programRoot");
        p.programEntry = uint32(vm.parseJsonUint(json, ".params.programEntry"));
    }

    function array16(bytes32[] memory v) internal pure returns (bytes32[16] memory a) {
        require(v.length == 16, "a proof has 16 siblings");
        for (uint256 i = 0; i < 16; ++i) {
            a[i] = v[i];
        }
    }

    /// Deploys Step, ModelRegistry and InferenceOracle (with its DisputeGame) as the fixture
    /// `path` says, registers its model, funds the players and sets the clock to T0.
    function load(string memory path) internal returns (Env memory e) {
        e.json = vm.readFile(path);
        e.params = readParams(e.json);
        e.claimBond = vm.parseJsonUint(e.json, ".params.claimBond");
        e.challengeBond = vm.parseJsonUint(e.json, ".params.challengeBond");
        e.window = uint64(vm.parseJsonUint(e.json, ".params.challengeWindow"));
        e.step = vm.deployCode("Step.sol:Step");
        e.registry = IModelRegistry(vm.deployCode("ModelRegistry.sol:ModelRegistry"));
        e.oracle = IInferenceOracle(
            vm.deployCode(
                "InferenceOracle.sol:InferenceOracle",
                abi.encode(e.registry, e.step, e.params, e.claimBond, e.challengeBond, e.window)
            )
        );
        e.game = e.oracle.game();
        vm.prank(CLAIMANT);
        e.modelId = registerFixtureModel(e);
        e.input = vm.parseJsonBytes(e.json, ".claim.input");
        e.output = vm.parseJsonBytes(e.json, ".claim.output");
        e.inputRoot = vm.parseJsonBytes32(e.json, ".claim.inputRoot");
        e.finalStateRoot = vm.parseJsonBytes32(e.json, ".claim.finalStateRoot");
        e.inputProof = array16(vm.parseJsonBytes32Array(e.json, ".claim.inputProof"));
        e.outputProof = array16(vm.parseJsonBytes32Array(e.json, ".claim.outputProof"));
        e.calls = abi.decode(vm.parseJsonTypeArray(e.json, ".calls", CALL_TYPE), (Call[]));
        vm.deal(CLAIMANT, 100 ether);
        vm.deal(CHALLENGER, 100 ether);
        vm.deal(ANYONE, 100 ether);
        vm.warp(T0);
    }

    /// Submits the fixture's claim (no request) from the claimant.
    function submit(Env memory e) internal returns (uint256 claimId) {
        vm.prank(CLAIMANT);
        claimId = e.oracle.submitClaim{value: e.claimBond}(
            e.modelId, 0, e.input, e.output, e.finalStateRoot, e.inputProof, e.outputProof
        );
    }

    /// Challenges claim `claimId` from `challenger`.
    function challengeFrom(Env memory e, uint256 claimId, address challenger) internal returns (uint256 gameId) {
        vm.deal(challenger, challenger.balance + e.challengeBond);
        vm.prank(challenger);
        gameId = e.oracle.challenge{value: e.challengeBond}(claimId);
    }

    /// Submits the claim and challenges it at T0: game 0, as in the fixture.
    function start(Env memory e) internal returns (uint256 claimId, uint256 gameId) {
        claimId = submit(e);
        gameId = challengeFrom(e, claimId, CHALLENGER);
    }

    function senderOf(string memory role) internal pure returns (address) {
        bytes32 r = keccak256(bytes(role));
        if (r == keccak256("claimant")) return CLAIMANT;
        if (r == keccak256("challenger")) return CHALLENGER;
        if (r == keccak256("anyone")) return ANYONE;
        revert("unknown role");
    }

    function eq(string memory a, string memory b) internal pure returns (bool) {
        return keccak256(bytes(a)) == keccak256(bytes(b));
    }

    /// The selector of the parameterless custom error `name`.
    function selectorOf(string memory name) internal pure returns (bytes4) {
        return bytes4(keccak256(bytes(string.concat(name, "()"))));
    }

    /// `data` with its first argument (the game id) replaced by `gameId`.
    function withGameId(bytes memory data, uint256 gameId) internal pure returns (bytes memory out) {
        out = bytes.concat(data);
        assembly ("memory-safe") {
            mstore(add(out, 0x24), gameId)
        }
    }

    /// `data` without its 4-byte selector (the ABI-encoded arguments).
    function args(bytes memory data) internal pure returns (bytes memory out) {
        out = new bytes(data.length - 4);
        for (uint256 i = 0; i < out.length; ++i) {
            out[i] = data[i + 4];
        }
    }

    /// Sends `data` to the game from `from` at `time`; returns success and the return data.
    function send(Env memory e, address from, uint256 time, bytes memory data)
        internal
        returns (bool ok, bytes memory ret)
    {
        vm.warp(time);
        vm.prank(from);
        (ok, ret) = address(e.game).call(data);
    }

    /// Sends `data` from `from` now and checks it reverts with the custom error `name`.
    function expectError(Env memory e, address from, bytes memory data, string memory name) internal {
        vm.prank(from);
        (bool ok, bytes memory ret) = address(e.game).call(data);
        vm.assertTrue(!ok, string.concat("expected ", name, " but the call succeeded"));
        vm.assertEq(ret, abi.encodeWithSelector(selectorOf(name)), string.concat("expected ", name));
    }

    /// Sends `data` from `from` now and checks it succeeds.
    function expectOk(Env memory e, address from, bytes memory data) internal {
        vm.prank(from);
        (bool ok, bytes memory ret) = address(e.game).call(data);
        if (!ok) {
            vm.assertTrue(false, string.concat("call failed: ", vm.toString(ret)));
        }
    }

    /// Replays call `i` of the fixture in game `gameId` (at T0 + its time) and checks its outcome.
    function replayCall(Env memory e, uint256 i, uint256 gameId) internal {
        Call memory c = e.calls[i];
        (bool ok, bytes memory ret) = send(e, senderOf(c.sender), T0 + c.time, withGameId(c.data, gameId));
        string memory what = string.concat("call ", vm.toString(i), " (", c.fn, ")");
        if (bytes(c.error).length == 0) {
            if (!ok) vm.assertTrue(false, string.concat(what, " failed: ", vm.toString(ret)));
        } else {
            vm.assertTrue(!ok, string.concat(what, " succeeded, expected ", c.error));
            vm.assertEq(ret, abi.encodeWithSelector(selectorOf(c.error)), string.concat(what, ": expected ", c.error));
        }
    }

    /// Replays calls `[from, to)` in game `gameId`.
    function replay(Env memory e, uint256 from, uint256 to, uint256 gameId) internal {
        for (uint256 i = from; i < to; ++i) {
            replayCall(e, i, gameId);
        }
    }

    /// Index of the `k`-th (from 0) successful call of function `fn`.
    function moveIndex(Env memory e, string memory fn, uint256 k) internal pure returns (uint256) {
        for (uint256 i = 0; i < e.calls.length; ++i) {
            if (eq(e.calls[i].fn, fn) && bytes(e.calls[i].error).length == 0) {
                if (k == 0) return i;
                --k;
            }
        }
        revert(string.concat("no such move: ", fn));
    }

    /// Replays only the successful calls before call `until` in game `gameId` (at their times),
    /// and sets the clock to the time of call `until`. Returns that call.
    function advance(Env memory e, uint256 until, uint256 gameId) internal returns (Call memory c) {
        for (uint256 i = 0; i < until; ++i) {
            if (bytes(e.calls[i].error).length == 0) replayCall(e, i, gameId);
        }
        c = e.calls[until];
        vm.warp(T0 + c.time);
    }

    /// Sets the clock to the time of the `k`-th successful `fn` move, after the moves before it,
    /// and returns its calldata (for game 0).
    function advanceToMove(Env memory e, string memory fn, uint256 k) internal returns (bytes memory) {
        return advance(e, moveIndex(e, fn, k), 0).data;
    }

    /// Number of successful calls.
    function moveCount(Env memory e) internal pure returns (uint256 n) {
        for (uint256 i = 0; i < e.calls.length; ++i) {
            if (bytes(e.calls[i].error).length == 0) ++n;
        }
    }
}
