//! opml-challenger: chain access, the dispute game and services of the `opml` binary.
//!
//! - [`contracts`]: the compiled Solidity contracts, embedded, run in an in-process EVM.

pub mod contracts;
