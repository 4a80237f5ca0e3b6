// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

// Why a step proof does not verify: one error per variant of the Rust `opml_vm::verify::VerifyError`,
// same names, same conditions (docs/spec.md §6).

/// The packed state is not 173 bytes (`VerifyError::InvalidStateLength`).
error InvalidStateLength();

/// The packed state's status or code field is not canonical (`VerifyError::InvalidStatus`).
error InvalidStatus();

/// The pre-state does not hash to the trusted pre-state hash (`VerifyError::PreStateMismatch`).
error PreStateMismatch();

/// The memory proof ends inside a leaf proof, or goes on after the last leaf proof the
/// instruction reads (`VerifyError::InvalidProofLength`).
error InvalidProofLength();

/// A leaf proof's mask has a bit set at a height the proof does not cover, or the leaf proof does
/// not fold to the memory root (full proof) or to the first leaf's sibling at the pair height
/// (pair proof) (`VerifyError::InvalidMemoryProof`).
error InvalidMemoryProof();
