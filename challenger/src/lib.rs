//! opml-challenger: chain access, the dispute game and services of the `opml` binary.
//!
//! - [`contracts`]: the compiled Solidity contracts, embedded, run in an in-process EVM.
//! - [`evm`]: an in-process EVM with committed state and an explicit clock.
//! - [`game`]: the dispute game engine.

pub mod contracts;
pub mod evm;
pub mod game;
