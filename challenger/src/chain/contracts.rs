//! The opml contracts on any [`Chain`]: deployment, typed calls with their gas, and the events
//! they emit.

use std::sync::Arc;

use alloy_primitives::{Address, Bytes, FixedBytes, Log, U256};
use alloy_sol_types::{SolCall, SolEventInterface};
use opml_vm::merkle::Hash;
use serde::{Deserialize, Serialize};

use super::{Chain, ChainError, ChainLog, TxOutcome};
use crate::game::engine::{GameView, Move, Params};
use crate::game::onchain::game_abi::DisputeGame;
use crate::game::onchain::oracle_abi::InferenceOracle;
use crate::game::onchain::registry_abi::ModelRegistry;
use crate::game::onchain::{move_calldata, oracle_initcode, registration_call, view_of, Settings};
use crate::game::work::ClaimWork;

/// Where the contracts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Addresses {
    /// `Step`.
    pub step: Address,
    /// `ModelRegistry`.
    pub registry: Address,
    /// `InferenceOracle`.
    pub oracle: Address,
    /// `DisputeGame` (deployed by the oracle).
    pub game: Address,
}

/// An event of the opml contracts.
#[derive(Debug, Clone)]
pub enum Event {
    /// Of `ModelRegistry`.
    Registry(ModelRegistry::ModelRegistryEvents),
    /// Of `InferenceOracle`.
    Oracle(InferenceOracle::InferenceOracleEvents),
    /// Of `DisputeGame`.
    Game(DisputeGame::DisputeGameEvents),
}

/// The contracts on `chain`.
#[derive(Debug)]
pub struct Opml<C> {
    /// The chain.
    pub chain: Arc<C>,
    /// The contracts' addresses.
    pub addresses: Addresses,
}

impl<C> Clone for Opml<C> {
    fn clone(&self) -> Self {
        Self {
            chain: self.chain.clone(),
            addresses: self.addresses,
        }
    }
}

fn decode<T>(r: Result<T, alloy_sol_types::Error>, what: &str) -> Result<T, ChainError> {
    r.map_err(|e| ChainError::Decode(format!("{what}: {e}")))
}

fn arr16(p: &[Hash]) -> [FixedBytes<32>; 16] {
    std::array::from_fn(|i| p.get(i).copied().unwrap_or_default().into())
}

impl<C: Chain> Opml<C> {
    /// Deploys Step, ModelRegistry and InferenceOracle (which deploys DisputeGame) from `from`
    /// for the guest with `program_root` and `program_entry`.
    pub async fn deploy(
        chain: Arc<C>,
        from: Address,
        settings: &Settings,
        program_root: Hash,
        program_entry: u32,
    ) -> Result<Self, ChainError> {
        let create = |code: Bytes| {
            let chain = chain.clone();
            async move {
                chain
                    .send(from, None, code, U256::ZERO)
                    .await?
                    .created
                    .ok_or_else(|| ChainError::Decode("a deployment without an address".into()))
            }
        };
        let step = create(crate::contracts::Step::BYTECODE.clone()).await?;
        let registry = create(ModelRegistry::BYTECODE.clone()).await?;
        let initcode = oracle_initcode(settings, registry, step, program_root, program_entry);
        let oracle = create(initcode.into()).await?;
        Self::attach(chain, oracle).await
    }

    /// The contracts of the oracle at `oracle` (the registry, game and step are read from it).
    pub async fn attach(chain: Arc<C>, oracle: Address) -> Result<Self, ChainError> {
        let mut opml = Self {
            chain,
            addresses: Addresses {
                step: Address::ZERO,
                registry: Address::ZERO,
                oracle,
                game: Address::ZERO,
            },
        };
        opml.addresses.registry = opml.view(oracle, InferenceOracle::registryCall {}).await?;
        opml.addresses.game = opml.view(oracle, InferenceOracle::gameCall {}).await?;
        opml.addresses.step = opml
            .view(opml.addresses.game, DisputeGame::stepCall {})
            .await?;
        Ok(opml)
    }

    /// Runs a view call.
    pub async fn view<Ca: SolCall>(&self, to: Address, call: Ca) -> Result<Ca::Return, ChainError> {
        let out = self.chain.call(to, call.abi_encode().into()).await?;
        decode(Ca::abi_decode_returns(&out), "a return value")
    }

    async fn send<Ca: SolCall>(
        &self,
        from: Address,
        to: Address,
        call: Ca,
        value: U256,
    ) -> Result<TxOutcome, ChainError> {
        self.chain
            .send(from, Some(to), call.abi_encode().into(), value)
            .await
    }

    /// The game parameters and bonds, as deployed.
    pub async fn settings(&self) -> Result<Settings, ChainError> {
        let (o, g) = (self.addresses.oracle, self.addresses.game);
        Ok(Settings {
            params: Params {
                dissection_width: self.view(g, DisputeGame::dissectionWidthCall {}).await?,
                descent_width_log2: self.view(g, DisputeGame::descentWidthLog2Call {}).await?
                    as u32,
                tile_height: self.view(g, DisputeGame::tileHeightCall {}).await? as u32,
            },
            clock: self.view(g, DisputeGame::clockBudgetCall {}).await?,
            claim_bond: self.view(o, InferenceOracle::claimBondCall {}).await?,
            challenge_bond: self.view(o, InferenceOracle::challengeBondCall {}).await?,
            window: self
                .view(o, InferenceOracle::challengeWindowCall {})
                .await?,
        })
    }

    /// The guest program root the game checks against.
    pub async fn program_root(&self) -> Result<Hash, ChainError> {
        Ok(self
            .view(self.addresses.game, DisputeGame::programRootCall {})
            .await?
            .0)
    }

    /// Registers `model` (its roots, and its input and output descriptors with their proofs);
    /// returns its id.
    pub async fn register_model(
        &self,
        from: Address,
        model: &opml_dnn::model::Model,
        uri: &str,
    ) -> Result<(u64, TxOutcome), ChainError> {
        let call = registration_call(model, uri);
        let tx = self
            .send(from, self.addresses.registry, call, U256::ZERO)
            .await?;
        let id = tx
            .logs
            .iter()
            .find_map(|l| match self.event(l) {
                Some(Event::Registry(ModelRegistry::ModelRegistryEvents::ModelRegistered(e))) => {
                    Some(e.modelId.to::<u64>())
                }
                _ => None,
            })
            .ok_or_else(|| ChainError::Decode("registerModel emitted no ModelRegistered".into()))?;
        Ok((id, tx))
    }

    /// Asks for `model` on `input` with `fee`; returns the request id.
    pub async fn request_inference(
        &self,
        from: Address,
        model: u64,
        input: &[u8],
        fee: U256,
    ) -> Result<(u64, TxOutcome), ChainError> {
        let call = InferenceOracle::requestInferenceCall {
            modelId: U256::from(model),
            input: Bytes::copy_from_slice(input),
        };
        let tx = self.send(from, self.addresses.oracle, call, fee).await?;
        let id = self.oracle_event(&tx, "InferenceRequested", |e| match e {
            InferenceOracle::InferenceOracleEvents::InferenceRequested(e) => {
                Some(e.requestId.to::<u64>())
            }
            _ => None,
        })?;
        Ok((id, tx))
    }

    /// Claims `work` (its output and final graph-state root) for request `request` (0: none),
    /// with the claim bond; returns the claim id.
    pub async fn submit_claim(
        &self,
        from: Address,
        model: u64,
        request: u64,
        work: &ClaimWork<'_>,
        bond: U256,
    ) -> Result<(u64, TxOutcome), ChainError> {
        let n = work.node_count();
        let call = InferenceOracle::submitClaimCall {
            modelId: U256::from(model),
            requestId: U256::from(request),
            input: Bytes::copy_from_slice(&work.input),
            output: Bytes::copy_from_slice(work.inference.output()),
            finalStateRoot: work.inference.final_state_root().into(),
            inputProof: arr16(&work.state_proof(n - 1, 0)),
            outputProof: arr16(&work.state_proof(n - 1, n - 1)),
        };
        let tx = self.send(from, self.addresses.oracle, call, bond).await?;
        let id = self.oracle_event(&tx, "ClaimSubmitted", |e| match e {
            InferenceOracle::InferenceOracleEvents::ClaimSubmitted(e) => {
                Some(e.claimId.to::<u64>())
            }
            _ => None,
        })?;
        Ok((id, tx))
    }

    /// Challenges claim `claim` with `bond`; returns the game id.
    pub async fn challenge(
        &self,
        from: Address,
        claim: u64,
        bond: U256,
    ) -> Result<(u64, TxOutcome), ChainError> {
        let call = InferenceOracle::challengeCall {
            claimId: U256::from(claim),
        };
        let tx = self.send(from, self.addresses.oracle, call, bond).await?;
        let id = self.oracle_event(&tx, "ClaimChallenged", |e| match e {
            InferenceOracle::InferenceOracleEvents::ClaimChallenged(e) => {
                Some(e.gameId.to::<u64>())
            }
            _ => None,
        })?;
        Ok((id, tx))
    }

    /// Plays `mv` in game `game`.
    pub async fn play(&self, from: Address, game: u64, mv: &Move) -> Result<TxOutcome, ChainError> {
        let (_, data) = move_calldata(game, mv);
        self.chain
            .send(from, Some(self.addresses.game), data.into(), U256::ZERO)
            .await
    }

    /// Ends game `game` for the side whose clock ran out.
    pub async fn timeout(&self, from: Address, game: u64) -> Result<TxOutcome, ChainError> {
        let call = DisputeGame::timeoutCall {
            gameId: U256::from(game),
        };
        self.send(from, self.addresses.game, call, U256::ZERO).await
    }

    /// Finalizes claim `claim` after its window, with its output.
    pub async fn finalize(
        &self,
        from: Address,
        claim: u64,
        output: &[u8],
    ) -> Result<TxOutcome, ChainError> {
        let call = InferenceOracle::finalizeCall {
            claimId: U256::from(claim),
            output: Bytes::copy_from_slice(output),
        };
        self.send(from, self.addresses.oracle, call, U256::ZERO)
            .await
    }

    /// Withdraws everything credited to `from`.
    pub async fn withdraw(&self, from: Address) -> Result<TxOutcome, ChainError> {
        let call = InferenceOracle::withdrawCall {};
        self.send(from, self.addresses.oracle, call, U256::ZERO)
            .await
    }

    /// What the oracle holds for `who`.
    pub async fn credit(&self, who: Address) -> Result<U256, ChainError> {
        self.view(self.addresses.oracle, InferenceOracle::balancesCall(who))
            .await
    }

    /// Claim `claim`.
    pub async fn claim(&self, claim: u64) -> Result<InferenceOracle::Claim, ChainError> {
        self.view(
            self.addresses.oracle,
            InferenceOracle::getClaimCall {
                claimId: U256::from(claim),
            },
        )
        .await
    }

    /// Game `game`, and the engine's view of it with the pending `revealed` list.
    pub async fn game(
        &self,
        game: u64,
        revealed: Option<Vec<Hash>>,
    ) -> Result<(GameView, DisputeGame::Game), ChainError> {
        let g = self
            .view(
                self.addresses.game,
                DisputeGame::getGameCall {
                    gameId: U256::from(game),
                },
            )
            .await?;
        Ok((view_of(&g, revealed), g))
    }

    /// The opml event in `log`, if it is one.
    pub fn event(&self, log: &Log) -> Option<Event> {
        let a = self.addresses;
        if log.address == a.oracle {
            InferenceOracle::InferenceOracleEvents::decode_log(log)
                .ok()
                .map(|e| Event::Oracle(e.data))
        } else if log.address == a.game {
            DisputeGame::DisputeGameEvents::decode_log(log)
                .ok()
                .map(|e| Event::Game(e.data))
        } else if log.address == a.registry {
            ModelRegistry::ModelRegistryEvents::decode_log(log)
                .ok()
                .map(|e| Event::Registry(e.data))
        } else {
            None
        }
    }

    /// The opml events in blocks `from..=to`, in chain order.
    pub async fn events(&self, from: u64, to: u64) -> Result<Vec<(ChainLog, Event)>, ChainError> {
        let a = self.addresses;
        let logs = self
            .chain
            .logs(&[a.registry, a.oracle, a.game], from, to)
            .await?;
        Ok(logs
            .into_iter()
            .filter_map(|l| self.event(&l.log).map(|e| (l, e)))
            .collect())
    }

    fn oracle_event<T>(
        &self,
        tx: &TxOutcome,
        name: &str,
        pick: impl Fn(InferenceOracle::InferenceOracleEvents) -> Option<T>,
    ) -> Result<T, ChainError> {
        tx.logs
            .iter()
            .find_map(|l| match self.event(l) {
                Some(Event::Oracle(e)) => pick(e),
                _ => None,
            })
            .ok_or_else(|| ChainError::Decode(format!("the transaction emitted no {name}")))
    }
}
