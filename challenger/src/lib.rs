//! opml-challenger: chain access, the dispute game and services of the `opml` binary.
//!
//! - [`contracts`]: the compiled Solidity contracts, embedded, run in an in-process EVM.
//! - [`game`]: the dispute game engine.

pub mod contracts;
pub mod game;
