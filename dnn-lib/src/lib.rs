//! opml-dnn: integer-only tensors, ops, graph, model file and commitments.
//!
//! The core (tensors, quantization, ops and their reference kernels, node descriptors, jobs) is
//! `no_std + alloc`, so the RISC-V guest links the very same code that native execution runs.
//! The `std` feature adds what only the host needs.
#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "std")]
pub mod builder;
pub mod codec;
#[cfg(feature = "std")]
pub mod commit;
#[cfg(feature = "std")]
pub mod exec;
#[cfg(feature = "std")]
pub mod fast;
pub mod graph;
pub mod matmul;
#[cfg(feature = "std")]
pub mod model;
pub mod ops;
pub mod quant;
pub mod tensor;
#[cfg(feature = "std")]
pub mod testcases;
pub mod testgen;
#[cfg(feature = "std")]
pub mod testmodels;
