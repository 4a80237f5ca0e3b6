//! The compiled Solidity contracts, embedded from `contracts/artifacts/`, and an in-process EVM
//! (revm) to run them: the Rust side of the differential tests against `opml_vm::verify`.
//!
//! The artifact's ABI and bytecode are compiled in by [`sol!`]; `scripts/test-contracts.sh` keeps
//! the artifact in step with `contracts/src`.

use alloy_primitives::{Address, Bytes, B256};
use alloy_sol_types::{sol, SolCall, SolInterface};
use revm::context::result::{ExecutionResult, Output};
use revm::context::{Context, TxEnv};
use revm::database::InMemoryDB;
use revm::handler::{MainBuilder, MainContext, MainnetContext, MainnetEvm};
use revm::primitives::TxKind;
use revm::{ExecuteCommitEvm, ExecuteEvm};

/// The hardforks an EVM can run (revm's; the default is the newest mainnet one).
pub use revm::primitives::hardfork::SpecId;

sol!(
    /// The one-step verifier `contracts/src/Step.sol`, from its committed artifact.
    #[allow(missing_docs)]
    #[derive(Debug, PartialEq, Eq)]
    Step,
    "../contracts/artifacts/Step.json"
);

/// Why a contract call did not return a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContractError {
    /// The call reverted with this custom error of the contract (its name, e.g.
    /// `"InvalidMemoryProof"`, the same as the `opml_vm::verify::VerifyError` variant).
    #[error("reverted with {0}()")]
    Revert(&'static str),
    /// The call reverted with data that is no custom error of the contract.
    #[error("reverted with unknown data {0}")]
    UnknownRevert(Bytes),
    /// The call halted (out of gas, invalid opcode, ...).
    #[error("halted: {0}")]
    Halt(String),
    /// The EVM rejected the transaction, or its output did not decode.
    #[error("EVM: {0}")]
    Evm(String),
}

/// The name of a `Step` custom error, as in `contracts/src/Errors.sol`.
fn error_name(e: &Step::StepErrors) -> &'static str {
    match e {
        Step::StepErrors::InvalidStateLength(_) => "InvalidStateLength",
        Step::StepErrors::InvalidStatus(_) => "InvalidStatus",
        Step::StepErrors::PreStateMismatch(_) => "PreStateMismatch",
        Step::StepErrors::InvalidProofLength(_) => "InvalidProofLength",
        Step::StepErrors::InvalidMemoryProof(_) => "InvalidMemoryProof",
    }
}

/// Gas limit of every call: well above what one step costs, below the EIP-7825 cap.
const GAS_LIMIT: u64 = 10_000_000;
const DEPLOYER: Address = Address::new([0xde; 20]);
const CALLER: Address = Address::new([0xca; 20]);

/// The `Step` contract deployed in a fresh in-memory EVM.
pub struct StepContract {
    evm: MainnetEvm<MainnetContext<InMemoryDB>>,
    address: Address,
    last_gas_used: u64,
}

impl std::fmt::Debug for StepContract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepContract")
            .field("address", &self.address)
            .field("last_gas_used", &self.last_gas_used)
            .finish_non_exhaustive()
    }
}

impl StepContract {
    /// Deploys the artifact's creation bytecode into a new in-memory EVM with revm's default
    /// hardfork.
    pub fn deploy() -> Result<Self, ContractError> {
        Self::deploy_at(SpecId::default())
    }

    /// Deploys the artifact's creation bytecode into a new in-memory EVM that runs the rules and
    /// gas prices of hardfork `spec` (e.g. the EIP-7623 calldata floor from Prague on).
    pub fn deploy_at(spec: SpecId) -> Result<Self, ContractError> {
        let mut evm = Context::mainnet()
            .modify_cfg_chained(|cfg| cfg.set_spec_and_mainnet_gas_params(spec))
            .with_db(InMemoryDB::default())
            .build_mainnet();
        let tx = TxEnv::builder()
            .caller(DEPLOYER)
            .kind(TxKind::Create)
            .data(Step::BYTECODE.clone())
            .gas_limit(GAS_LIMIT)
            .build_fill();
        let result = evm
            .transact_commit(tx)
            .map_err(|e| ContractError::Evm(e.to_string()))?;
        let address = match result {
            ExecutionResult::Success {
                output: Output::Create(_, Some(address)),
                ..
            } => address,
            other => return Err(ContractError::Evm(format!("deployment failed: {other:?}"))),
        };
        Ok(Self {
            evm,
            address,
            last_gas_used: 0,
        })
    }

    /// Where the contract lives in the EVM.
    pub fn address(&self) -> Address {
        self.address
    }

    /// Gas the last call used, the transaction's intrinsic gas included.
    pub fn last_gas_used(&self) -> u64 {
        self.last_gas_used
    }

    /// `step(state, proof)`: the post-state hash of one step.
    pub fn step(&mut self, state: &[u8], proof: &[u8]) -> Result<B256, ContractError> {
        let call = Step::stepCall {
            state: Bytes::copy_from_slice(state),
            proof: Bytes::copy_from_slice(proof),
        };
        self.call::<Step::stepCall>(call.abi_encode())
    }

    /// `verifyStep(preStateHash, state, proof)`: the post-state hash of one step from a state
    /// that must hash to `pre_state_hash`.
    pub fn verify_step(
        &mut self,
        pre_state_hash: B256,
        state: &[u8],
        proof: &[u8],
    ) -> Result<B256, ContractError> {
        let call = Step::verifyStepCall {
            preStateHash: pre_state_hash,
            state: Bytes::copy_from_slice(state),
            proof: Bytes::copy_from_slice(proof),
        };
        self.call::<Step::verifyStepCall>(call.abi_encode())
    }

    /// Calls the contract with `data` and decodes the single `bytes32` return value or the
    /// custom error. Nothing is committed: every call sees the state right after deployment.
    fn call<C: SolCall<Return = B256>>(&mut self, data: Vec<u8>) -> Result<B256, ContractError> {
        let tx = TxEnv::builder()
            .caller(CALLER)
            .call(self.address)
            .data(data.into())
            .gas_limit(GAS_LIMIT)
            .build_fill();
        let out = self
            .evm
            .transact(tx)
            .map_err(|e| ContractError::Evm(e.to_string()))?;
        self.last_gas_used = out.result.tx_gas_used();
        match out.result {
            ExecutionResult::Success { output, .. } => C::abi_decode_returns(output.data())
                .map_err(|e| ContractError::Evm(format!("return data: {e}"))),
            ExecutionResult::Revert { output, .. } => match Step::StepErrors::abi_decode(&output) {
                Ok(e) => Err(ContractError::Revert(error_name(&e))),
                Err(_) => Err(ContractError::UnknownRevert(output)),
            },
            ExecutionResult::Halt { reason, .. } => Err(ContractError::Halt(format!("{reason:?}"))),
        }
    }
}
