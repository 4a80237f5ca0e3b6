//! opml-challenger: chain access, the dispute game and services of the `opml` binary.
//!
//! - [`chain`]: one interface over the embedded chain and JSON-RPC nodes; the opml contracts on it.
//! - [`contracts`]: the compiled Solidity contracts, embedded, run in an in-process EVM.
//! - [`evm`]: an in-process EVM with committed state and an explicit clock.
//! - [`game`]: the dispute game engine.
//! - [`service`]: the submitter and watchtower service.

pub mod chain;
pub mod contracts;
pub mod demo_model;
pub mod evm;
pub mod game;
pub mod guest;
pub mod service;
