//! The opml contracts deployed in the in-process EVM, and games played through transactions:
//! the same moves as the Rust [`Referee`](super::referee::Referee), as calls to
//! `DisputeGame.sol`, with their gas.

use alloy_primitives::{Address, Bytes, FixedBytes, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolInterface};

use super::engine::{GameView, Move, Params, Phase};
use crate::evm::{Evm, Receipt};
use opml_vm::merkle::Hash;

/// `ModelRegistry.sol`'s ABI and bytecode.
pub mod registry_abi {
    alloy_sol_types::sol!(
        #[allow(missing_docs)]
        #[derive(Debug, PartialEq, Eq)]
        ModelRegistry,
        "../contracts/artifacts/ModelRegistry.json"
    );
}
/// `InferenceOracle.sol`'s ABI and bytecode (its constructor names `DisputeGame.Params`, so it
/// lives in its own module).
pub mod oracle_abi {
    alloy_sol_types::sol!(
        #[allow(missing_docs)]
        #[derive(Debug, PartialEq, Eq)]
        InferenceOracle,
        "../contracts/artifacts/InferenceOracle.json"
    );
}
/// `DisputeGame.sol`'s ABI.
pub mod game_abi {
    alloy_sol_types::sol!(
        #[allow(missing_docs)]
        #[derive(Debug, PartialEq, Eq)]
        DisputeGame,
        "../contracts/artifacts/DisputeGame.json"
    );
}
use game_abi::DisputeGame;
use oracle_abi::InferenceOracle;
use registry_abi::ModelRegistry;

pub use crate::chain::ChainError;

/// The name of the custom error in revert data, if it is one of the game's, the oracle's or the
/// step verifier's.
pub fn revert_name(data: &[u8]) -> Option<String> {
    // The variant's name is the first word of its Debug form.
    let name = |debug: String| {
        debug
            .split(['(', ' ', '{'])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    if let Ok(e) = DisputeGame::DisputeGameErrors::abi_decode(data) {
        return Some(name(format!("{e:?}")));
    }
    if let Ok(e) = InferenceOracle::InferenceOracleErrors::abi_decode(data) {
        return Some(name(format!("{e:?}")));
    }
    if let Ok(e) = crate::contracts::Step::StepErrors::abi_decode(data) {
        return Some(name(format!("{e:?}")));
    }
    None
}

/// A revert with `data`: the custom error's name where it is one of the opml contracts', else
/// the data in hex.
pub fn reverted(data: &[u8]) -> ChainError {
    ChainError::Revert(revert_name(data).unwrap_or_else(|| format!("0x{}", hex::encode(data))))
}

/// The init code of `InferenceOracle` (which deploys `DisputeGame`) for `settings` and the
/// guest with `program_root` and `program_entry`.
pub fn oracle_initcode(
    settings: &Settings,
    registry: Address,
    step: Address,
    program_root: Hash,
    program_entry: u32,
) -> Vec<u8> {
    let p = settings.params;
    let ctor = InferenceOracle::constructorCall {
        registry_: registry,
        step,
        params: oracle_abi::DisputeGame::Params {
            dissectionWidth: p.dissection_width,
            descentWidthLog2: p.descent_width_log2 as u64,
            tileHeight: p.tile_height as u64,
            clockBudget: settings.clock,
            programRoot: program_root.into(),
            programEntry: program_entry,
        },
        claimBond_: settings.claim_bond,
        challengeBond_: settings.challenge_bond,
        challengeWindow_: settings.window,
    };
    let mut initcode = InferenceOracle::BYTECODE.to_vec();
    initcode.extend(ctor.abi_encode());
    initcode
}

use crate::chain::embedded::named;

/// The engine's view of game `g`, with the pending `revealed` list (from the reveal event).
pub fn view_of(g: &DisputeGame::Game, revealed: Option<Vec<Hash>>) -> GameView {
    let phase = match g.phase {
        0 => Phase::Nodes,
        1 => Phase::Descent,
        2 => Phase::Steps,
        _ => Phase::Resolved,
    };
    GameView {
        phase,
        claimant_to_move: g.claimantToMove,
        lo: g.lo,
        hi: g.hi,
        revealed: (g.revealed != FixedBytes::ZERO)
            .then_some(revealed)
            .flatten(),
        node: g.node,
        height: g.height as u32,
        index: g.index,
        value: g.value.0,
    }
}

/// The `registerModel` call of `model`.
pub fn registration_call(
    model: &opml_dnn::model::Model,
    uri: &str,
) -> ModelRegistry::registerModelCall {
    use opml_dnn::commit::{proof_of_leaves, GRAPH_DEPTH};
    let roots = model.roots();
    let n = model.nodes().len();
    let proof = |i: usize| -> [FixedBytes<32>; 16] {
        let p = proof_of_leaves(&roots.node_leaves, i, GRAPH_DEPTH);
        std::array::from_fn(|k| p[k].into())
    };
    ModelRegistry::registerModelCall {
        graphRoot: roots.graph.into(),
        weightsRoot: roots.weights.into(),
        nodeCount: n as u32,
        uri: uri.into(),
        inputDescriptor: model.nodes()[0].encode().into(),
        inputProof: proof(0),
        outputDescriptor: model.nodes()[n - 1].encode().into(),
        outputProof: proof(n - 1),
    }
}

/// Claim-level settings (docs/spec.md §9.1).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Game parameters.
    pub params: Params,
    /// Chess-clock seconds per side.
    pub clock: u64,
    /// Bond of a claim.
    pub claim_bond: U256,
    /// Bond of a challenge.
    pub challenge_bond: U256,
    /// Challenge window in seconds.
    pub window: u64,
}

/// The deployed contracts.
pub struct Deployment {
    /// The chain.
    pub evm: Evm,
    /// `Step`.
    pub step: Address,
    /// `ModelRegistry`.
    pub registry: Address,
    /// `InferenceOracle`.
    pub oracle: Address,
    /// `DisputeGame` (deployed by the oracle).
    pub game: Address,
    /// Gas of every transaction sent, with a label.
    pub gas_log: Vec<(String, u64)>,
}

/// The deployer account.
pub const DEPLOYER: Address = Address::new([0xde; 20]);

impl Deployment {
    /// Deploys Step, ModelRegistry and InferenceOracle (which deploys DisputeGame) for the
    /// guest with `program_root` and `program_entry`.
    pub fn deploy(
        settings: &Settings,
        program_root: Hash,
        program_entry: u32,
    ) -> Result<Self, ChainError> {
        let mut evm = Evm::new();
        evm.fund(DEPLOYER, U256::from(10u128.pow(24)));
        let step = evm
            .deploy(DEPLOYER, crate::contracts::Step::BYTECODE.clone())
            .map_err(named)?;
        let registry = evm
            .deploy(DEPLOYER, ModelRegistry::BYTECODE.clone())
            .map_err(named)?;
        let initcode = oracle_initcode(settings, registry, step, program_root, program_entry);
        let oracle = evm.deploy(DEPLOYER, initcode.into()).map_err(named)?;
        let mut d = Self {
            evm,
            step,
            registry,
            oracle,
            game: Address::ZERO,
            gas_log: Vec::new(),
        };
        d.game = d.view_call(oracle, InferenceOracle::gameCall {})?;
        Ok(d)
    }

    fn view_call<C: SolCall>(&mut self, to: Address, call: C) -> Result<C::Return, ChainError> {
        let out = self
            .evm
            .call(DEPLOYER, to, call.abi_encode().into())
            .map_err(named)?;
        C::abi_decode_returns(&out).map_err(|e| ChainError::Decode(e.to_string()))
    }

    /// Sends `call` from `from` with `value`, logging its gas under `label`.
    pub fn send<C: SolCall>(
        &mut self,
        label: &str,
        from: Address,
        to: Address,
        call: C,
        value: U256,
    ) -> Result<(C::Return, Receipt), ChainError> {
        let receipt = self
            .evm
            .transact(from, to, call.abi_encode().into(), value)
            .map_err(named)?;
        self.gas_log.push((label.to_string(), receipt.gas_used));
        let ret = C::abi_decode_returns(&receipt.output)
            .map_err(|e| ChainError::Decode(e.to_string()))?;
        Ok((ret, receipt))
    }

    /// Registers `model` (its roots, and the descriptors of its input and output nodes with
    /// their proofs, which fix the claims' lengths); returns its id.
    pub fn register_model(
        &mut self,
        from: Address,
        model: &opml_dnn::model::Model,
        uri: &str,
    ) -> Result<u64, ChainError> {
        let call = registration_call(model, uri);
        let (id, _) = self.send("registerModel", from, self.registry, call, U256::ZERO)?;
        Ok(id.to::<u64>())
    }

    /// Submits a claim; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub fn submit_claim(
        &mut self,
        from: Address,
        model: u64,
        request: u64,
        input: &[u8],
        output: &[u8],
        final_root: Hash,
        input_proof: &[Hash],
        output_proof: &[Hash],
        bond: U256,
    ) -> Result<u64, ChainError> {
        let arr = |p: &[Hash]| -> [FixedBytes<32>; 16] { std::array::from_fn(|i| p[i].into()) };
        let call = InferenceOracle::submitClaimCall {
            modelId: U256::from(model),
            requestId: U256::from(request),
            input: Bytes::copy_from_slice(input),
            output: Bytes::copy_from_slice(output),
            finalStateRoot: final_root.into(),
            inputProof: arr(input_proof),
            outputProof: arr(output_proof),
        };
        let (id, _) = self.send("submitClaim", from, self.oracle, call, bond)?;
        Ok(id.to::<u64>())
    }

    /// Challenges a claim; returns the game id.
    pub fn challenge(&mut self, from: Address, claim: u64, bond: U256) -> Result<u64, ChainError> {
        let (id, _) = self.send(
            "challenge",
            from,
            self.oracle,
            InferenceOracle::challengeCall {
                claimId: U256::from(claim),
            },
            bond,
        )?;
        Ok(id.to::<u64>())
    }

    /// The game as the engine sees it; `revealed` is the pending list (from the reveal event).
    pub fn game_view(
        &mut self,
        game_id: u64,
        revealed: Option<Vec<Hash>>,
    ) -> Result<(GameView, DisputeGame::Game), ChainError> {
        let g = self.view_call(
            self.game,
            DisputeGame::getGameCall {
                gameId: U256::from(game_id),
            },
        )?;
        Ok((view_of(&g, revealed), g))
    }

    /// Plays `mv` in game `game_id` from `from`.
    pub fn play(&mut self, game_id: u64, from: Address, mv: &Move) -> Result<Receipt, ChainError> {
        let (label, data) = move_calldata(game_id, mv);
        self.send_raw(label, from, self.game, data, U256::ZERO)
    }

    /// Sends raw calldata from `from` with `value`, logging its gas under `label`.
    pub fn send_raw(
        &mut self,
        label: &str,
        from: Address,
        to: Address,
        data: Vec<u8>,
        value: U256,
    ) -> Result<Receipt, ChainError> {
        let receipt = self
            .evm
            .transact(from, to, data.into(), value)
            .map_err(named)?;
        self.gas_log.push((label.to_string(), receipt.gas_used));
        Ok(receipt)
    }

    /// `timeout(gameId)` from `from`.
    pub fn timeout(&mut self, game_id: u64, from: Address) -> Result<Receipt, ChainError> {
        let game = self.game;
        self.send(
            "timeout",
            from,
            game,
            DisputeGame::timeoutCall {
                gameId: U256::from(game_id),
            },
            U256::ZERO,
        )
        .map(|r| r.1)
    }

    /// `finalize(claimId, output)` from `from`.
    pub fn finalize(
        &mut self,
        from: Address,
        claim: u64,
        output: &[u8],
    ) -> Result<Receipt, ChainError> {
        let call = InferenceOracle::finalizeCall {
            claimId: U256::from(claim),
            output: Bytes::copy_from_slice(output),
        };
        let oracle = self.oracle;
        self.send("finalize", from, oracle, call, U256::ZERO)
            .map(|r| r.1)
    }

    /// `withdraw()` from `from`.
    pub fn withdraw(&mut self, from: Address) -> Result<Receipt, ChainError> {
        let oracle = self.oracle;
        self.send(
            "withdraw",
            from,
            oracle,
            InferenceOracle::withdrawCall {},
            U256::ZERO,
        )
        .map(|r| r.1)
    }

    /// `requestInference(modelId, input)` from `from` with `fee`; returns the request id.
    pub fn request_inference(
        &mut self,
        from: Address,
        model: u64,
        input: &[u8],
        fee: U256,
    ) -> Result<u64, ChainError> {
        let call = InferenceOracle::requestInferenceCall {
            modelId: U256::from(model),
            input: Bytes::copy_from_slice(input),
        };
        let oracle = self.oracle;
        let (id, _) = self.send("requestInference", from, oracle, call, fee)?;
        Ok(id.to::<u64>())
    }

    /// The credited balance of `who` in the oracle.
    pub fn oracle_balance(&mut self, who: Address) -> Result<U256, ChainError> {
        self.view_call(self.oracle, InferenceOracle::balancesCall(who))
    }
}

/// The `DisputeGame` function that plays `mv` in game `game_id`, and its ABI-encoded calldata.
pub fn move_calldata(game_id: u64, mv: &Move) -> (&'static str, Vec<u8>) {
    let id = U256::from(game_id);
    let h = |v: &[Hash]| -> Vec<FixedBytes<32>> { v.iter().map(|x| (*x).into()).collect() };
    let arr16 = |p: &[Hash]| -> [FixedBytes<32>; 16] {
        std::array::from_fn(|i| p.get(i).copied().unwrap_or_default().into())
    };
    match mv {
        Move::RevealNodes(v) => (
            "revealNodes",
            DisputeGame::revealNodesCall {
                gameId: id,
                values: h(v),
            }
            .abi_encode(),
        ),
        Move::ChooseNode(v, s) => (
            "chooseNode",
            DisputeGame::chooseNodeCall {
                gameId: id,
                values: h(v),
                segment: U256::from(*s),
            }
            .abi_encode(),
        ),
        Move::ProveNode {
            output_root,
            state_siblings,
            descriptor,
            descriptor_proof,
            data_root,
        } => (
            "proveNode",
            DisputeGame::proveNodeCall {
                gameId: id,
                outputRoot: (*output_root).into(),
                stateSiblings: arr16(state_siblings),
                descriptor: Bytes::copy_from_slice(descriptor),
                descriptorProof: arr16(descriptor_proof),
                dataRoot: (*data_root).into(),
            }
            .abi_encode(),
        ),
        Move::RevealChildren(v) => (
            "revealChildren",
            DisputeGame::revealChildrenCall {
                gameId: id,
                children: h(v),
            }
            .abi_encode(),
        ),
        Move::ChooseChild(v, c) => (
            "chooseChild",
            DisputeGame::chooseChildCall {
                gameId: id,
                children: h(v),
                child: U256::from(*c),
            }
            .abi_encode(),
        ),
        Move::OpenExecution {
            descriptor,
            input_roots,
            input_proofs,
            final_state,
            slot_siblings,
            steps,
        } => (
            "openExecution",
            DisputeGame::openExecutionCall {
                gameId: id,
                descriptor: Bytes::copy_from_slice(descriptor),
                inputRoots: h(input_roots),
                inputProofs: input_proofs.iter().map(|p| arr16(p)).collect(),
                finalState: Bytes::copy_from_slice(final_state),
                slotSiblings: std::array::from_fn(|i| slot_siblings[i].into()),
                steps: *steps,
            }
            .abi_encode(),
        ),
        Move::RevealSteps(v) => (
            "revealSteps",
            DisputeGame::revealStepsCall {
                gameId: id,
                values: h(v),
            }
            .abi_encode(),
        ),
        Move::ChooseStep(v, s) => (
            "chooseStep",
            DisputeGame::chooseStepCall {
                gameId: id,
                values: h(v),
                segment: U256::from(*s),
            }
            .abi_encode(),
        ),
        Move::ResolveStep { pre_state, proof } => (
            "resolveStep",
            DisputeGame::resolveStepCall {
                gameId: id,
                preState: Bytes::copy_from_slice(pre_state),
                proof: Bytes::copy_from_slice(proof),
            }
            .abi_encode(),
        ),
    }
}

/// The calldata of `timeout(gameId)`.
pub fn timeout_calldata(game_id: u64) -> Vec<u8> {
    DisputeGame::timeoutCall {
        gameId: U256::from(game_id),
    }
    .abi_encode()
}
