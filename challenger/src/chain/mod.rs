//! Chain access behind one interface: the embedded chain (revm in-process, the default) and any
//! Ethereum JSON-RPC node (alloy). The opml contracts are driven through [`Opml`], which works
//! on either.

pub mod contracts;
pub mod embedded;
pub mod rpc;

use std::future::Future;

use alloy_primitives::{Address, Bytes, Log, B256, U256};

pub use contracts::{Addresses, Opml};
pub use embedded::EmbeddedChain;
pub use rpc::{RpcChain, RpcOptions};

use crate::evm::TxError;

/// Why a chain action failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// Reverted with this custom error (e.g. `"InvalidProof"`), or with this hex revert data
    /// when it is none of the opml contracts' errors.
    #[error("reverted with {0}")]
    Revert(String),
    /// The embedded EVM failed otherwise (halt, rejected transaction).
    #[error(transparent)]
    Tx(#[from] TxError),
    /// A return value or event did not decode.
    #[error("cannot decode {0}")]
    Decode(String),
    /// The node could not be reached, or kept failing after the retries.
    #[error("JSON-RPC node unreachable: {0}")]
    Unreachable(String),
    /// The node answered with an error or with something that is not a valid answer.
    #[error("JSON-RPC node: {0}")]
    Node(String),
    /// The transaction was mined but failed (out of gas, or reverted after its estimate).
    #[error("transaction {0} failed on chain")]
    Failed(B256),
    /// The chain cannot do this (e.g. move its clock).
    #[error("not supported by this chain: {0}")]
    Unsupported(String),
    /// `from` is not an account this client can sign for.
    #[error("no signing key for {0}")]
    UnknownSender(Address),
}

impl ChainError {
    /// Whether trying again later may succeed (the node was unreachable or answered badly).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unreachable(_) | Self::Node(_))
    }
}

/// A mined, successful transaction.
#[derive(Debug, Clone)]
pub struct TxOutcome {
    /// Its hash (the embedded chain numbers its transactions instead).
    pub hash: B256,
    /// The block that holds it.
    pub block: u64,
    /// Gas used, intrinsic gas and calldata included.
    pub gas_used: u64,
    /// Logs emitted.
    pub logs: Vec<Log>,
    /// The created contract, for a deployment.
    pub created: Option<Address>,
    /// How many times it was replaced with higher fees before it was mined.
    pub replaced: u32,
}

/// A log with its position in the chain.
#[derive(Debug, Clone)]
pub struct ChainLog {
    /// Block number.
    pub block: u64,
    /// Index of the log in its block.
    pub index: u64,
    /// The log.
    pub log: Log,
}

/// A chain the opml contracts live on. Methods return `Send` futures so that services can
/// spawn them on tokio.
pub trait Chain: Send + Sync {
    /// A short description for logs ("embedded", or the node's URL without credentials).
    fn describe(&self) -> String;
    /// The chain id.
    fn chain_id(&self) -> impl Future<Output = Result<u64, ChainError>> + Send;
    /// The latest block number.
    fn block_number(&self) -> impl Future<Output = Result<u64, ChainError>> + Send;
    /// The latest block's timestamp.
    fn timestamp(&self) -> impl Future<Output = Result<u64, ChainError>> + Send;
    /// Runs a call against the latest state without sending a transaction.
    fn call(
        &self,
        to: Address,
        data: Bytes,
    ) -> impl Future<Output = Result<Bytes, ChainError>> + Send;
    /// Sends a transaction from `from` (to `None` deploys `data`) and waits until it is mined.
    fn send(
        &self,
        from: Address,
        to: Option<Address>,
        data: Bytes,
        value: U256,
    ) -> impl Future<Output = Result<TxOutcome, ChainError>> + Send;
    /// Logs of `addresses` in blocks `from..=to`, in chain order.
    fn logs(
        &self,
        addresses: &[Address],
        from: u64,
        to: u64,
    ) -> impl Future<Output = Result<Vec<ChainLog>, ChainError>> + Send;
    /// The balance of `who`.
    fn balance(&self, who: Address) -> impl Future<Output = Result<U256, ChainError>> + Send;
    /// Moves the chain's clock on by `seconds` and mines a block (the embedded chain and
    /// development nodes such as anvil; a public node answers [`ChainError::Unsupported`]).
    fn advance_time(&self, seconds: u64) -> impl Future<Output = Result<(), ChainError>> + Send;
}
