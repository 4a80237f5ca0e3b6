//! The embedded chain: the contracts in an in-process EVM, one block per transaction.

use std::sync::mpsc;

use tokio::sync::oneshot;

use alloy_primitives::{Address, Bytes, B256, U256};

use super::{Chain, ChainError, ChainLog, TxOutcome};
use crate::evm::{Evm, TxError};

/// An in-process chain that mines a block for every transaction, one second after the last.
/// The EVM is not `Send`, so it lives on its own thread and is reached through a channel.
#[derive(Debug)]
pub struct EmbeddedChain {
    jobs: mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce(&mut Inner) + Send>;

#[derive(Debug, Default)]
struct Inner {
    evm: Evm,
    logs: Vec<ChainLog>,
    transactions: u64,
}

impl Default for EmbeddedChain {
    fn default() -> Self {
        Self::new()
    }
}

impl EmbeddedChain {
    /// An empty chain at timestamp 1.
    pub fn new() -> Self {
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("opml-embedded-chain".into())
            .spawn(move || {
                let mut inner = Inner::default();
                while let Ok(job) = rx.recv() {
                    job(&mut inner);
                }
            })
            .expect("cannot start the embedded chain's thread");
        Self { jobs }
    }

    /// Runs `f` on the chain's thread.
    async fn with<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Inner) -> R + Send + 'static,
    ) -> Result<R, ChainError> {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Box::new(move |inner| {
                let _ = tx.send(f(inner));
            }))
            .map_err(|_| ChainError::Unreachable("the embedded chain stopped".into()))?;
        rx.await
            .map_err(|_| ChainError::Unreachable("the embedded chain stopped".into()))
    }

    /// Gives `who` a balance of `wei` (outside an async context).
    pub fn fund(&self, who: Address, wei: U256) {
        let (tx, rx) = std::sync::mpsc::channel();
        let sent = self.jobs.send(Box::new(move |inner: &mut Inner| {
            inner.evm.fund(who, wei);
            let _ = tx.send(());
        }));
        if sent.is_ok() {
            let _ = rx.recv();
        }
    }
}

impl Inner {
    fn send_now(
        &mut self,
        from: Address,
        to: Option<Address>,
        data: Bytes,
        value: U256,
    ) -> Result<TxOutcome, ChainError> {
        let t = self.evm.timestamp() + 1;
        self.evm.set_timestamp(t);
        let block = self.evm.block_number();
        let receipt = match to {
            Some(to) => self.evm.transact(from, to, data, value),
            None => self.evm.create(from, data, value),
        }
        .map_err(named)?;
        self.transactions += 1;
        let hash = B256::from(U256::from(self.transactions));
        for (i, log) in receipt.logs.iter().enumerate() {
            self.logs.push(ChainLog {
                block,
                index: i as u64,
                log: log.clone(),
            });
        }
        Ok(TxOutcome {
            hash,
            block,
            gas_used: receipt.gas_used,
            logs: receipt.logs,
            created: receipt.created,
            replaced: 0,
        })
    }
}

/// A revert named by the opml contracts' errors where possible.
pub(crate) fn named(e: TxError) -> ChainError {
    match e {
        TxError::Revert(data) => crate::game::onchain::reverted(&data),
        e => ChainError::Tx(e),
    }
}

impl Chain for EmbeddedChain {
    fn describe(&self) -> String {
        "embedded".into()
    }

    async fn chain_id(&self) -> Result<u64, ChainError> {
        Ok(1)
    }

    async fn block_number(&self) -> Result<u64, ChainError> {
        self.with(|i| i.evm.block_number()).await
    }

    async fn timestamp(&self) -> Result<u64, ChainError> {
        self.with(|i| i.evm.timestamp()).await
    }

    async fn call(&self, to: Address, data: Bytes) -> Result<Bytes, ChainError> {
        self.with(move |i| i.evm.call(Address::ZERO, to, data).map_err(named))
            .await?
    }

    async fn send(
        &self,
        from: Address,
        to: Option<Address>,
        data: Bytes,
        value: U256,
    ) -> Result<TxOutcome, ChainError> {
        self.with(move |i| i.send_now(from, to, data, value))
            .await?
    }

    async fn logs(
        &self,
        addresses: &[Address],
        from: u64,
        to: u64,
    ) -> Result<Vec<ChainLog>, ChainError> {
        let addresses = addresses.to_vec();
        self.with(move |i| {
            i.logs
                .iter()
                .filter(|l| (from..=to).contains(&l.block) && addresses.contains(&l.log.address))
                .cloned()
                .collect()
        })
        .await
    }

    async fn balance(&self, who: Address) -> Result<U256, ChainError> {
        self.with(move |i| i.evm.balance(who)).await
    }

    async fn advance_time(&self, seconds: u64) -> Result<(), ChainError> {
        self.with(move |i| {
            let t = i.evm.timestamp() + seconds;
            i.evm.set_timestamp(t);
        })
        .await
    }
}
