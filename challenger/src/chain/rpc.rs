//! A JSON-RPC node through alloy: local signing keys, one transaction in flight per sender with
//! its own nonce, gas estimated first (so a revert is named before anything is sent), fees
//! bumped and the transaction replaced when it is not mined in time, and every read retried
//! with exponential backoff while the node is unreachable.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use alloy_network::eip2718::Encodable2718;
use alloy_network::{Ethereum, EthereumWallet, NetworkTransactionBuilder, TransactionBuilder};
use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_provider::{Provider, ProviderBuilder, RootProvider};
use alloy_rpc_types_eth::{BlockNumberOrTag, Filter, TransactionRequest};
use alloy_signer_local::PrivateKeySigner;
use alloy_transport::{RpcError, TransportErrorKind};
use tokio::sync::Mutex;

use super::{Chain, ChainError, ChainLog, TxOutcome};

/// Timing of an [`RpcChain`].
#[derive(Debug, Clone)]
pub struct RpcOptions {
    /// Attempts of a call while the node is unreachable or answers badly.
    pub attempts: u32,
    /// First backoff between attempts; doubled each time, at most 30 s.
    pub backoff: Duration,
    /// How often to look for a receipt.
    pub poll: Duration,
    /// How long to wait for a receipt before replacing the transaction with higher fees.
    pub replace_after: Duration,
    /// How many times a transaction is replaced before giving up.
    pub replacements: u32,
    /// Time limit of one HTTP request.
    pub request_timeout: Duration,
}

impl Default for RpcOptions {
    fn default() -> Self {
        Self {
            attempts: 6,
            backoff: Duration::from_millis(250),
            poll: Duration::from_millis(250),
            replace_after: Duration::from_secs(60),
            replacements: 4,
            request_timeout: Duration::from_secs(20),
        }
    }
}

/// What a sender's next transaction must respect.
#[derive(Debug, Default)]
struct SenderState {
    /// The next nonce, once known.
    next: Option<u64>,
    /// Fees (max, priority) of a transaction that was never seen mined at `next`: the next one
    /// replaces it and must pay more.
    stuck: Option<(u128, u128)>,
}

/// EIP-7825's cap on a transaction's gas limit.
pub const TX_GAS_CAP: u64 = 1 << 24;

/// A JSON-RPC node and the keys this client signs with.
pub struct RpcChain {
    url: String,
    /// The URL as the HTTP client prints it (normalized), for scrubbing it from errors.
    url_normalized: String,
    provider: RootProvider,
    wallet: EthereumWallet,
    signers: Vec<Address>,
    options: RpcOptions,
    chain_id: tokio::sync::OnceCell<u64>,
    /// Per sender: its nonce state; the lock keeps one transaction in flight.
    senders: std::sync::Mutex<HashMap<Address, Arc<Mutex<SenderState>>>>,
}

impl std::fmt::Debug for RpcChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RpcChain")
            .field("url", &self.describe())
            .field("signers", &self.signers)
            .finish_non_exhaustive()
    }
}

impl RpcChain {
    /// A client of the node at `url` (http or https) signing with `keys`.
    pub fn new(
        url: &str,
        keys: Vec<PrivateKeySigner>,
        options: RpcOptions,
    ) -> Result<Self, ChainError> {
        let parsed: alloy_transport_http::reqwest::Url = url
            .parse()
            .map_err(|e| ChainError::Unreachable(format!("invalid RPC URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ChainError::Unreachable(format!(
                "RPC URL scheme {:?}: only http and https are supported",
                parsed.scheme()
            )));
        }
        let http = alloy_transport_http::reqwest::Client::builder()
            .timeout(options.request_timeout)
            .build()
            .map_err(|e| ChainError::Unreachable(format!("HTTP client: {e}")))?;
        let url_normalized = parsed.to_string();
        let client = alloy_rpc_client::RpcClient::new_http_with_client(http, parsed);
        let provider = ProviderBuilder::default().connect_client(client);
        let signers = keys.iter().map(|k| k.address()).collect();
        let mut keys = keys.into_iter();
        let wallet = match keys.next() {
            Some(first) => {
                let mut w = EthereumWallet::from(first);
                for k in keys {
                    w.register_signer(k);
                }
                w
            }
            None => EthereumWallet::default(),
        };
        Ok(Self {
            url: url.to_string(),
            url_normalized,
            provider,
            wallet,
            signers,
            options,
            chain_id: tokio::sync::OnceCell::new(),
            senders: Default::default(),
        })
    }

    /// The accounts this client signs for.
    pub fn signers(&self) -> &[Address] {
        &self.signers
    }

    /// The node's chain id (asked once).
    pub async fn chain_id(&self) -> Result<u64, ChainError> {
        self.chain_id
            .get_or_try_init(|| self.retry(|| async { Ok(self.provider.get_chain_id().await?) }))
            .await
            .copied()
    }

    /// Runs `f` until it succeeds, fails for good, or the attempts are spent.
    async fn retry<T, F, Fut>(&self, f: F) -> Result<T, ChainError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ChainError>>,
    {
        let mut wait = self.options.backoff;
        let mut attempt = 1;
        loop {
            match f().await.map_err(|e| self.scrub(e)) {
                Err(e) if e.is_transient() && attempt < self.options.attempts => {
                    tracing::warn!(node = %self.describe(), error = %e, attempt, "RPC call failed; retrying");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(30));
                    attempt += 1;
                }
                r => return r,
            }
        }
    }

    fn sender_lock(&self, from: Address) -> Arc<Mutex<SenderState>> {
        let mut map = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(from).or_default().clone()
    }

    /// `e` with the node's URL (which may carry an API key in its path) replaced by
    /// [`Chain::describe`].
    fn scrub(&self, e: ChainError) -> ChainError {
        let safe = self.describe();
        let clean = |m: String| {
            m.replace(&self.url_normalized, &safe)
                .replace(&self.url, &safe)
        };
        match e {
            ChainError::Unreachable(m) => ChainError::Unreachable(clean(m)),
            ChainError::Node(m) => ChainError::Node(clean(m)),
            e => e,
        }
    }

    async fn pending_nonce(&self, from: Address) -> Result<u64, ChainError> {
        self.retry(|| async { Ok(self.provider.get_transaction_count(from).pending().await?) })
            .await
    }

    async fn receipt(&self, hash: B256) -> Result<Option<TxOutcome>, ChainError> {
        let Some(r) = self.provider.get_transaction_receipt(hash).await? else {
            return Ok(None);
        };
        if !r.status() {
            return Err(ChainError::Failed(hash));
        }
        Ok(Some(TxOutcome {
            hash,
            block: r.block_number.unwrap_or_default(),
            gas_used: r.gas_used,
            logs: r.inner.logs().iter().map(|l| l.inner.clone()).collect(),
            created: r.contract_address,
            replaced: 0,
        }))
    }

    /// Signs and broadcasts `tx`; `Ok(None)` when the node says its nonce is already used.
    async fn send_signed(&self, tx: TransactionRequest) -> Result<Option<B256>, ChainError> {
        let envelope =
            <TransactionRequest as NetworkTransactionBuilder<Ethereum>>::build(tx, &self.wallet)
                .await
                .map_err(|e| ChainError::Node(format!("cannot sign: {e}")))?;
        let hash = *envelope.tx_hash();
        let raw = envelope.encoded_2718();
        match self.provider.send_raw_transaction(&raw).await {
            Ok(_) => Ok(Some(hash)),
            Err(RpcError::ErrorResp(e)) => {
                let m = e.message.to_ascii_lowercase();
                if m.contains("already known")
                    || m.contains("alreadyknown")
                    || m.contains("known transaction")
                {
                    // A resend after a lost answer: the node has it.
                    Ok(Some(hash))
                } else if m.contains("nonce too low") || m.contains("nonce is too low") {
                    Ok(None)
                } else {
                    Err(RpcError::<TransportErrorKind>::ErrorResp(e).into())
                }
            }
            Err(e) => Err(e.into()),
        }
    }
}

impl From<RpcError<TransportErrorKind>> for ChainError {
    fn from(e: RpcError<TransportErrorKind>) -> Self {
        match e {
            RpcError::ErrorResp(payload) => match payload.as_revert_data() {
                Some(data) => crate::game::onchain::reverted(&data),
                None => ChainError::Node(format!("error {}: {}", payload.code, payload.message)),
            },
            RpcError::Transport(t) => ChainError::Unreachable(t.to_string()),
            RpcError::DeserError { err, text } => {
                let mut text = text;
                text.truncate(200);
                ChainError::Node(format!("answer is not valid JSON-RPC ({err}): {text:?}"))
            }
            RpcError::NullResp => ChainError::Node("null answer".into()),
            e => ChainError::Node(e.to_string()),
        }
    }
}

impl Chain for RpcChain {
    fn describe(&self) -> String {
        // Never print credentials that a URL may carry.
        match self.url.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
                let host = host.split(['/', '?']).next().unwrap_or(host);
                format!("{scheme}://{host}")
            }
            None => "rpc".into(),
        }
    }

    async fn chain_id(&self) -> Result<u64, ChainError> {
        RpcChain::chain_id(self).await
    }

    async fn block_number(&self) -> Result<u64, ChainError> {
        self.retry(|| async { Ok(self.provider.get_block_number().await?) })
            .await
    }

    async fn timestamp(&self) -> Result<u64, ChainError> {
        self.retry(|| async {
            let block = self
                .provider
                .get_block_by_number(BlockNumberOrTag::Latest)
                .await?
                .ok_or_else(|| ChainError::Node("no latest block".into()))?;
            Ok(block.header.timestamp)
        })
        .await
    }

    async fn call(&self, to: Address, data: Bytes) -> Result<Bytes, ChainError> {
        let tx = TransactionRequest::default().to(to).input(data.into());
        self.retry(|| async { Ok(self.provider.call(tx.clone()).await?) })
            .await
    }

    async fn send(
        &self,
        from: Address,
        to: Option<Address>,
        data: Bytes,
        value: U256,
    ) -> Result<TxOutcome, ChainError> {
        if !self.signers.contains(&from) {
            return Err(ChainError::UnknownSender(from));
        }
        let chain_id = self.chain_id().await?;
        let lock = self.sender_lock(from);
        let mut state = lock.lock().await;
        let mut refreshed = false;
        'nonce: loop {
            let nonce = match state.next {
                Some(n) => n,
                None => self.pending_nonce(from).await?,
            };
            let mut tx = TransactionRequest::default()
                .from(from)
                .input(data.clone().into())
                .value(value)
                .nonce(nonce)
                .with_chain_id(chain_id);
            tx = match to {
                Some(to) => tx.to(to),
                None => tx.into_create(),
            };
            // The estimate runs the transaction: a revert is named here and nothing is sent.
            let gas = self
                .retry(|| async { Ok(self.provider.estimate_gas(tx.clone()).await?) })
                .await?;
            let fees = self
                .retry(|| async { Ok(self.provider.estimate_eip1559_fees().await?) })
                .await?;
            let bump = |v: u128| v + v / 4 + 1;
            let (mut max, mut tip) = (fees.max_fee_per_gas, fees.max_priority_fee_per_gas);
            if let Some((m, t)) = state.stuck {
                // Replace the transaction left pending at this nonce.
                max = max.max(bump(m));
                tip = tip.max(bump(t));
            }
            let limit = gas.saturating_add(gas / 5).saturating_add(10_000);
            tx = tx
                .gas_limit(if gas <= TX_GAS_CAP {
                    limit.min(TX_GAS_CAP)
                } else {
                    gas
                })
                .max_fee_per_gas(max)
                .max_priority_fee_per_gas(tip.min(max));
            let mut sent: Vec<B256> = Vec::new();
            for round in 0..=self.options.replacements {
                if round > 0 {
                    // Replace with fees 25% higher (nodes require ≥ 10%).
                    let (m, t) = (
                        tx.max_fee_per_gas.unwrap_or_default(),
                        tx.max_priority_fee_per_gas.unwrap_or_default(),
                    );
                    tx = tx
                        .max_fee_per_gas(bump(m))
                        .max_priority_fee_per_gas(bump(t));
                    tracing::warn!(%from, nonce, round, "transaction not mined in time; replacing it with higher fees");
                }
                match self.retry(|| self.send_signed(tx.clone())).await {
                    Ok(Some(hash)) => sent.push(hash),
                    // The nonce is used: by an earlier version (look for its receipt), or by
                    // another client of the same key (ask the node for the nonce once more).
                    Ok(None) if sent.is_empty() && !refreshed => {
                        refreshed = true;
                        state.next = None;
                        state.stuck = None;
                        continue 'nonce;
                    }
                    Ok(None) => {}
                    Err(e) if sent.is_empty() => {
                        state.next = None;
                        return Err(e);
                    }
                    Err(e) => tracing::warn!(error = %e, "replacement not accepted"),
                }
                let deadline = tokio::time::Instant::now() + self.options.replace_after;
                while tokio::time::Instant::now() < deadline {
                    for &hash in &sent {
                        match self.receipt(hash).await {
                            Ok(Some(outcome)) => {
                                *state = SenderState {
                                    next: Some(nonce + 1),
                                    stuck: None,
                                };
                                return Ok(TxOutcome {
                                    replaced: round,
                                    ..outcome
                                });
                            }
                            Ok(None) => {}
                            Err(ChainError::Failed(h)) => {
                                *state = SenderState {
                                    next: Some(nonce + 1),
                                    stuck: None,
                                };
                                return Err(ChainError::Failed(h));
                            }
                            Err(e) => {
                                tracing::debug!(error = %self.scrub(e), "receipt not available")
                            }
                        }
                    }
                    tokio::time::sleep(self.options.poll).await;
                }
            }
            // Still pending: the next transaction of this sender takes the same nonce with
            // higher fees, replacing this one, instead of queueing behind it.
            state.next = Some(nonce);
            state.stuck = Some((
                tx.max_fee_per_gas.unwrap_or_default(),
                tx.max_priority_fee_per_gas.unwrap_or_default(),
            ));
            return Err(ChainError::Unreachable(format!(
                "transaction from {from} (nonce {nonce}) not mined after {} replacements; the next one replaces it",
                self.options.replacements
            )));
        }
    }

    async fn logs(
        &self,
        addresses: &[Address],
        from: u64,
        to: u64,
    ) -> Result<Vec<ChainLog>, ChainError> {
        let filter = Filter::new()
            .address(addresses.to_vec())
            .from_block(from)
            .to_block(to);
        let logs = self
            .retry(|| async { Ok(self.provider.get_logs(&filter).await?) })
            .await?;
        logs.into_iter()
            .map(|l| {
                Ok(ChainLog {
                    block: l
                        .block_number
                        .ok_or_else(|| ChainError::Node("log without a block number".into()))?,
                    index: l.log_index.unwrap_or_default(),
                    log: l.inner,
                })
            })
            .collect()
    }

    async fn balance(&self, who: Address) -> Result<U256, ChainError> {
        self.retry(|| async { Ok(self.provider.get_balance(who).await?) })
            .await
    }

    async fn advance_time(&self, seconds: u64) -> Result<(), ChainError> {
        let moved: Result<serde_json::Value, _> = self
            .provider
            .raw_request("evm_increaseTime".into(), (seconds,))
            .await;
        if let Err(e) = moved {
            return Err(match self.scrub(ChainError::from(e)) {
                ChainError::Node(m) => ChainError::Unsupported(format!(
                    "{} cannot move its clock (evm_increaseTime: {m})",
                    self.describe()
                )),
                e => e,
            });
        }
        let _: serde_json::Value = self.provider.raw_request("evm_mine".into(), ()).await?;
        Ok(())
    }
}
