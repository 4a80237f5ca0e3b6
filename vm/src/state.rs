//! The packed VM state and its hash (docs/spec.md, "State").
//!
//! Layout, integers big-endian:
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 32 | memory root |
//! | 32 | 4 | pc |
//! | 36 | 8 | step counter |
//! | 44 | 1 | status: 0 running, 1 exited, 2 faulted |
//! | 45 | 4 | code: exit code (exited), fault cause (faulted), 0 (running) |
//! | 49 | 124 | x1..x31, 4 bytes each |

use crate::merkle::{keccak256, Hash};
use serde::{Deserialize, Serialize};

/// Size of the packed state in bytes.
pub const STATE_SIZE: usize = 173;

/// Byte offsets of the packed state's fields.
pub mod offset {
    /// Memory root.
    pub const MEM_ROOT: usize = 0;
    /// Program counter.
    pub const PC: usize = 32;
    /// Step counter.
    pub const STEP: usize = 36;
    /// Status byte.
    pub const STATUS: usize = 44;
    /// Exit code or fault cause.
    pub const CODE: usize = 45;
    /// x1; x_i is at `REGS + 4 * (i - 1)`.
    pub const REGS: usize = 49;
}
const _: () = assert!(offset::REGS + 31 * 4 == STATE_SIZE);

/// Why a run stopped with a fault: the value is the RISC-V exception cause code.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// pc is not a multiple of 4.
    InstructionAddressMisaligned = 0,
    /// Not an RV32IM instruction this VM executes (includes CSR instructions and compressed ones).
    IllegalInstruction = 2,
    /// `ebreak`.
    Breakpoint = 3,
    /// `ecall` with an a7 other than exit (93) or write (64).
    UnsupportedSyscall = 8,
}

impl Fault {
    /// The fault with this cause code.
    pub fn from_code(code: u32) -> Option<Self> {
        Some(match code {
            0 => Self::InstructionAddressMisaligned,
            2 => Self::IllegalInstruction,
            3 => Self::Breakpoint,
            8 => Self::UnsupportedSyscall,
            _ => return None,
        })
    }
}

/// Whether the machine runs, and how it halted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Still running.
    Running,
    /// Halted by `ecall` exit with this code.
    Exited(u32),
    /// Halted by a fault.
    Faulted(Fault),
}

impl Status {
    /// The status byte of the packed state.
    pub fn tag(self) -> u8 {
        match self {
            Self::Running => 0,
            Self::Exited(_) => 1,
            Self::Faulted(_) => 2,
        }
    }

    /// The code field of the packed state.
    pub fn code(self) -> u32 {
        match self {
            Self::Running => 0,
            Self::Exited(c) => c,
            Self::Faulted(f) => f as u32,
        }
    }

    /// True once the machine halted; a halted state is a fixed point of `step`.
    pub fn is_halted(self) -> bool {
        self != Self::Running
    }
}

/// Why bytes are not a packed state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// Wrong length.
    #[error("packed state must be {STATE_SIZE} bytes, got {0}")]
    Length(usize),
    /// Status byte out of range, a nonzero code while running, or an unknown fault cause.
    #[error("invalid status byte {status} with code {code}")]
    Status {
        /// The status byte.
        status: u8,
        /// The code field.
        code: u32,
    },
}

/// The whole machine state, with memory reduced to its root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VmState {
    /// Root of the depth-27 memory tree.
    pub mem_root: Hash,
    /// Program counter.
    pub pc: u32,
    /// Instructions executed so far.
    pub step: u64,
    /// Running or halted.
    pub status: Status,
    /// x0..x31; `regs[0]` is always 0.
    pub regs: [u32; 32],
}

impl VmState {
    /// The packed bytes.
    pub fn encode(&self) -> [u8; STATE_SIZE] {
        let mut out = [0u8; STATE_SIZE];
        out[offset::MEM_ROOT..offset::PC].copy_from_slice(&self.mem_root);
        out[offset::PC..offset::STEP].copy_from_slice(&self.pc.to_be_bytes());
        out[offset::STEP..offset::STATUS].copy_from_slice(&self.step.to_be_bytes());
        out[offset::STATUS] = self.status.tag();
        out[offset::CODE..offset::REGS].copy_from_slice(&self.status.code().to_be_bytes());
        for i in 1..32 {
            let at = offset::REGS + 4 * (i - 1);
            out[at..at + 4].copy_from_slice(&self.regs[i].to_be_bytes());
        }
        out
    }

    /// Parses packed bytes, rejecting non-canonical ones.
    pub fn decode(bytes: &[u8]) -> Result<Self, StateError> {
        if bytes.len() != STATE_SIZE {
            return Err(StateError::Length(bytes.len()));
        }
        let be32 = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let tag = bytes[offset::STATUS];
        let code = be32(offset::CODE);
        let status = match tag {
            0 if code == 0 => Status::Running,
            1 => Status::Exited(code),
            2 => Status::Faulted(
                Fault::from_code(code).ok_or(StateError::Status { status: tag, code })?,
            ),
            _ => return Err(StateError::Status { status: tag, code }),
        };
        let mut regs = [0u32; 32];
        for (i, r) in regs.iter_mut().enumerate().skip(1) {
            *r = be32(offset::REGS + 4 * (i - 1));
        }
        Ok(Self {
            mem_root: bytes[..32].try_into().expect("32 bytes"),
            pc: be32(offset::PC),
            step: u64::from_be_bytes(
                bytes[offset::STEP..offset::STATUS]
                    .try_into()
                    .expect("8 bytes"),
            ),
            status,
            regs,
        })
    }

    /// keccak256 of the packed bytes.
    pub fn hash(&self) -> Hash {
        keccak256(&self.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_round_trip() {
        let mut regs = [0u32; 32];
        for (i, r) in regs.iter_mut().enumerate().skip(1) {
            *r = (i as u32).wrapping_mul(0x9E37_79B9);
        }
        for status in [
            Status::Running,
            Status::Exited(0xDEAD_BEEF),
            Status::Faulted(Fault::Breakpoint),
        ] {
            let s = VmState {
                mem_root: [7; 32],
                pc: 0x1234,
                step: 1 << 40,
                status,
                regs,
            };
            assert_eq!(VmState::decode(&s.encode()), Ok(s));
        }
    }

    #[test]
    fn golden_layout() {
        let mut regs = [0u32; 32];
        regs[1] = 0x0102_0304;
        regs[31] = 0xA0B0_C0D0;
        let s = VmState {
            mem_root: [0xAA; 32],
            pc: 0x8000_0004,
            step: 0x0102_0304_0506_0708,
            status: Status::Exited(5),
            regs,
        };
        let b = s.encode();
        assert_eq!(&b[32..36], &[0x80, 0, 0, 4]);
        assert_eq!(&b[36..44], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(&b[44..49], &[1, 0, 0, 0, 5]);
        assert_eq!(&b[49..53], &[1, 2, 3, 4]);
        assert_eq!(&b[169..173], &[0xA0, 0xB0, 0xC0, 0xD0]);
    }

    #[test]
    fn rejects_non_canonical() {
        let s = VmState {
            mem_root: [0; 32],
            pc: 0,
            step: 0,
            status: Status::Running,
            regs: [0; 32],
        };
        let mut b = s.encode();
        b[offset::STATUS] = 3;
        assert!(VmState::decode(&b).is_err());
        b[offset::STATUS] = 0;
        b[offset::CODE + 3] = 1;
        assert!(VmState::decode(&b).is_err());
        b[offset::STATUS] = 2;
        b[offset::CODE + 3] = 1;
        assert!(
            VmState::decode(&b).is_err(),
            "cause 1 is not a fault this VM raises"
        );
        assert_eq!(VmState::decode(&b[..10]), Err(StateError::Length(10)));
    }
}
