// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {Step} from "../src/Step.sol";
import {
    InvalidMemoryProof,
    InvalidProofLength,
    InvalidStateLength,
    InvalidStatus,
    PreStateMismatch
} from "../src/Errors.sol";
import {TestBase} from "./utils/Cheats.sol";
import {LeafProofs} from "./utils/LeafProofs.sol";

/// Tests of src/Step.sol against the golden vectors that the Rust prover and the literal Rust
/// verifier (the oracle) generate: vm/tests/step_vectors.rs -> test/fixtures/step_vectors.json.
contract StepTest is TestBase {
    string internal constant FIXTURE = "test/fixtures/step_vectors.json";
    string internal constant RANDOM_FIXTURE = "test/fixtures/step_vectors_random.json";
    string internal constant PROGRAMS_FIXTURE = "test/fixtures/step_vectors_programs.json";

    string internal constant VECTOR_TYPE =
        "Vector(string name,uint256 leaves,uint256[] heights,bytes state,bytes proof,bytes32 preStateHash,bytes32 postStateHash)";
    string internal constant ERROR_TYPE =
        "ErrorVector(string name,string error,bytes state,bytes proof,bytes32 preStateHash)";

    Step internal step;
    // The fixture is kept out of storage (400 KB of SLOADs per test otherwise): every test
    // reads it into memory once, with `fixture()`.
    uint256 internal vectorCount;
    uint256 internal errorCount;

    struct Vector {
        string name;
        uint256 leaves;
        /// Heights each leaf proof covers: 27, or the pair height for the third.
        uint256[] heights;
        bytes state;
        bytes proof;
        bytes32 preStateHash;
        bytes32 postStateHash;
    }

    struct ErrorVector {
        string name;
        string error;
        bytes state;
        bytes proof;
        bytes32 preStateHash;
    }

    function setUp() public {
        step = new Step();
        string memory json = fixture();
        vectorCount = vm.parseJsonUint(json, ".vectorCount");
        errorCount = vm.parseJsonUint(json, ".errorCount");
    }

    // -----------------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------------

    function fixture() internal view returns (string memory) {
        return vm.readFile(FIXTURE);
    }

    function allVectors() internal view returns (Vector[] memory) {
        return abi.decode(vm.parseJsonTypeArray(fixture(), ".vectors", VECTOR_TYPE), (Vector[]));
    }

    function allErrors() internal view returns (ErrorVector[] memory) {
        return abi.decode(vm.parseJsonTypeArray(fixture(), ".errors", ERROR_TYPE), (ErrorVector[]));
    }

    function loadVector(uint256 i) internal view returns (Vector memory) {
        return abi.decode(vm.parseJsonType(fixture(), element("vectors", i), VECTOR_TYPE), (Vector));
    }

    function vectorNamed(string memory name) internal view returns (Vector memory) {
        Vector[] memory all = allVectors();
        for (uint256 i = 0; i < all.length; i++) {
            if (keccak256(bytes(all[i].name)) == keccak256(bytes(name))) return all[i];
        }
        revert(string.concat("no vector named ", name));
    }

    function selectorOf(string memory name) internal pure returns (bytes4) {
        bytes32 h = keccak256(bytes(name));
        if (h == keccak256("InvalidStateLength")) return InvalidStateLength.selector;
        if (h == keccak256("InvalidStatus")) return InvalidStatus.selector;
        if (h == keccak256("PreStateMismatch")) return PreStateMismatch.selector;
        if (h == keccak256("InvalidProofLength")) return InvalidProofLength.selector;
        if (h == keccak256("InvalidMemoryProof")) return InvalidMemoryProof.selector;
        revert(string.concat("unknown error name ", name));
    }

    /// The revert data of `step(state, proof)`, empty if it did not revert.
    function stepRevert(bytes memory state, bytes memory proof) internal view returns (bytes memory) {
        try step.step(state, proof) returns (bytes32) {
            return "";
        } catch (bytes memory err) {
            return err;
        }
    }

    function verifyStepRevert(bytes32 pre, bytes memory state, bytes memory proof)
        internal
        view
        returns (bytes memory)
    {
        try step.verifyStep(pre, state, proof) returns (bytes32) {
            return "";
        } catch (bytes memory err) {
            return err;
        }
    }

    /// A vector with a non-empty proof, chosen by `seed`.
    function vectorWithProof(uint256 seed) internal view returns (Vector memory v) {
        for (uint256 k = 0; k < vectorCount; k++) {
            v = loadVector((seed + k) % vectorCount);
            if (v.proof.length != 0) return v;
        }
        revert("no vector with a proof");
    }

    /// Where each leaf proof of `v` starts, and (last element) where the last one ends.
    function leafStarts(Vector memory v) internal pure returns (uint256[] memory at) {
        at = new uint256[](v.leaves + 1);
        for (uint256 n = 0; n < v.leaves; n++) {
            at[n + 1] = LeafProofs.endOf(v.proof, at[n], v.heights[n]);
        }
    }

    /// `proof` with 32 bytes `word` inserted at byte `at`.
    function insert(bytes memory proof, uint256 at, bytes32 word) internal pure returns (bytes memory out) {
        out = new bytes(proof.length + 32);
        for (uint256 i = 0; i < at; i++) {
            out[i] = proof[i];
        }
        for (uint256 i = 0; i < 32; i++) {
            out[at + i] = word[i];
        }
        for (uint256 i = at; i < proof.length; i++) {
            out[i + 32] = proof[i];
        }
    }

    // -----------------------------------------------------------------------------------------
    // Golden vectors
    // -----------------------------------------------------------------------------------------

    function test_step_goldenVectors_succeeds() public view {
        Vector[] memory all = allVectors();
        vm.assertEq(all.length, vectorCount, "vectorCount");
        vm.assertTrue(vectorCount >= 100, "fixture has too few vectors");
        for (uint256 i = 0; i < all.length; i++) {
            Vector memory v = all[i];
            // The proof is `leaves` leaf proofs, each 36 bytes and the siblings its mask asks for.
            vm.assertEq(v.heights.length, v.leaves, string.concat(v.name, ": heights"));
            vm.assertEq(leafStarts(v)[v.leaves], v.proof.length, string.concat(v.name, ": proof length"));
            vm.assertEq(step.step(v.state, v.proof), v.postStateHash, v.name);
            vm.assertEq(keccak256(v.state), v.preStateHash, string.concat(v.name, ": pre-state hash"));
        }
    }

    /// Steps every vector of the fixture at `path` and checks its post-state hash.
    function checkFixture(string memory path, uint256 atLeast) internal view {
        string memory json = vm.readFile(path);
        Vector[] memory all = abi.decode(vm.parseJsonTypeArray(json, ".vectors", VECTOR_TYPE), (Vector[]));
        vm.assertEq(all.length, vm.parseJsonUint(json, ".vectorCount"), "vectorCount");
        vm.assertTrue(all.length >= atLeast, "fixture has too few vectors");
        for (uint256 i = 0; i < all.length; i++) {
            Vector memory v = all[i];
            vm.assertEq(step.step(v.state, v.proof), v.postStateHash, v.name);
        }
    }

    /// 200 random instructions of every format (illegal encodings included) with random
    /// operands, loads and stores at random addresses (vm/tests/step_vectors.rs, `random_cases`).
    function test_step_randomVectors_succeeds() public view {
        checkFixture(RANDOM_FIXTURE, 200);
    }

    /// One step of each kind met while running the RV32IM conformance programs
    /// (vm/tests/programs), and the halting step of every program.
    function test_step_programVectors_succeeds() public view {
        checkFixture(PROGRAMS_FIXTURE, 200);
    }

    function test_verifyStep_goldenVectors_succeeds() public view {
        Vector[] memory all = allVectors();
        for (uint256 i = 0; i < all.length; i++) {
            Vector memory v = all[i];
            vm.assertEq(step.verifyStep(v.preStateHash, v.state, v.proof), v.postStateHash, v.name);
        }
    }

    function test_step_errorVectors_reverts() public view {
        ErrorVector[] memory all = allErrors();
        vm.assertEq(all.length, errorCount, "errorCount");
        vm.assertTrue(errorCount >= 20, "fixture has too few error vectors");
        for (uint256 i = 0; i < all.length; i++) {
            ErrorVector memory e = all[i];
            bytes4 sel = selectorOf(e.error);
            vm.assertEq(verifyStepRevert(e.preStateHash, e.state, e.proof), abi.encodePacked(sel), e.name);
            if (sel != PreStateMismatch.selector) {
                vm.assertEq(stepRevert(e.state, e.proof), abi.encodePacked(sel), string.concat(e.name, " (step)"));
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Each error, by hand
    // -----------------------------------------------------------------------------------------

    function test_step_stateTooShort_reverts() public {
        Vector memory v = vectorNamed("addi");
        bytes memory state = new bytes(172);
        vm.expectRevert(InvalidStateLength.selector);
        step.step(state, v.proof);
    }

    function test_step_badStatus_reverts() public {
        Vector memory v = vectorNamed("addi");
        v.state[44] = 0x03;
        vm.expectRevert(InvalidStatus.selector);
        step.step(v.state, v.proof);
    }

    function test_verifyStep_wrongPreStateHash_reverts() public {
        Vector memory v = vectorNamed("addi");
        vm.expectRevert(PreStateMismatch.selector);
        step.verifyStep(bytes32(uint256(v.preStateHash) ^ 1), v.state, v.proof);
    }

    function test_verifyStep_mismatchBeforeLength_reverts() public {
        // The hash is checked first, as in the Rust verify_step: a short state with a wrong hash
        // is a PreStateMismatch, not an InvalidStateLength.
        vm.expectRevert(PreStateMismatch.selector);
        step.verifyStep(bytes32(0), new bytes(3), "");
    }

    function test_step_haltedWithProof_reverts() public {
        Vector memory v = vectorNamed("halted_exited_fixed_point");
        vm.expectRevert(InvalidProofLength.selector);
        step.step(v.state, new bytes(1));
    }

    function test_step_misalignedPcWithProof_reverts() public {
        Vector memory v = vectorNamed("pc_misaligned");
        vm.expectRevert(InvalidProofLength.selector);
        step.step(v.state, new bytes(36));
    }

    function test_step_trailingByte_reverts() public {
        Vector memory v = vectorNamed("sw_cross_leaf");
        vm.expectRevert(InvalidProofLength.selector);
        step.step(v.state, bytes.concat(v.proof, hex"00"));
    }

    function test_step_tamperedSecondStoreLeaf_reverts() public {
        Vector memory v = vectorNamed("sw_cross_leaf");
        v.proof[leafStarts(v)[2] + 7] ^= 0x80;
        vm.expectRevert(InvalidMemoryProof.selector);
        step.step(v.state, v.proof);
    }

    function test_step_secondLeafMaskBitAtPairHeight_reverts() public {
        Vector memory v = vectorNamed("sw_cross_leaf_pair_height_3");
        uint256 at = leafStarts(v)[2];
        LeafProofs.setMask(v.proof, at, LeafProofs.maskAt(v.proof, at) | 1 << 3);
        vm.expectRevert(InvalidMemoryProof.selector);
        step.step(v.state, v.proof);
    }

    // -----------------------------------------------------------------------------------------
    // Fuzzing the proof checks
    // -----------------------------------------------------------------------------------------

    /// Flipping any bits of any proof byte of any vector is caught by the Merkle checks.
    function test_step_tamperedProofByte_reverts(uint256 seed, uint256 position, uint8 mask) public view {
        vm.assume(mask != 0);
        Vector memory v = vectorWithProof(seed);
        v.proof[position % v.proof.length] ^= bytes1(mask);
        bytes memory err = stepRevert(v.state, v.proof);
        vm.assertTrue(
            keccak256(err) == keccak256(abi.encodePacked(InvalidMemoryProof.selector))
                || keccak256(err) == keccak256(abi.encodePacked(InvalidProofLength.selector)),
            v.name
        );
    }

    /// A mask bit at a height that a leaf proof does not cover (27..31; from the pair height up in
    /// the second leaf of a crossing access) is rejected as soon as the mask is read, whatever
    /// follows.
    function test_step_reservedMaskBit_reverts(uint256 seed, uint256 leaf, uint8 bit, bool cut) public view {
        Vector memory v = vectorWithProof(seed);
        uint256 n = leaf % v.leaves;
        uint256 at = leafStarts(v)[n];
        uint256 b = v.heights[n] + bit % (32 - v.heights[n]);
        LeafProofs.setMask(v.proof, at, LeafProofs.maskAt(v.proof, at) | 1 << b);
        bytes memory proof = v.proof;
        if (cut) {
            assembly ("memory-safe") {
                mstore(proof, add(at, 36))
            }
        }
        vm.assertEq(stepRevert(v.state, proof), abi.encodePacked(InvalidMemoryProof.selector), v.name);
    }

    /// Flipping a mask bit the leaf proof covers: set, the sibling there is taken to be Z[h] and
    /// the fold breaks; cleared, one more sibling is read: the last leaf proof runs out, an
    /// earlier one takes it from the next leaf proof and its fold breaks.
    function test_step_maskBitFlip_reverts(uint256 seed, uint256 leaf, uint8 bit) public view {
        Vector memory v = vectorWithProof(seed);
        uint256 n = leaf % v.leaves;
        uint256 at = leafStarts(v)[n];
        vm.assume(v.heights[n] != 0);
        uint256 b = bit % v.heights[n];
        uint256 mask = LeafProofs.maskAt(v.proof, at);
        LeafProofs.setMask(v.proof, at, mask ^ (1 << b));
        bytes4 want =
            (mask >> b) & 1 == 1 && n + 1 == v.leaves ? InvalidProofLength.selector : InvalidMemoryProof.selector;
        vm.assertEq(stepRevert(v.state, v.proof), abi.encodePacked(want), v.name);
    }

    /// A zero-subtree sibling given explicitly (its mask bit cleared) is accepted: the same
    /// post-state.
    function test_step_explicitZeroSibling_succeeds(uint256 seed, uint256 leaf, uint8 height) public view {
        Vector memory v = vectorWithProof(seed);
        uint256 n = leaf % v.leaves;
        uint256[] memory starts = leafStarts(v);
        uint256 at = starts[n];
        uint256 mask = LeafProofs.maskAt(v.proof, at);
        vm.assume(mask != 0);
        // The `height % popcount`-th set bit.
        uint256 skip = height % LeafProofs.popcount(mask);
        uint256 h = 0;
        for (;; h++) {
            if ((mask >> h) & 1 == 0) continue;
            if (skip == 0) break;
            skip--;
        }
        LeafProofs.setMask(v.proof, at, mask & ~(uint256(1) << h));
        uint256 position = at + 36 + 32 * LeafProofs.popcount(~mask & ((1 << h) - 1));
        bytes memory proof = insert(v.proof, position, LeafProofs.zeroHash(h));
        vm.assertEq(step.step(v.state, proof), v.postStateHash, v.name);
    }

    /// Any strict prefix of a proof is too short.
    function test_step_truncatedProof_reverts(uint256 seed, uint256 cut) public view {
        Vector memory v = vectorWithProof(seed);
        uint256 len = cut % v.proof.length;
        bytes memory proof = v.proof;
        assembly ("memory-safe") {
            mstore(proof, len)
        }
        vm.assertEq(stepRevert(v.state, proof), abi.encodePacked(InvalidProofLength.selector), v.name);
    }

    /// Any bytes after a complete proof are too many, halted and misaligned states included.
    function test_step_extendedProof_reverts(uint256 seed, bytes calldata extra) public view {
        vm.assume(extra.length != 0);
        Vector memory v = loadVector(seed % vectorCount);
        bytes memory proof = bytes.concat(v.proof, extra);
        vm.assertEq(stepRevert(v.state, proof), abi.encodePacked(InvalidProofLength.selector), v.name);
    }

    /// Any non-canonical status/code pair is rejected before the proof is looked at.
    function test_step_nonCanonicalStatus_reverts(uint8 status, uint32 code) public view {
        bool canonical = (status == 0 && code == 0) || status == 1
            || (status == 2 && (code == 0 || code == 2 || code == 3 || code == 8));
        vm.assume(!canonical);
        Vector memory v = vectorNamed("addi");
        v.state[44] = bytes1(status);
        for (uint256 i = 0; i < 4; i++) {
            v.state[45 + i] = bytes1(uint8(code >> (24 - 8 * i)));
        }
        vm.assertEq(stepRevert(v.state, v.proof), abi.encodePacked(InvalidStatus.selector), "status");
    }

    /// Wrong state lengths are rejected first.
    function test_step_stateLength_reverts(bytes calldata state) public view {
        vm.assume(state.length != 173);
        vm.assertEq(stepRevert(state, ""), abi.encodePacked(InvalidStateLength.selector), "length");
    }

    // -----------------------------------------------------------------------------------------
    // Gas per instruction class: the gas used inside the step call, written to
    // snapshots/StepGas.json by snapshotGasLastCall and bounded here.
    // -----------------------------------------------------------------------------------------

    uint256 internal constant GAS_BUDGET = 25_000;

    /// Steps the named vector with gas metering on only around the step call, which runs from a
    /// fresh call frame (the fixture would otherwise make every memory allocation expensive).
    function measure(string memory vectorName, string memory label) internal returns (uint256 gasUsed) {
        vm.pauseGasMetering();
        Vector memory v = vectorNamed(vectorName);
        gasUsed = this.meteredStep(v.state, v.proof, v.postStateHash, label);
        vm.assertLe(gasUsed, GAS_BUDGET, string.concat(label, ": over the gas budget"));
        vm.resumeGasMetering();
    }

    /// Called by `measure` only (not a test: no `test` prefix).
    function meteredStep(bytes calldata state, bytes calldata proof, bytes32 post, string calldata label)
        external
        returns (uint256 gasUsed)
    {
        vm.resumeGasMetering();
        bytes32 got = step.step(state, proof);
        gasUsed = vm.snapshotGasLastCall("StepGas", label);
        vm.pauseGasMetering();
        vm.assertEq(got, post, label);
    }

    function test_step_gasAlu_succeeds() public {
        measure("add", "alu_add");
    }

    function test_step_gasAluImm_succeeds() public {
        measure("addi", "alu_addi");
    }

    function test_step_gasMulDiv_succeeds() public {
        measure("div", "muldiv_div");
    }

    function test_step_gasLui_succeeds() public {
        measure("lui", "lui");
    }

    function test_step_gasLoad_succeeds() public {
        measure("lw", "load_lw");
    }

    function test_step_gasLoadCrossLeaf_succeeds() public {
        measure("lw_cross_leaf", "load_lw_cross_leaf");
    }

    function test_step_gasStore_succeeds() public {
        measure("sw", "store_sw");
    }

    function test_step_gasStoreCrossLeaf_succeeds() public {
        measure("sw_cross_leaf", "store_sw_cross_leaf");
    }

    function test_step_gasStoreWrap_succeeds() public {
        measure("sw_wraps_address_space", "store_sw_wraps");
    }

    function test_step_gasLoadMixedSiblings_succeeds() public {
        measure("lw_mixed_siblings", "load_lw_mixed_siblings");
    }

    function test_step_gasLoadCrossLeafPairHeight3_succeeds() public {
        measure("lw_cross_leaf_pair_height_3", "load_lw_cross_leaf_k3");
    }

    function test_step_gasStoreCrossLeafPairHeight3_succeeds() public {
        measure("sw_cross_leaf_pair_height_3", "store_sw_cross_leaf_k3");
    }

    function test_step_gasLoadWrap_succeeds() public {
        measure("lw_wraps_address_space", "load_lw_wraps");
    }

    function test_step_gasStoreCrossHalfMemory_succeeds() public {
        measure("sw_cross_half_memory", "store_sw_cross_half_memory");
    }

    /// The longest proof of any step: every sibling given (a full memory), pair height 26.
    function test_step_gasStoreWrapAllSiblings_succeeds() public {
        measure("sw_wraps_address_space_explicit_zero_siblings", "store_sw_wraps_all_siblings_given");
    }

    function test_step_gasBranch_succeeds() public {
        measure("beq_taken", "branch_beq_taken");
    }

    function test_step_gasJal_succeeds() public {
        measure("jal_forward", "jump_jal");
    }

    function test_step_gasJalr_succeeds() public {
        measure("jalr", "jump_jalr");
    }

    function test_step_gasEcallExit_succeeds() public {
        measure("ecall_exit", "ecall_exit");
    }

    function test_step_gasEcallWrite_succeeds() public {
        measure("ecall_write", "ecall_write");
    }

    function test_step_gasIllegal_succeeds() public {
        measure("illegal_zero_word", "illegal");
    }

    function test_step_gasHalted_succeeds() public {
        measure("halted_exited_fixed_point", "halted");
    }
}
