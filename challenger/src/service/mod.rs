//! The opml service: an [`Agent`] follows the chain, answers inference requests with claims it
//! defends (`opml serve`), recomputes every claim and challenges the wrong ones (`opml watch`),
//! plays its games to the end, and keeps what it must remember in an embedded database so that
//! a restart resumes every game.

pub mod agent;
pub mod brain;
pub mod metrics;
pub mod store;

pub use agent::{Agent, AgentConfig, Behavior, Roles};
pub use metrics::Metrics;
pub use store::Store;
