//! opml-dnn: integer-only reference kernels. `no_std + alloc` so that the RISC-V guest links the
//! very same code that native execution runs.
#![no_std]

pub mod matmul;
pub mod testgen;
