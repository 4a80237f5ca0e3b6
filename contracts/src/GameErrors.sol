// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

// Why a game move or a claim action is rejected: the game errors mirror the Rust
// `opml_challenger::game::referee::RefereeError` one to one (docs/spec.md §9).

/// The game is over (`RefereeError::GameResolved`).
error GameResolved();
/// Not this side's turn, or not this kind of move now (`RefereeError::WrongMove`).
error WrongMove();
/// The mover's clock has run out (`RefereeError::ClockExpired`).
error ClockExpired();
/// `timeout` while the mover still has time (`RefereeError::ClockNotExpired`).
error ClockNotExpired();
/// Wrong number of values, or a segment or child out of range (`RefereeError::InvalidReveal`).
error InvalidReveal();
/// The re-sent list differs from the revealed one (`RefereeError::RevealMismatch`).
error RevealMismatch();
/// A Merkle proof or hash check fails (`RefereeError::InvalidProof`).
error InvalidProof();
/// The descriptor does not decode or is not the disputed node's (`RefereeError::InvalidDescriptor`).
error InvalidDescriptor();
/// The final state is not a successful exit at the claimed step (`RefereeError::InvalidFinalState`).
error InvalidFinalState();

// Claims and the oracle.

/// No such model, claim, request or game.
error UnknownId();
/// The value sent is not the required bond.
error WrongBond();
/// The claim's input or output is not what its final state root holds, or not the request's.
error ClaimMismatch();
/// The challenge window is closed (challenge) or still open (finalize).
error WindowClosed();
/// The challenge window is still open, or a game is still open.
error NotFinalizable();
/// The claim is already final or defeated.
error ClaimSettled();
/// Only the oracle may create games and only the game contract may report results.
error Unauthorized();
/// Nothing to withdraw, or the transfer failed.
error WithdrawFailed();
/// `finalize` left the consumer's callback less than its gas allowance, and it failed.
error InsufficientGas();

// Deployment.

/// Game parameters that cannot make progress: a dissection width below 2, a descent of 0 levels
/// per move, or a tile higher than the tensor tree.
error InvalidParams();
