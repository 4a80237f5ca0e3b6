//! Players and a game loop for simulations: honest parties, and adversaries that lie at a node,
//! at a byte, at a VM step, inside a dissection, choose at random, or stop moving. The loop runs
//! a game against a referee (the Rust [`Referee`], or the contract through the same interface).

use opml_dnn::commit::{tensor_root, IncrementalTree, GRAPH_DEPTH};
use opml_dnn::exec::{Backend, Inference};
use opml_dnn::graph::Source;
use opml_dnn::model::Model;
use opml_dnn::tensor::TensorRef;
use opml_dnn::testgen::XorShift32;
use opml_vm::merkle::{keccak256, Hash};
use opml_vm::Program;

use super::dissection::positions;
use super::engine::{GameView, Honest, Move, Params, Phase};
use super::referee::{Referee, RefereeError};
use super::work::{slot_siblings, ClaimWork, WorkError};

/// A side of a game.
pub trait Player {
    /// Its next move, or `None` if it has none (or refuses to move).
    fn next_move(&mut self, view: &GameView) -> Result<Option<Move>, WorkError>;
}

/// How a claimant departs from the honest strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lie {
    /// Honest.
    None,
    /// Stops moving after this many moves.
    Stall(u32),
    /// Reveals a wrong value in every dissection reveal (at a random position).
    DissectionGarbage,
    /// At the instruction level, asserts fabricated state hashes from this fraction (per mille)
    /// of the run on (the final state is always fabricated when the tile is wrong).
    FakeSteps(u32),
}

/// A claimant playing from its (possibly wrong) work with a lie.
pub struct Claimant<'w, 'm> {
    honest: Honest<'w, 'm>,
    lie: Lie,
    rng: XorShift32,
    moves: u32,
    fake_final: Option<Vec<u8>>,
}

impl<'w, 'm> Claimant<'w, 'm> {
    /// A claimant with `work` (its claimed inference) and `lie`.
    pub fn new(
        params: Params,
        work: &'w ClaimWork<'m>,
        program: &'w Program,
        lie: Lie,
        seed: u32,
    ) -> Self {
        Self {
            honest: Honest::new(params, work, program),
            lie,
            rng: XorShift32::new(seed),
            moves: 0,
            fake_final: None,
        }
    }

    fn garbage(&mut self) -> Hash {
        let mut h = [0u8; 32];
        h[..4].copy_from_slice(&self.rng.next_u32().to_le_bytes());
        keccak256(&h)
    }
}

impl Player for Claimant<'_, '_> {
    fn next_move(&mut self, view: &GameView) -> Result<Option<Move>, WorkError> {
        if let Lie::Stall(n) = self.lie {
            if self.moves >= n {
                return Ok(None);
            }
        }
        let mv = match self.honest.claimant_move(view) {
            Ok(mv) => mv,
            // Its claimed tile is not what the VM computes: fabricate the execution.
            Err(WorkError::NativeVmMismatch { .. }) => Some(self.fabricated_execution(view)?),
            Err(e) => return Err(e),
        };
        let mv = match (mv, self.lie) {
            (Some(Move::RevealNodes(mut v)), Lie::DissectionGarbage) => {
                let j = self.rng.next_u32() as usize % v.len();
                v[j] = self.garbage();
                Some(Move::RevealNodes(v))
            }
            (Some(Move::RevealSteps(mut v)), Lie::DissectionGarbage) => {
                let j = self.rng.next_u32() as usize % v.len();
                v[j] = self.garbage();
                Some(Move::RevealSteps(v))
            }
            (Some(Move::RevealSteps(v)), _) if self.fake_final.is_some() => {
                Some(Move::RevealSteps(self.fake_steps(view, v)))
            }
            // A fabricated run cannot be proven: it does not resolve its own last step.
            (Some(Move::ResolveStep { .. }), _) if self.fake_final.is_some() => None,
            (mv, _) => mv,
        };
        if mv.is_some() {
            self.moves += 1;
        }
        Ok(mv)
    }
}

impl Claimant<'_, '_> {
    /// The true run's states until the lie's step, fabricated ones after.
    fn fake_steps(&mut self, view: &GameView, truth: Vec<Hash>) -> Vec<Hash> {
        let steps_total = self.honest_steps(view);
        let per_mille = match self.lie {
            Lie::FakeSteps(p) => p as u64,
            _ => 1000,
        };
        let from = steps_total * per_mille / 1000;
        let ps = positions(view.lo, view.hi, self.honest.params.dissection_width);
        ps.iter()
            .zip(truth)
            .map(|(&p, t)| {
                if p >= from {
                    keccak256(&[t.as_slice(), b"fake"].concat())
                } else {
                    t
                }
            })
            .collect()
    }

    fn honest_steps(&self, view: &GameView) -> u64 {
        // The final step of the fabricated run is the true run's.
        view.hi.max(1)
    }

    /// `openExecution` with the true run's final state, except that slot 15 holds the claimed
    /// (wrong) tile.
    fn fabricated_execution(&mut self, view: &GameView) -> Result<Move, WorkError> {
        let work = self.honest.work;
        let (node, index) = (view.node, view.index);
        let t = self.honest.params.tile_height;
        // The true run, from the same inputs (the agreed state), with the tile it computes.
        let tile = work.run_tile_unchecked(self.honest.program, node, t, index)?;
        let mut slots = tile.slot_roots;
        slots[opml_vm::layout::OUTPUT_SLOT] =
            super::work::expected_slot_root(t, index, &view.value);
        let mut fin = *tile.final_state();
        fin.mem_root = super::work::fold_level(slots.to_vec());
        let final_state = fin.encode().to_vec();
        self.fake_final = Some(final_state.clone());
        // From now on its state hashes come from the true run (and are faked from some step).
        self.honest.check_tiles = false;
        let (descriptor, _) = work.descriptor(node);
        Ok(Move::OpenExecution {
            descriptor,
            input_roots: tile.input_roots.clone(),
            input_proofs: tile.input_proofs.clone(),
            final_state,
            slot_siblings: slot_siblings(&slots, opml_vm::layout::OUTPUT_SLOT),
            steps: tile.steps(),
        })
    }
}

/// How a challenger departs from the honest strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Picks the first wrong segment (honest).
    Honest,
    /// Picks uniformly at random.
    Random,
    /// Stops moving after this many moves.
    Stall(u32),
}

/// A challenger.
pub struct Challenger<'w, 'm> {
    honest: Honest<'w, 'm>,
    choice: Choice,
    rng: XorShift32,
    moves: u32,
}

impl<'w, 'm> Challenger<'w, 'm> {
    /// A challenger with its own `work` of the claim.
    pub fn new(
        params: Params,
        work: &'w ClaimWork<'m>,
        program: &'w Program,
        choice: Choice,
        seed: u32,
    ) -> Self {
        Self {
            honest: Honest::new(params, work, program),
            choice,
            rng: XorShift32::new(seed),
            moves: 0,
        }
    }
}

impl Player for Challenger<'_, '_> {
    fn next_move(&mut self, view: &GameView) -> Result<Option<Move>, WorkError> {
        if let Choice::Stall(n) = self.choice {
            if self.moves >= n {
                return Ok(None);
            }
        }
        // Anyone may resolve the last step: an honest challenger does when the claimant does not.
        if view.phase == Phase::Steps && view.hi - view.lo == 1 {
            if self.choice == Choice::Random {
                return Ok(None);
            }
            let mv = self.honest.claimant_move(&GameView {
                claimant_to_move: true,
                ..view.clone()
            })?;
            return Ok(mv);
        }
        let mv = match (self.honest.challenger_move(view)?, self.choice) {
            (Some(Move::ChooseNode(v, _)), Choice::Random) => {
                let j = self.rng.next_u32() as u64 % (v.len() as u64 + 1);
                Some(Move::ChooseNode(v, j))
            }
            (Some(Move::ChooseStep(v, _)), Choice::Random) => {
                let j = self.rng.next_u32() as u64 % (v.len() as u64 + 1);
                Some(Move::ChooseStep(v, j))
            }
            (Some(Move::ChooseChild(v, _)), Choice::Random) => {
                let j = self.rng.next_u32() as u64 % v.len() as u64;
                Some(Move::ChooseChild(v, j))
            }
            (mv, _) => mv,
        };
        if mv.is_some() {
            self.moves += 1;
        }
        Ok(mv)
    }
}

/// How a game ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Whether the claimant won.
    pub claimant_won: bool,
    /// Whether it ended by a timeout.
    pub by_timeout: bool,
    /// Moves made by the claimant and the challenger.
    pub moves: (u32, u32),
}

/// Plays a game on the Rust referee with one second per move; a side without a move (or whose
/// move is rejected) lets its clock run out.
pub fn play(
    referee: &mut Referee,
    claimant: &mut dyn Player,
    challenger: &mut dyn Player,
    clock: u64,
) -> Result<Outcome, WorkError> {
    let mut now = referee.turn_started_at;
    let mut by_timeout = false;
    for _ in 0..10_000 {
        if referee.phase == Phase::Resolved {
            break;
        }
        now += 1;
        let view = referee.view();
        let (mover, by_claimant): (&mut dyn Player, bool) = if view.claimant_to_move {
            (&mut *claimant, true)
        } else {
            (&mut *challenger, false)
        };
        let mut applied = match mover.next_move(&view)? {
            Some(mv) => referee
                .apply(by_claimant, &mv, now)
                .map_err(log_rejection)
                .is_ok(),
            None => false,
        };
        // The last step can be resolved by either side.
        if !applied && view.phase == Phase::Steps && view.hi - view.lo == 1 && by_claimant {
            if let Some(mv) = challenger.next_move(&view)? {
                applied = referee
                    .apply(false, &mv, now)
                    .map_err(log_rejection)
                    .is_ok();
            }
        }
        if !applied {
            now += clock + 1;
            referee.timeout(now).expect("the clock has run out");
            by_timeout = true;
        }
    }
    Ok(Outcome {
        claimant_won: referee.claimant_won.expect("game resolved"),
        by_timeout,
        moves: referee.moves,
    })
}

fn log_rejection(e: RefereeError) -> RefereeError {
    tracing::debug!(error = %e, "move rejected");
    e
}

/// A claimant's work in which node `node`'s output has byte `byte` flipped and every later
/// node is computed correctly from that (a claimant that is wrong at one node).
pub fn lying_work<'m>(
    honest: &ClaimWork<'m>,
    backend: &dyn Backend,
    node: usize,
    byte: usize,
) -> ClaimWork<'m> {
    altered_work(honest, backend, node, |out| {
        let len = out.len();
        out[byte % len] ^= 0x5A;
    })
}

/// A claimant's work in which `alter` changed node `node`'s output and every later node is
/// computed correctly from that.
pub fn altered_work<'m>(
    honest: &ClaimWork<'m>,
    backend: &dyn Backend,
    node: usize,
    alter: impl FnOnce(&mut [u8]),
) -> ClaimWork<'m> {
    let model: &'m Model = honest.model;
    let mut outputs = honest.inference.outputs.clone();
    alter(&mut outputs[node]);
    for (j, desc) in model.nodes().iter().enumerate().skip(node + 1) {
        let out = {
            let inputs: Vec<TensorRef<'_>> = desc
                .sources
                .iter()
                .zip(&desc.inputs)
                .map(|(s, info)| TensorRef {
                    info,
                    data: match *s {
                        Source::Node(k) => &outputs[k as usize],
                        Source::Weight(w) => model.weight(w as usize).1,
                    },
                })
                .collect();
            let mut out = vec![0u8; desc.output.byte_len()];
            backend.compute(desc, &inputs, &mut out);
            out
        };
        outputs[j] = out;
    }
    let node_roots: Vec<Hash> = outputs.iter().map(|o| tensor_root(o)).collect();
    let mut tree = IncrementalTree::new(GRAPH_DEPTH);
    let state_roots = node_roots
        .iter()
        .enumerate()
        .map(|(i, r)| {
            tree.set(i, *r);
            tree.root()
        })
        .collect();
    let inference = Inference {
        outputs,
        node_roots,
        state_roots,
        compute_time: Default::default(),
        commit_time: Default::default(),
    };
    ClaimWork {
        model,
        input: honest.input.clone(),
        inference,
    }
}
