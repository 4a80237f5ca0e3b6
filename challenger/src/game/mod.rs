//! The dispute game engine (docs/spec.md §9): what an honest claimant or challenger computes
//! and which move it makes next.

pub mod dissection;
pub mod engine;
pub mod onchain;
pub mod referee;
pub mod sim;
pub mod work;
