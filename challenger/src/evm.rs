//! An in-process EVM (revm) holding committed state across transactions: the embedded chain's
//! engine and the test bed of the contracts. Time is explicit: `set_timestamp` moves the block
//! clock the contracts see.

use alloy_primitives::{Address, Bytes, Log, U256};
use revm::context::result::{ExecutionResult, Output};
use revm::context::{Context, TxEnv};
use revm::database::InMemoryDB;
use revm::handler::{MainBuilder, MainContext, MainnetContext, MainnetEvm};
use revm::primitives::TxKind;
use revm::state::AccountInfo;
use revm::{ExecuteCommitEvm, ExecuteEvm};

/// Gas limit of every transaction (below the EIP-7825 cap).
pub const TX_GAS_LIMIT: u64 = 16_000_000;

/// Why a transaction did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TxError {
    /// It reverted with this data.
    #[error("reverted with 0x{}", hex::encode(.0))]
    Revert(Bytes),
    /// It halted (out of gas, invalid opcode, ...).
    #[error("halted: {0}")]
    Halt(String),
    /// The EVM rejected it.
    #[error("EVM: {0}")]
    Evm(String),
}

/// A successful transaction.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// Gas used, intrinsic gas and calldata included.
    pub gas_used: u64,
    /// Returned data (or the deployed code for a creation).
    pub output: Bytes,
    /// Logs emitted.
    pub logs: Vec<Log>,
    /// The created contract, for a deployment.
    pub created: Option<Address>,
}

/// The EVM and its state.
pub struct Evm {
    evm: MainnetEvm<MainnetContext<InMemoryDB>>,
}

impl std::fmt::Debug for Evm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evm")
            .field("timestamp", &self.timestamp())
            .finish_non_exhaustive()
    }
}

impl Default for Evm {
    fn default() -> Self {
        Self::new()
    }
}

impl Evm {
    /// An empty chain at timestamp 1.
    pub fn new() -> Self {
        let mut evm = Context::mainnet()
            .with_db(InMemoryDB::default())
            .build_mainnet();
        evm.ctx.modify_block(|b| {
            b.timestamp = U256::from(1);
            b.number = U256::from(1);
        });
        Self { evm }
    }

    /// Gives `address` a balance of `wei`.
    pub fn fund(&mut self, address: Address, wei: U256) {
        self.evm.ctx.modify_db(|db| {
            db.insert_account_info(
                address,
                AccountInfo {
                    balance: wei,
                    ..Default::default()
                },
            )
        });
    }

    /// The balance of `address`.
    pub fn balance(&mut self, address: Address) -> U256 {
        use revm::database_interface::Database;
        let mut balance = U256::ZERO;
        self.evm.ctx.modify_db(|db| {
            balance = db
                .basic(address)
                .ok()
                .flatten()
                .map(|a| a.balance)
                .unwrap_or_default();
        });
        balance
    }

    /// The block timestamp.
    pub fn timestamp(&self) -> u64 {
        self.evm.ctx.block.timestamp.to::<u64>()
    }

    /// The block number.
    pub fn block_number(&self) -> u64 {
        self.evm.ctx.block.number.to::<u64>()
    }

    /// Moves the block clock to `t` (and the block number on by one).
    pub fn set_timestamp(&mut self, t: u64) {
        self.evm.ctx.modify_block(|b| {
            b.timestamp = U256::from(t);
            b.number += U256::from(1);
        });
    }

    /// Deploys `initcode` from `from`.
    pub fn deploy(&mut self, from: Address, initcode: Bytes) -> Result<Address, TxError> {
        let receipt = self.execute(from, TxKind::Create, initcode, U256::ZERO, true)?;
        receipt
            .created
            .ok_or_else(|| TxError::Evm("creation returned no address".into()))
    }

    /// Deploys `initcode` from `from` with `value`; the receipt names the new contract.
    pub fn create(
        &mut self,
        from: Address,
        initcode: Bytes,
        value: U256,
    ) -> Result<Receipt, TxError> {
        self.execute(from, TxKind::Create, initcode, value, true)
    }

    /// Sends a transaction and commits its effects.
    pub fn transact(
        &mut self,
        from: Address,
        to: Address,
        data: Bytes,
        value: U256,
    ) -> Result<Receipt, TxError> {
        self.execute(from, TxKind::Call(to), data, value, true)
    }

    /// Runs a call without committing anything.
    pub fn call(&mut self, from: Address, to: Address, data: Bytes) -> Result<Bytes, TxError> {
        Ok(self
            .execute(from, TxKind::Call(to), data, U256::ZERO, false)?
            .output)
    }

    fn execute(
        &mut self,
        from: Address,
        kind: TxKind,
        data: Bytes,
        value: U256,
        commit: bool,
    ) -> Result<Receipt, TxError> {
        use revm::database_interface::Database;
        let mut nonce = 0;
        self.evm
            .ctx
            .modify_db(|db| nonce = db.basic(from).ok().flatten().map(|a| a.nonce).unwrap_or(0));
        let tx = TxEnv::builder()
            .caller(from)
            .kind(kind)
            .data(data)
            .value(value)
            .nonce(nonce)
            .gas_limit(TX_GAS_LIMIT)
            .build_fill();
        let result = if commit {
            self.evm
                .transact_commit(tx)
                .map_err(|e| TxError::Evm(e.to_string()))?
        } else {
            self.evm
                .transact(tx)
                .map_err(|e| TxError::Evm(e.to_string()))?
                .result
        };
        let gas_used = result.tx_gas_used();
        match result {
            ExecutionResult::Success { output, logs, .. } => {
                let (output, created) = match output {
                    Output::Call(data) => (data, None),
                    Output::Create(data, address) => (data, address),
                };
                Ok(Receipt {
                    gas_used,
                    output,
                    logs,
                    created,
                })
            }
            ExecutionResult::Revert { output, .. } => Err(TxError::Revert(output)),
            ExecutionResult::Halt { reason, .. } => Err(TxError::Halt(format!("{reason:?}"))),
        }
    }
}
