// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {InvalidProofLength, InvalidStateLength, InvalidStatus, PreStateMismatch} from "./Errors.sol";
import {MemoryProof} from "./MemoryProof.sol";

/// @title Step
/// @notice The on-chain RV32IM one-step verifier: executes one instruction of the opml VM from a
/// packed pre-state and a memory proof, and returns the keccak256 of the packed post-state.
/// @dev The literal twin of `opml_vm::verify` (vm/src/verify.rs), which is the oracle: same checks
/// in the same order, same errors, function by function (`execute_instruction` ↔
/// `executeInstruction`, ...). Layouts: docs/spec.md §4 (state), §5 (execution), §6 (proof: leaf
/// proofs without their zero-subtree siblings, read one after the other by `MemoryProof`).
///
/// The packed state (173 bytes, big-endian) is copied once into memory and edited in place; its
/// hash is the post-state hash. Registers are read and written in place in the packed layout:
/// x_i is the 4 bytes at 45 + 4i. Reading "x0" there reads the code field, which a running
/// canonical state has at 0 (checked by `decodeState`), so register reads need no x0 test.
contract Step {
    using MemoryProof for MemoryProof.ProofMemory;

    /// Size of the packed state.
    uint256 internal constant STATE_SIZE = 173;
    /// Byte offsets of the packed state's fields.
    uint256 internal constant OFFSET_PC = 32;
    uint256 internal constant OFFSET_STEP = 36;
    uint256 internal constant OFFSET_STATUS = 44;
    uint256 internal constant OFFSET_CODE = 45;

    /// Status bytes.
    uint256 internal constant STATUS_RUNNING = 0;
    uint256 internal constant STATUS_EXITED = 1;
    uint256 internal constant STATUS_FAULTED = 2;

    /// Fault causes (the RISC-V exception codes).
    uint32 internal constant FAULT_INSTRUCTION_ADDRESS_MISALIGNED = 0;
    uint32 internal constant FAULT_ILLEGAL_INSTRUCTION = 2;
    uint32 internal constant FAULT_BREAKPOINT = 3;
    uint32 internal constant FAULT_UNSUPPORTED_SYSCALL = 8;

    /// System call numbers (a7).
    uint32 internal constant SYS_EXIT = 93;
    uint32 internal constant SYS_WRITE = 64;

    /// The post-state hash of one step from `state` with memory proof `proof`
    /// (`opml_vm::verify::step`, hashed).
    function step(bytes calldata state, bytes calldata proof) external pure returns (bytes32 postStateHash) {
        return _step(state, proof);
    }

    /// `step`, after checking that `state` hashes to `preStateHash` (`opml_vm::verify::verify_step`).
    function verifyStep(bytes32 preStateHash, bytes calldata state, bytes calldata proof)
        external
        pure
        returns (bytes32 postStateHash)
    {
        bytes32 h;
        assembly ("memory-safe") {
            let p := mload(0x40)
            calldatacopy(p, state.offset, state.length)
            h := keccak256(p, state.length)
        }
        if (h != preStateHash) revert PreStateMismatch();
        return _step(state, proof);
    }

    /// `verify::step`: decode, fixed point when halted, step counter, fetch, execute, proof fully
    /// read (`InvalidProofLength` for bytes after the last leaf proof), new memory root.
    function _step(bytes calldata state, bytes calldata proof) internal pure returns (bytes32) {
        uint256 s = decodeState(state);
        if (statusOf(s) != STATUS_RUNNING) {
            if (proof.length != 0) revert InvalidProofLength();
            return stateHash(s);
        }
        incrementStep(s);
        uint32 pc = pcOf(s);
        if (pc % 4 != 0) {
            if (proof.length != 0) revert InvalidProofLength();
            halt(s, STATUS_FAULTED, FAULT_INSTRUCTION_ADDRESS_MISALIGNED);
            return stateHash(s);
        }
        MemoryProof.ProofMemory memory mem = MemoryProof.init(memRootOf(s), proof);
        uint32 insn = mem.readMemory(pc, 4);
        executeInstruction(s, mem, insn);
        if (mem.cursor != proof.length) revert InvalidProofLength();
        setMemRoot(s, mem.root);
        return stateHash(s);
    }

    // ---------------------------------------------------------------------------------------
    // Packed state (`VmState::decode` / `encode`), in memory at pointer `s`.
    // ---------------------------------------------------------------------------------------

    /// Copies the packed state into memory after checking it is canonical; returns its pointer.
    function decodeState(bytes calldata state) internal pure returns (uint256 s) {
        if (state.length != STATE_SIZE) revert InvalidStateLength();
        uint256 status;
        uint256 code;
        assembly ("memory-safe") {
            s := mload(0x40)
            // 173 bytes plus slack: register writes are read-modify-write of whole words.
            mstore(0x40, add(s, 224))
            calldatacopy(s, state.offset, STATE_SIZE)
            status := byte(0, mload(add(s, OFFSET_STATUS)))
            code := shr(224, mload(add(s, OFFSET_CODE)))
        }
        if (status == STATUS_RUNNING) {
            if (code != 0) revert InvalidStatus();
        } else if (status == STATUS_FAULTED) {
            if (
                code != FAULT_INSTRUCTION_ADDRESS_MISALIGNED && code != FAULT_ILLEGAL_INSTRUCTION
                    && code != FAULT_BREAKPOINT && code != FAULT_UNSUPPORTED_SYSCALL
            ) revert InvalidStatus();
        } else if (status != STATUS_EXITED) {
            revert InvalidStatus();
        }
    }

    function stateHash(uint256 s) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            h := keccak256(s, STATE_SIZE)
        }
    }

    function memRootOf(uint256 s) internal pure returns (bytes32 root) {
        assembly ("memory-safe") {
            root := mload(s)
        }
    }

    function setMemRoot(uint256 s, bytes32 root) internal pure {
        assembly ("memory-safe") {
            mstore(s, root)
        }
    }

    function statusOf(uint256 s) internal pure returns (uint256 status) {
        assembly ("memory-safe") {
            status := byte(0, mload(add(s, OFFSET_STATUS)))
        }
    }

    function pcOf(uint256 s) internal pure returns (uint32 value) {
        assembly ("memory-safe") {
            value := shr(224, mload(add(s, OFFSET_PC)))
        }
    }

    /// pc = `value` (a read-modify-write of the word at the pc field).
    function setPc(uint256 s, uint32 value) internal pure {
        assembly ("memory-safe") {
            let p := add(s, OFFSET_PC)
            mstore(p, or(shr(32, shl(32, mload(p))), shl(224, value)))
        }
    }

    /// step = step + 1 modulo 2^64.
    function incrementStep(uint256 s) internal pure {
        assembly ("memory-safe") {
            let p := add(s, OFFSET_STEP)
            let w := mload(p)
            let n := and(add(shr(192, w), 1), 0xFFFFFFFFFFFFFFFF)
            mstore(p, or(shr(64, shl(64, w)), shl(192, n)))
        }
    }

    /// x`i` for i in 1..31 (x0 reads the code field: 0 while running, see the contract notes).
    function reg(uint256 s, uint256 i) internal pure returns (uint32 value) {
        assembly ("memory-safe") {
            value := shr(224, mload(add(add(s, OFFSET_CODE), shl(2, i))))
        }
    }

    /// Writes x`rd`; writes to x0 are discarded (`set_reg`).
    function setReg(uint256 s, uint256 rd, uint32 value) internal pure {
        assembly ("memory-safe") {
            if rd {
                let p := add(add(s, OFFSET_CODE), shl(2, rd))
                mstore(p, or(shr(32, shl(32, mload(p))), shl(224, value)))
            }
        }
    }

    /// Halts: status and code change, pc and registers stay (`halt`).
    function halt(uint256 s, uint256 status, uint32 code) internal pure {
        assembly ("memory-safe") {
            mstore8(add(s, OFFSET_STATUS), status)
            let p := add(s, OFFSET_CODE)
            mstore(p, or(shr(32, shl(32, mload(p))), shl(224, code)))
        }
    }

    function illegal(uint256 s) private pure {
        halt(s, STATUS_FAULTED, FAULT_ILLEGAL_INSTRUCTION);
    }

    // ---------------------------------------------------------------------------------------
    // Execution (docs/spec.md §5).
    // ---------------------------------------------------------------------------------------

    /// The low `bits` bits of `value`, sign-extended to 32 bits.
    function signExtend(uint32 value, uint32 bits) internal pure returns (uint32) {
        unchecked {
            return uint32(int32(value << (32 - bits)) >> (32 - bits));
        }
    }

    /// Decodes and executes `insn` (fields are decoded where they are used, to keep the stack
    /// small; all decodes are pure, so this is the same as decoding them all up front).
    function executeInstruction(uint256 s, MemoryProof.ProofMemory memory mem, uint32 insn) internal pure {
        unchecked {
            uint32 opcode = insn & 0x7F;
            uint256 rd = (insn >> 7) & 0x1F;
            uint32 funct3 = (insn >> 12) & 7;
            uint32 rs1 = reg(s, (insn >> 15) & 0x1F);
            if (opcode == 0x13) {
                executeOpImm(s, funct3, insn >> 25, rd, rs1, signExtend(insn >> 20, 12), (insn >> 20) & 0x1F);
            } else if (opcode == 0x33) {
                executeOp(s, funct3, insn >> 25, rd, rs1, reg(s, (insn >> 20) & 0x1F));
            } else if (opcode == 0x03) {
                executeLoad(s, mem, funct3, rd, rs1 + signExtend(insn >> 20, 12));
            } else if (opcode == 0x23) {
                uint32 immS = signExtend(((insn >> 25) << 5) | ((insn >> 7) & 0x1F), 12);
                executeStore(s, mem, funct3, rs1 + immS, reg(s, (insn >> 20) & 0x1F));
            } else if (opcode == 0x63) {
                executeBranch(s, funct3, rs1, reg(s, (insn >> 20) & 0x1F), insn);
            } else if (opcode == 0x37) {
                // lui
                setReg(s, rd, insn & 0xFFFFF000);
                setPc(s, pcOf(s) + 4);
            } else if (opcode == 0x17) {
                // auipc
                uint32 pc = pcOf(s);
                setReg(s, rd, pc + (insn & 0xFFFFF000));
                setPc(s, pc + 4);
            } else if (opcode == 0x6F) {
                // jal
                uint32 pc = pcOf(s);
                uint32 imm = (((insn >> 31) & 1) << 20) | (((insn >> 12) & 0xFF) << 12) | (((insn >> 20) & 1) << 11)
                    | (((insn >> 21) & 0x3FF) << 1);
                setReg(s, rd, pc + 4);
                setPc(s, pc + signExtend(imm, 21));
            } else if (opcode == 0x67 && funct3 == 0) {
                // jalr: the target is computed before rd is written
                uint32 pc = pcOf(s);
                uint32 target = (rs1 + signExtend(insn >> 20, 12)) & ~uint32(1);
                setReg(s, rd, pc + 4);
                setPc(s, target);
            } else if (opcode == 0x0F && funct3 <= 1) {
                // fence, fence.i
                setPc(s, pcOf(s) + 4);
            } else if (opcode == 0x73) {
                executeSystem(s, insn);
            } else {
                illegal(s);
            }
        }
    }

    function executeBranch(uint256 s, uint32 funct3, uint32 a, uint32 b, uint32 insn) internal pure {
        unchecked {
            bool taken;
            if (funct3 == 0) taken = a == b;
            else if (funct3 == 1) taken = a != b;
            else if (funct3 == 4) taken = int32(a) < int32(b);
            else if (funct3 == 5) taken = int32(a) >= int32(b);
            else if (funct3 == 6) taken = a < b;
            else if (funct3 == 7) taken = a >= b;
            else return illegal(s);
            uint32 imm = (((insn >> 31) & 1) << 12) | (((insn >> 7) & 1) << 11) | (((insn >> 25) & 0x3F) << 5)
                | (((insn >> 8) & 0xF) << 1);
            uint32 pc = pcOf(s);
            setPc(s, taken ? pc + signExtend(imm, 13) : pc + 4);
        }
    }

    function executeLoad(uint256 s, MemoryProof.ProofMemory memory mem, uint32 funct3, uint256 rd, uint32 addr)
        internal
        pure
    {
        unchecked {
            uint32 value;
            if (funct3 == 0) value = signExtend(mem.readMemory(addr, 1), 8);
            else if (funct3 == 1) value = signExtend(mem.readMemory(addr, 2), 16);
            else if (funct3 == 2) value = mem.readMemory(addr, 4);
            else if (funct3 == 4) value = mem.readMemory(addr, 1);
            else if (funct3 == 5) value = mem.readMemory(addr, 2);
            else return illegal(s);
            setReg(s, rd, value);
            setPc(s, pcOf(s) + 4);
        }
    }

    function executeStore(uint256 s, MemoryProof.ProofMemory memory mem, uint32 funct3, uint32 addr, uint32 value)
        internal
        pure
    {
        unchecked {
            uint32 width;
            if (funct3 == 0) width = 1;
            else if (funct3 == 1) width = 2;
            else if (funct3 == 2) width = 4;
            else return illegal(s);
            mem.writeMemory(addr, width, value);
            setPc(s, pcOf(s) + 4);
        }
    }

    function executeOpImm(uint256 s, uint32 funct3, uint32 funct7, uint256 rd, uint32 a, uint32 imm, uint32 shamt)
        internal
        pure
    {
        unchecked {
            uint32 value;
            if (funct3 == 0) value = a + imm;
            else if (funct3 == 2) value = int32(a) < int32(imm) ? 1 : 0;
            else if (funct3 == 3) value = a < imm ? 1 : 0;
            else if (funct3 == 4) value = a ^ imm;
            else if (funct3 == 6) value = a | imm;
            else if (funct3 == 7) value = a & imm;
            else if (funct3 == 1 && funct7 == 0) value = a << shamt;
            else if (funct3 == 5 && funct7 == 0) value = a >> shamt;
            else if (funct3 == 5 && funct7 == 0x20) value = uint32(int32(a) >> shamt);
            else return illegal(s);
            setReg(s, rd, value);
            setPc(s, pcOf(s) + 4);
        }
    }

    function executeOp(uint256 s, uint32 funct3, uint32 funct7, uint256 rd, uint32 a, uint32 b) internal pure {
        unchecked {
            uint32 value;
            if (funct7 == 0x00) {
                if (funct3 == 0) value = a + b;
                else if (funct3 == 1) value = a << (b & 31);
                else if (funct3 == 2) value = int32(a) < int32(b) ? 1 : 0;
                else if (funct3 == 3) value = a < b ? 1 : 0;
                else if (funct3 == 4) value = a ^ b;
                else if (funct3 == 5) value = a >> (b & 31);
                else if (funct3 == 6) value = a | b;
                else value = a & b;
            } else if (funct7 == 0x20 && funct3 == 0) {
                value = a - b;
            } else if (funct7 == 0x20 && funct3 == 5) {
                value = uint32(int32(a) >> (b & 31));
            } else if (funct7 == 0x01) {
                value = executeMulDiv(funct3, a, b);
            } else {
                return illegal(s);
            }
            setReg(s, rd, value);
            setPc(s, pcOf(s) + 4);
        }
    }

    function executeMulDiv(uint32 funct3, uint32 a, uint32 b) internal pure returns (uint32) {
        unchecked {
            int64 sa = int64(int32(a));
            int64 sb = int64(int32(b));
            if (funct3 == 0) return uint32(uint64(sa * sb));
            if (funct3 == 1) return uint32(uint64((sa * sb) >> 32));
            if (funct3 == 2) return uint32(uint64((sa * int64(uint64(b))) >> 32));
            if (funct3 == 3) return uint32((uint64(a) * uint64(b)) >> 32);
            if (funct3 == 4) {
                if (b == 0) return type(uint32).max;
                if (a == 0x80000000 && b == type(uint32).max) return a;
                return uint32(int32(sa / sb));
            }
            if (funct3 == 5) {
                if (b == 0) return type(uint32).max;
                return a / b;
            }
            if (funct3 == 6) {
                if (b == 0) return a;
                if (a == 0x80000000 && b == type(uint32).max) return 0;
                return uint32(int32(sa % sb));
            }
            if (b == 0) return a;
            return a % b;
        }
    }

    function executeSystem(uint256 s, uint32 insn) internal pure {
        unchecked {
            if (insn == 0x00000073) {
                uint32 a7 = reg(s, 17);
                if (a7 == SYS_EXIT) {
                    halt(s, STATUS_EXITED, reg(s, 10));
                } else if (a7 == SYS_WRITE) {
                    setReg(s, 10, reg(s, 12));
                    setPc(s, pcOf(s) + 4);
                } else {
                    halt(s, STATUS_FAULTED, FAULT_UNSUPPORTED_SYSCALL);
                }
            } else if (insn == 0x00100073) {
                halt(s, STATUS_FAULTED, FAULT_BREAKPOINT);
            } else {
                illegal(s);
            }
        }
    }
}
