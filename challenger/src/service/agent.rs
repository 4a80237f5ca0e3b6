//! The agent: one loop that follows the chain and plays every part this service has.
//!
//! Each [`Agent::tick`] processes the new confirmed blocks' events in order (recording claims,
//! answering requests, recomputing claims and challenging the wrong ones, tracking games and
//! their revealed lists), then acts: a move in every game where it is this service's turn, a
//! timeout where the other side's clock ran out, finalization of its own claims after their
//! window, and a withdrawal of what it is owed. Every action checks the chain first, so a
//! restart that processes events again does nothing twice.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use alloy_primitives::{Address, FixedBytes, U256};
use opml_dnn::exec::{Backend, Inference};
use opml_dnn::model::Model;
use opml_vm::merkle::Hash;
use opml_vm::Program;

use super::brain::{Brain, BrainError, Side};
use super::metrics::Metrics;
use super::store::{ClaimRecord, GameRecord, Store, StoreError};
use crate::chain::contracts::Event;
use crate::chain::{Chain, ChainError, Opml};
use crate::game::engine::{revealed_hash, Move, Phase};
use crate::game::onchain::game_abi::DisputeGame::DisputeGameEvents as GameEvents;
use crate::game::onchain::oracle_abi::InferenceOracle::InferenceOracleEvents as OracleEvents;
use crate::game::onchain::registry_abi::ModelRegistry::ModelRegistryEvents as RegistryEvents;
use crate::game::onchain::Settings;
use crate::game::sim::{altered_work, Choice, Lie};
use crate::game::work::{ClaimWork, WorkError};

/// Why a tick failed.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// A chain call failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A computation failed.
    #[error(transparent)]
    Work(#[from] WorkError),
    /// The deployment does not fit this service.
    #[error("{0}")]
    Config(String),
}

impl AgentError {
    /// Whether the next tick may succeed (the node was unreachable or answered badly).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Chain(e) if e.is_transient())
    }
}

/// The parts a service plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roles {
    /// Answers inference requests with claims, defends and finalizes them (`opml serve`).
    pub serve: bool,
    /// Recomputes every claim of a model it holds and challenges the wrong ones (`opml watch`).
    pub watch: bool,
}

/// How the agent departs from honest play. Only demos and tests use anything but
/// [`Behavior::honest`]: they need a dishonest submitter and a malicious challenger to show
/// that the honest side wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behavior {
    /// Claims a wrong output: the next class instead of the computed one.
    pub wrong_outputs: bool,
    /// Challenges every claim it did not make, right or wrong.
    pub challenge_everything: bool,
    /// How it plays as a claimant.
    pub claimant: Lie,
    /// How it plays as a challenger.
    pub challenger: Choice,
}

impl Behavior {
    /// Honest play.
    pub const fn honest() -> Self {
        Self {
            wrong_outputs: false,
            challenge_everything: false,
            claimant: Lie::None,
            challenger: Choice::Honest,
        }
    }
}

impl Default for Behavior {
    fn default() -> Self {
        Self::honest()
    }
}

/// Log ranges processed per tick before the agent acts.
pub const RANGES_PER_TICK: usize = 8;

/// Settings of an agent.
#[derive(Debug, Clone)]
pub struct AgentConfig {
    /// The account it signs with.
    pub account: Address,
    /// What it does.
    pub roles: Roles,
    /// Blocks a log must be buried under before it is processed.
    pub confirmations: u64,
    /// The first block to process when the database has no progress yet.
    pub from_block: u64,
    /// Most blocks asked for in one `eth_getLogs`.
    pub max_block_range: u64,
    /// Withdraws what the oracle owes it after each tick.
    pub withdraw: bool,
    /// Honest or, in demos and tests, not.
    pub behavior: Behavior,
}

impl AgentConfig {
    /// An honest agent of `account` with `roles`, processing every block with no confirmations.
    pub fn new(account: Address, roles: Roles) -> Self {
        Self {
            account,
            roles,
            confirmations: 0,
            from_block: 0,
            max_block_range: 2_000,
            withdraw: true,
            behavior: Behavior::honest(),
        }
    }
}

/// Something the agent did, for timelines and tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Submitted claim `claim` for request `request`.
    Claimed {
        /// Claim id.
        claim: u64,
        /// Request id.
        request: u64,
        /// Gas used.
        gas: u64,
    },
    /// Recomputed claim `claim`.
    Verified {
        /// Claim id.
        claim: u64,
        /// Whether it agrees.
        agrees: bool,
        /// Seconds it took.
        seconds: f64,
    },
    /// Challenged claim `claim`, opening game `game`.
    Challenged {
        /// Claim id.
        claim: u64,
        /// Game id.
        game: u64,
        /// Gas used.
        gas: u64,
    },
    /// Moved in game `game`.
    Moved {
        /// Game id.
        game: u64,
        /// The function called.
        function: &'static str,
        /// What it did, in words.
        what: String,
        /// Gas used.
        gas: u64,
    },
    /// Ended game `game` by timeout.
    TimedOut {
        /// Game id.
        game: u64,
        /// Gas used.
        gas: u64,
    },
    /// Game `game` ended.
    GameEnded {
        /// Game id.
        game: u64,
        /// Whether this service won it.
        won: bool,
    },
    /// Finalized claim `claim`.
    Finalized {
        /// Claim id.
        claim: u64,
        /// Gas used.
        gas: u64,
    },
    /// Withdrew `wei`.
    Withdrew {
        /// Amount.
        wei: U256,
        /// Gas used.
        gas: u64,
    },
}

/// A service on one chain.
pub struct Agent<C: Chain> {
    opml: Opml<C>,
    config: AgentConfig,
    settings: Settings,
    program: Arc<Program>,
    held: Vec<Arc<Model>>,
    models: HashMap<u64, Arc<Model>>,
    backend: Arc<dyn Backend + Send>,
    store: Store,
    metrics: Arc<Metrics>,
    brains: HashMap<u64, Brain>,
    inferences: HashMap<u64, Inference>,
    seen: HashMap<u64, Instant>,
    actions: Vec<Action>,
}

impl<C: Chain> std::fmt::Debug for Agent<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("account", &self.config.account)
            .field("roles", &self.config.roles)
            .finish_non_exhaustive()
    }
}

impl<C: Chain + 'static> Agent<C> {
    /// An agent for the deployment `opml`, holding `models`, with the job guest `program`.
    /// Fails if the deployment's game checks a different guest.
    pub async fn new(
        opml: Opml<C>,
        config: AgentConfig,
        program: Arc<Program>,
        models: Vec<Arc<Model>>,
        backend: Arc<dyn Backend + Send>,
        store: Store,
        metrics: Arc<Metrics>,
    ) -> Result<Self, AgentError> {
        let settings = opml.settings().await?;
        let deployed = opml.program_root().await?;
        let ours = program
            .program_root()
            .map_err(|e| AgentError::Config(format!("the job guest: {e}")))?;
        if deployed != ours {
            return Err(AgentError::Config(format!(
                "the game at {} checks guest 0x{}, this binary's job guest is 0x{}",
                opml.addresses.game,
                hex::encode(deployed),
                hex::encode(ours)
            )));
        }
        check_identity(&store, opml.chain.chain_id().await?, opml.addresses.oracle)?;
        let mut agent = Self {
            opml,
            config,
            settings,
            program,
            held: models,
            models: HashMap::new(),
            backend,
            store,
            metrics,
            brains: HashMap::new(),
            inferences: HashMap::new(),
            seen: HashMap::new(),
            actions: Vec::new(),
        };
        agent.find_models().await?;
        Ok(agent)
    }

    /// The contracts this agent plays on.
    pub fn opml(&self) -> &Opml<C> {
        &self.opml
    }

    /// The metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The actions taken since the last call.
    pub fn take_actions(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.actions)
    }

    /// Ids of registered models this agent holds, found by their roots.
    async fn find_models(&mut self) -> Result<(), AgentError> {
        use crate::game::onchain::registry_abi::ModelRegistry;
        let registry = self.opml.addresses.registry;
        let count: U256 = self
            .opml
            .view(registry, ModelRegistry::modelCountCall {})
            .await?;
        for id in 0..count.to::<u64>() {
            let m = self
                .opml
                .view(
                    registry,
                    ModelRegistry::getModelCall {
                        modelId: U256::from(id),
                    },
                )
                .await?;
            self.learn_model(id, m.modelRoot.0);
        }
        Ok(())
    }

    fn learn_model(&mut self, id: u64, root: Hash) {
        if let Some(m) = self.held.iter().find(|m| m.roots().model == root) {
            tracing::info!(model = id, root = %hex::encode(root), "holding registered model");
            self.models.insert(id, m.clone());
        }
    }

    /// Runs ticks every `poll` until `shutdown` completes; transient chain failures back off
    /// (doubling up to 30 s) and are retried, anything else ends the loop with the error.
    pub async fn run(
        &mut self,
        poll: Duration,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<(), AgentError> {
        tokio::pin!(shutdown);
        let mut wait = poll;
        loop {
            match self.tick().await {
                Ok(()) => wait = poll,
                Err(e) if e.is_transient() => {
                    self.metrics.chain_errors.inc();
                    tracing::warn!(error = %e, retry_in = ?wait, "chain unavailable; will retry");
                    wait = (wait * 2).min(Duration::from_secs(30));
                }
                Err(e) => return Err(e),
            }
            for a in self.take_actions() {
                tracing::info!(action = ?a, "done");
            }
            tokio::select! {
                _ = &mut shutdown => return Ok(()),
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Processes new confirmed blocks (at most [`RANGES_PER_TICK`] log ranges, so that a long
    /// catch-up does not hold games up), then acts, even when processing failed: the clocks of
    /// the games run whatever else goes wrong.
    pub async fn tick(&mut self) -> Result<(), AgentError> {
        let followed = self.follow().await;
        let acted = self.act().await;
        followed.and(acted)
    }

    async fn follow(&mut self) -> Result<(), AgentError> {
        let head = self.opml.chain.block_number().await?;
        let safe = head.saturating_sub(self.config.confirmations);
        let mut next = self
            .store
            .meta("next_block")?
            .unwrap_or(self.config.from_block);
        for _ in 0..RANGES_PER_TICK {
            if next > safe {
                break;
            }
            let to = safe.min(next + self.config.max_block_range.max(1) - 1);
            for (log, event) in self.opml.events(next, to).await? {
                self.handle(log.block, event).await?;
            }
            self.store.set_meta("next_block", to + 1)?;
            next = to + 1;
        }
        self.metrics
            .lag_blocks
            .set(head.saturating_sub(next.saturating_sub(1)) as i64);
        Ok(())
    }

    /// `r` if it succeeded or failed transiently (to be retried by the next tick, with the
    /// chain unchanged); any other failure of one action is logged and does not stop the rest.
    fn soft<T>(&self, what: &str, r: Result<T, AgentError>) -> Result<Option<T>, AgentError> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_transient() || matches!(e, AgentError::Store(_)) => Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "{what} failed");
                Ok(None)
            }
        }
    }

    async fn handle(&mut self, block: u64, event: Event) -> Result<(), AgentError> {
        let me = self.config.account;
        match event {
            Event::Registry(RegistryEvents::ModelRegistered(e)) => {
                self.learn_model(e.modelId.to::<u64>(), e.modelRoot.0)
            }
            Event::Oracle(OracleEvents::InferenceRequested(e)) => {
                let (request, model) = (e.requestId.to::<u64>(), e.modelId.to::<u64>());
                if self.config.roles.serve && self.models.contains_key(&model) {
                    let r = self.answer(block, request, model, e.input.to_vec()).await;
                    self.soft("answering a request", r)?;
                }
            }
            Event::Oracle(OracleEvents::ClaimSubmitted(e)) => {
                let id = e.claimId.to::<u64>();
                let record = ClaimRecord {
                    model: e.modelId.to::<u64>(),
                    request: e.requestId.to::<u64>(),
                    claimant: e.claimant.0 .0,
                    input: e.input.to_vec(),
                    output: e.output.to_vec(),
                    final_root: e.finalStateRoot.0,
                    ours: e.claimant == me,
                    agrees: None,
                    settled: false,
                    block,
                };
                // Seen before (a restart): keep the verdict, unless a reorg put another claim
                // under this id.
                let known = self.store.claim(id)?;
                if !known.as_ref().is_some_and(|k| k.same_claim(&record)) {
                    self.metrics.claims_seen.inc();
                    self.seen.insert(id, Instant::now());
                    self.store.put_claim(id, &record)?;
                }
                let r = self.check_claim(id).await;
                self.soft("checking a claim", r)?;
            }
            Event::Oracle(OracleEvents::ClaimChallenged(e)) => {
                let (claim, game) = (e.claimId.to::<u64>(), e.gameId.to::<u64>());
                let ours = self.store.claim(claim)?.is_some_and(|c| c.ours);
                if (ours || e.challenger == me) && self.store.game(game)?.is_none() {
                    self.track_game(game, claim, ours)?;
                }
            }
            Event::Oracle(OracleEvents::ClaimFinalized(e)) => self.settle(e.claimId.to::<u64>())?,
            Event::Oracle(OracleEvents::ClaimDefeated(e)) => self.settle(e.claimId.to::<u64>())?,
            Event::Game(
                GameEvents::NodesRevealed(GameEvents_::NodesRevealed { gameId, values })
                | GameEvents::StepsRevealed(GameEvents_::StepsRevealed { gameId, values }),
            )
            | Event::Game(GameEvents::ChildrenRevealed(GameEvents_::ChildrenRevealed {
                gameId,
                children: values,
            })) => {
                let id = gameId.to::<u64>();
                if let Some(mut g) = self.store.game(id)? {
                    g.revealed = Some(values.iter().map(|v| v.0).collect());
                    self.store.put_game(id, &g)?;
                }
            }
            Event::Game(GameEvents::GameEnded(e)) => {
                self.end_game(e.gameId.to::<u64>(), e.claimantWon)?
            }
            _ => {}
        }
        Ok(())
    }

    fn settle(&mut self, claim: u64) -> Result<(), AgentError> {
        if let Some(mut c) = self.store.claim(claim)? {
            c.settled = true;
            self.store.put_claim(claim, &c)?;
        }
        self.inferences.remove(&claim);
        Ok(())
    }

    fn track_game(&mut self, game: u64, claim: u64, claimant: bool) -> Result<(), AgentError> {
        tracing::info!(game, claim, claimant, "playing game");
        let block = self.store.claim(claim)?.map_or(0, |c| c.block);
        self.store.put_game(
            game,
            &GameRecord {
                claim,
                claimant,
                revealed: None,
                moves: 0,
                ended: None,
                block,
            },
        )?;
        Ok(())
    }

    fn end_game(&mut self, game: u64, claimant_won: bool) -> Result<(), AgentError> {
        let Some(mut g) = self.store.game(game)? else {
            return Ok(());
        };
        if g.ended.is_some() {
            return Ok(());
        }
        g.ended = Some(claimant_won);
        self.store.put_game(game, &g)?;
        self.brains.remove(&game);
        let won = claimant_won == g.claimant;
        let (mine, theirs) = if g.claimant {
            (self.settings.claim_bond, self.settings.challenge_bond)
        } else {
            (self.settings.challenge_bond, self.settings.claim_bond)
        };
        let gwei = |w: U256| (w / U256::from(1_000_000_000u64)).saturating_to::<u64>();
        if won {
            self.metrics.bonds("won", gwei(theirs));
        } else {
            self.metrics.bonds("lost", gwei(mine));
        }
        tracing::info!(game, won, "game ended");
        self.actions.push(Action::GameEnded { game, won });
        Ok(())
    }

    /// Computes `model` on `input` off the async threads; with `lie`, the output the
    /// dishonest behavior claims instead.
    async fn compute(
        &self,
        model: Arc<Model>,
        input: Vec<u8>,
        lie: bool,
    ) -> Result<Inference, AgentError> {
        let backend = self.backend.clone();
        tokio::task::spawn_blocking(move || {
            let work = ClaimWork::compute(&model, input, &*backend)?;
            Ok(if lie {
                wrong_output(&work, &*backend).inference
            } else {
                work.inference
            })
        })
        .await
        .map_err(|e| AgentError::Config(format!("computation thread: {e}")))?
    }

    /// The opml events from block `from` to the head, asked for in ranges the node accepts.
    async fn events_since(&self, from: u64) -> Result<Vec<Event>, AgentError> {
        let head = self.opml.chain.block_number().await?;
        let step = self.config.max_block_range.max(1);
        let mut out = Vec::new();
        let mut at = from;
        while at <= head {
            let to = head.min(at + step - 1);
            out.extend(self.opml.events(at, to).await?.into_iter().map(|(_, e)| e));
            at = to + 1;
        }
        Ok(out)
    }

    /// Answers request `request` with a claim, unless this service already did.
    async fn answer(
        &mut self,
        block: u64,
        request: u64,
        model_id: u64,
        input: Vec<u8>,
    ) -> Result<(), AgentError> {
        let me = self.config.account;
        let already = self.events_since(block).await?.into_iter().any(|e| {
            matches!(e, Event::Oracle(OracleEvents::ClaimSubmitted(c))
                if c.requestId.to::<u64>() == request && c.claimant == me)
        });
        if already {
            return Ok(());
        }
        match self.submit(model_id, request, input).await {
            Ok(_) => Ok(()),
            Err(AgentError::Work(e)) => {
                tracing::warn!(request, error = %e, "cannot compute the request's input; not claiming");
                Ok(())
            }
            Err(AgentError::Chain(ChainError::Revert(why))) => {
                // Another claim fulfilled it first, or the request is settled.
                tracing::info!(request, %why, "claim not accepted");
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Computes registered model `model_id` on `input` and claims the result (for request
    /// `request`, 0 for none) with the claim bond; returns the claim id. The service defends
    /// and finalizes the claim in later ticks.
    pub async fn submit(
        &mut self,
        model_id: u64,
        request: u64,
        input: Vec<u8>,
    ) -> Result<u64, AgentError> {
        let me = self.config.account;
        let model = self.models.get(&model_id).cloned().ok_or_else(|| {
            AgentError::Config(format!("model {model_id} is not one this service holds"))
        })?;
        let lie = self.config.behavior.wrong_outputs;
        let inference = self.compute(model.clone(), input.clone(), lie).await?;
        let work = ClaimWork {
            model: &model,
            input,
            inference,
        };
        let (claim, tx) = self
            .opml
            .submit_claim(me, model_id, request, &work, self.settings.claim_bond)
            .await?;
        self.metrics.claims_submitted.inc();
        self.inferences.insert(claim, work.inference);
        self.actions.push(Action::Claimed {
            claim,
            request,
            gas: tx.gas_used,
        });
        Ok(claim)
    }

    /// Recomputes claim `id` (if this service watches and holds its model) and challenges it
    /// when it is wrong and still open.
    async fn check_claim(&mut self, id: u64) -> Result<(), AgentError> {
        let Some(mut record) = self.store.claim(id)? else {
            return Ok(());
        };
        if record.ours || !self.config.roles.watch || record.settled {
            return Ok(());
        }
        let Some(model) = self.models.get(&record.model).cloned() else {
            if record.agrees.is_none() {
                self.metrics.verdict("unknown_model");
            }
            return Ok(());
        };
        let agrees = match record.agrees {
            Some(a) => a,
            None => {
                let t0 = Instant::now();
                let truth = match self.compute(model, record.input.clone(), false).await {
                    Ok(t) => t,
                    Err(AgentError::Work(e)) => {
                        tracing::warn!(claim = id, error = %e, "cannot recompute the claim");
                        return Ok(());
                    }
                    Err(e) => return Err(e),
                };
                let seconds = t0.elapsed().as_secs_f64();
                self.metrics.recompute_seconds.observe(seconds);
                let agrees = truth.final_state_root() == record.final_root
                    && truth.output() == record.output;
                self.metrics
                    .verdict(if agrees { "agree" } else { "disagree" });
                record.agrees = Some(agrees);
                self.store.put_claim(id, &record)?;
                if !agrees || self.config.behavior.challenge_everything {
                    // Kept for the game; claims we agree with need nothing more.
                    self.inferences.insert(id, truth);
                } else {
                    self.seen.remove(&id);
                }
                self.actions.push(Action::Verified {
                    claim: id,
                    agrees,
                    seconds,
                });
                agrees
            }
        };
        if agrees && !self.config.behavior.challenge_everything {
            return Ok(());
        }
        self.challenge(id, record.block).await
    }

    async fn challenge(&mut self, id: u64, block: u64) -> Result<(), AgentError> {
        let me = self.config.account;
        if self
            .store
            .games()?
            .iter()
            .any(|(_, g)| g.claim == id && !g.claimant)
        {
            return Ok(());
        }
        let claim = self.opml.claim(id).await?;
        let now = self.opml.chain.timestamp().await?;
        if claim.state != 0 || now > claim.deadline {
            tracing::warn!(claim = id, "wrong claim already settled or past its window");
            if let Some(mut r) = self.store.claim(id)? {
                r.settled = true;
                self.store.put_claim(id, &r)?;
            }
            self.inferences.remove(&id);
            self.seen.remove(&id);
            return Ok(());
        }
        for e in self.events_since(block).await? {
            if let Event::Oracle(OracleEvents::ClaimChallenged(c)) = e {
                if c.claimId.to::<u64>() == id && c.challenger == me {
                    let game = c.gameId.to::<u64>();
                    if self.store.game(game)?.is_none() {
                        self.track_game(game, id, false)?;
                    }
                    return Ok(());
                }
            }
        }
        match self
            .opml
            .challenge(me, id, self.settings.challenge_bond)
            .await
        {
            Ok((game, tx)) => {
                if let Some(t) = self.seen.remove(&id) {
                    self.metrics
                        .challenge_seconds
                        .observe(t.elapsed().as_secs_f64());
                }
                self.track_game(game, id, false)?;
                self.actions.push(Action::Challenged {
                    claim: id,
                    game,
                    gas: tx.gas_used,
                });
                Ok(())
            }
            Err(ChainError::Revert(why)) => {
                tracing::warn!(claim = id, %why, "challenge not accepted");
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Moves, times out, finalizes and withdraws where it is due.
    async fn act(&mut self) -> Result<(), AgentError> {
        let games = self.store.games()?;
        let (mut active, mut won, mut lost) = (0, 0, 0);
        // The first transient failure is returned after every game has had its turn.
        let mut failed: Option<AgentError> = None;
        for (id, g) in &games {
            match g.ended {
                None => {
                    active += 1;
                    match self.play(*id).await {
                        Err(AgentError::Store(e)) => return Err(e.into()),
                        Err(e) if e.is_transient() => {
                            failed.get_or_insert(e);
                        }
                        // One game that cannot be played must not stop the others.
                        Err(e) => tracing::error!(game = id, error = %e, "cannot play this game"),
                        Ok(()) => {}
                    }
                }
                Some(cw) if cw == g.claimant => won += 1,
                Some(_) => lost += 1,
            }
        }
        self.metrics.set_games("active", active);
        self.metrics.set_games("won", won);
        self.metrics.set_games("lost", lost);
        if self.config.roles.watch {
            // Wrong claims whose challenge did not go through (a revert, a reorg): again.
            for (id, c) in self.store.claims()? {
                if c.agrees == Some(false) && !c.ours && !c.settled {
                    let r = self.challenge(id, c.block).await;
                    if let Err(e) = self.soft("challenging a claim", r) {
                        failed.get_or_insert(e);
                    }
                }
            }
        }
        if self.config.roles.serve {
            let r = self.finalize_due().await;
            if let Err(e) = self.soft("finalizing claims", r) {
                failed.get_or_insert(e);
            }
        }
        if self.config.withdraw {
            let r = self.withdraw().await;
            if let Err(e) = self.soft("withdrawing", r) {
                failed.get_or_insert(e);
            }
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    async fn withdraw(&mut self) -> Result<(), AgentError> {
        let me = self.config.account;
        let credit = self.opml.credit(me).await?;
        if credit > U256::ZERO {
            let tx = self.opml.withdraw(me).await?;
            self.actions.push(Action::Withdrew {
                wei: credit,
                gas: tx.gas_used,
            });
        }
        Ok(())
    }

    async fn finalize_due(&mut self) -> Result<(), AgentError> {
        let me = self.config.account;
        let now = self.opml.chain.timestamp().await?;
        for (id, c) in self.store.claims()? {
            if !c.ours || c.settled {
                continue;
            }
            let on_chain = self.opml.claim(id).await?;
            if on_chain.state != 0 {
                self.settle(id)?;
                continue;
            }
            if now <= on_chain.deadline || on_chain.openGames != 0 {
                continue;
            }
            match self.opml.finalize(me, id, &c.output).await {
                Ok(tx) => {
                    self.settle(id)?;
                    self.actions.push(Action::Finalized {
                        claim: id,
                        gas: tx.gas_used,
                    });
                }
                Err(ChainError::Revert(why)) => {
                    tracing::warn!(claim = id, %why, "finalize not accepted")
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// The brain of game `id`, started if needed.
    async fn brain(&mut self, id: u64, g: &GameRecord) -> Result<&Brain, AgentError> {
        if !self.brains.contains_key(&id) {
            let claim = self.store.claim(g.claim)?.ok_or_else(|| {
                AgentError::Config(format!("game {id}: claim {} unknown", g.claim))
            })?;
            let model = self.models.get(&claim.model).cloned().ok_or_else(|| {
                AgentError::Config(format!("game {id}: model {} not held", claim.model))
            })?;
            let inference = match self.inferences.remove(&g.claim) {
                Some(i) => i,
                None => {
                    let lie = g.claimant && self.config.behavior.wrong_outputs;
                    let inference = self
                        .compute(model.clone(), claim.input.clone(), lie)
                        .await?;
                    if g.claimant && inference.final_state_root() != claim.final_root {
                        // After a restart: what we compute now is not what we claimed.
                        return Err(AgentError::Config(format!(
                            "game {id}: recomputing claim {} does not give the claimed final state root; cannot defend it",
                            g.claim
                        )));
                    }
                    inference
                }
            };
            let b = self.config.behavior;
            let side = if g.claimant {
                Side::Claimant(b.claimant)
            } else {
                Side::Challenger(b.challenger)
            };
            let brain = Brain::spawn(
                model,
                self.program.clone(),
                self.settings.params,
                claim.input,
                inference,
                side,
            );
            self.brains.insert(id, brain);
        }
        Ok(&self.brains[&id])
    }

    /// The revealed list of game `id` whose hash is `want`, from the logs since `from`.
    async fn latest_reveal(
        &self,
        id: u64,
        from: u64,
        want: Hash,
    ) -> Result<Option<Vec<Hash>>, AgentError> {
        let mut found = None;
        for e in self.events_since(from).await? {
            let (game, values) = match e {
                Event::Game(GameEvents::NodesRevealed(r)) => (r.gameId, r.values),
                Event::Game(GameEvents::StepsRevealed(r)) => (r.gameId, r.values),
                Event::Game(GameEvents::ChildrenRevealed(r)) => (r.gameId, r.children),
                _ => continue,
            };
            let values: Vec<Hash> = values.iter().map(|v| v.0).collect();
            if game == U256::from(id) && revealed_hash(&values) == want {
                found = Some(values);
            }
        }
        Ok(found)
    }

    async fn play(&mut self, id: u64) -> Result<(), AgentError> {
        let me = self.config.account;
        let Some(mut g) = self.store.game(id)? else {
            return Ok(());
        };
        let (mut view, onchain) = self.opml.game(id, None).await?;
        if view.phase == Phase::Resolved {
            return self.end_game(id, onchain.claimantWon);
        }
        let my_turn = g.claimant == onchain.claimantToMove;
        // The other side is to move and its clock has run out (also at the last step, which
        // no one can resolve once the mover's clock is gone): claim the game.
        if !my_turn {
            let now = self.opml.chain.timestamp().await?;
            let clock = if onchain.claimantToMove {
                onchain.claimantClock
            } else {
                onchain.challengerClock
            };
            if now.saturating_sub(onchain.turnStartedAt) > clock {
                match self.opml.timeout(me, id).await {
                    Ok(tx) => self.actions.push(Action::TimedOut {
                        game: id,
                        gas: tx.gas_used,
                    }),
                    Err(e @ (ChainError::Revert(_) | ChainError::Failed(_))) => {
                        tracing::debug!(game = id, error = %e, "timeout not accepted")
                    }
                    Err(e) => return Err(e.into()),
                }
                return Ok(());
            }
        }
        let last_step = !g.claimant && view.phase == Phase::Steps && view.hi - view.lo == 1;
        if !my_turn && !last_step {
            return Ok(());
        }
        if onchain.revealed != FixedBytes::ZERO {
            // The pending list: the stored one if it is the one the contract holds, else the
            // latest reveal of this game read from the chain (it may not be confirmed yet).
            let want = onchain.revealed.0;
            let stored = g.revealed.clone().filter(|v| revealed_hash(v) == want);
            let list = match stored {
                Some(v) => Some(v),
                None => self.latest_reveal(id, g.block, want).await?,
            };
            if list.is_none() {
                tracing::warn!(
                    game = id,
                    "the pending revealed list is not in the logs yet"
                );
                return Ok(());
            }
            if list != g.revealed {
                g.revealed = list.clone();
                self.store.put_game(id, &g)?;
            }
            view.revealed = list;
        }
        let brain = self.brain(id, &g).await?;
        let mv = match brain.next_move(view.clone()).await {
            Ok(Some(mv)) => mv,
            Ok(None) => return Ok(()),
            Err(BrainError::Work(e)) => {
                // Our own native result and the VM disagree (or the guest failed): playing on
                // would defend bytes that cannot be proven. Say so loudly and stop moving.
                tracing::error!(game = id, error = %e, "cannot compute the next move");
                return Ok(());
            }
            Err(e) => {
                self.brains.remove(&id);
                return Err(AgentError::Config(format!("game {id}: {e}")));
            }
        };
        let (function, _) = crate::game::onchain::move_calldata(id, &mv);
        match self.opml.play(me, id, &mv).await {
            Ok(tx) => {
                self.metrics.moved(function);
                g.moves += 1;
                self.store.put_game(id, &g)?;
                self.actions.push(Action::Moved {
                    game: id,
                    function,
                    what: describe(&mv, &view),
                    gas: tx.gas_used,
                });
                Ok(())
            }
            Err(e @ (ChainError::Revert(_) | ChainError::Failed(_))) => {
                tracing::warn!(game = id, function, error = %e, "move not accepted");
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}

// The event structs of the game, by name (for the or-pattern above).
use crate::game::onchain::game_abi::DisputeGame as GameEvents_;

/// Binds a database to one deployment: a database made for another chain or oracle is an
/// error, not a silent mix of ids.
fn check_identity(store: &Store, chain_id: u64, oracle: Address) -> Result<(), AgentError> {
    let o = oracle.0 .0;
    let parts = [
        ("chain_id", chain_id),
        (
            "oracle_0",
            u64::from_be_bytes(o[0..8].try_into().expect("8 bytes")),
        ),
        (
            "oracle_1",
            u64::from_be_bytes(o[8..16].try_into().expect("8 bytes")),
        ),
        (
            "oracle_2",
            u32::from_be_bytes(o[16..20].try_into().expect("4 bytes")) as u64,
        ),
    ];
    let stored: Vec<Option<u64>> = parts
        .iter()
        .map(|(k, _)| store.meta(k))
        .collect::<Result<_, _>>()?;
    if stored.iter().all(Option::is_none) {
        for (k, v) in parts {
            store.set_meta(k, v)?;
        }
        return Ok(());
    }
    if stored.iter().zip(&parts).any(|(s, (_, v))| *s != Some(*v)) {
        return Err(AgentError::Config(format!(
            "this database belongs to another deployment (chain or oracle); this one is oracle {oracle} on chain {chain_id}: use a new database file"
        )));
    }
    Ok(())
}

/// The arg-max class moved to the next one, for a dishonest submitter: the last node's output
/// with the next class's logit raised to the maximum (and every byte flipped for non-int8
/// outputs).
pub fn wrong_output<'m>(truth: &ClaimWork<'m>, backend: &dyn Backend) -> ClaimWork<'m> {
    let last = truth.model.nodes().len() - 1;
    altered_work(truth, backend, last, |out| {
        let best = (0..out.len())
            .max_by_key(|&i| (out[i] as i8, std::cmp::Reverse(i)))
            .unwrap_or(0);
        match out.len() {
            0 => {}
            1 => out[0] ^= 0xff,
            n => out[(best + 1) % n] = i8::MAX as u8,
        }
    })
}

/// A move in words.
pub fn describe(mv: &Move, view: &crate::game::engine::GameView) -> String {
    match mv {
        Move::RevealNodes(v) => format!(
            "revealed {} graph states in nodes {}..{}",
            v.len(),
            view.lo,
            view.hi
        ),
        Move::ChooseNode(_, s) => format!("disputes segment {s} of nodes {}..{}", view.lo, view.hi),
        Move::ProveNode { .. } => format!("proved node {} is the only change", view.hi),
        Move::RevealChildren(v) => format!(
            "revealed {} subtrees of node {}'s output",
            v.len(),
            view.node
        ),
        Move::ChooseChild(_, c) => format!("disputes subtree {c}"),
        Move::OpenExecution { steps, .. } => format!("opened the tile's VM run: {steps} steps"),
        Move::RevealSteps(v) => format!(
            "revealed {} VM states in steps {}..{}",
            v.len(),
            view.lo,
            view.hi
        ),
        Move::ChooseStep(_, s) => format!("disputes segment {s} of steps {}..{}", view.lo, view.hi),
        Move::ResolveStep { .. } => format!("ran step {} on chain (Step.sol)", view.lo),
    }
}
