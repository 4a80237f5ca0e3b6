//! opml-vm: the deterministic RV32IM machine that referees every opml dispute.
//!
//! - [`Machine`]: the fast interpreter over [`Memory`], a sparse Merkleized 4 GiB memory.
//! - [`VmState`]: the packed state whose keccak256 is the state hash.
//! - [`Trace`]: a recorded run with snapshots; the proof of any step in little time.
//! - [`verify`]: the literal one-step verifier, the oracle for the Solidity step contract.
//! - [`Program`]: the static RV32 ELF loader.
//!
//! Byte layouts are specified in `docs/spec.md`.

pub mod decode;
pub mod elf;
mod hex_bytes;
pub mod job;
pub mod keccak_lanes;
pub mod layout;
pub mod machine;
pub mod memory;
pub mod merkle;
pub mod proof;
pub mod state;
pub mod trace;
pub mod verify;

pub use elf::{ElfError, Program};
pub use machine::Machine;
pub use memory::{LeafProof, Memory, MemoryError};
pub use merkle::Hash;
pub use proof::StepProof;
pub use state::{Fault, Status, VmState, STATE_SIZE};
pub use trace::{Trace, TraceError};
