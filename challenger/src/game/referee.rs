//! The game's rules as the contract enforces them (docs/spec.md §9.4), in Rust: the oracle that
//! `DisputeGame.sol` is tested against, and a fast referee for simulating many games. Checks and
//! errors mirror the contract's.

use opml_dnn::commit::{tensor_root, TENSOR_DEPTH};
use opml_dnn::graph::{Job, NodeDescriptor, Source};
use opml_vm::merkle::{hash_pair, keccak256, root_from_proof, zero_hash, Hash};
use opml_vm::{Status, VmState};

use super::dissection::{narrow, positions};
use super::engine::{data_height, GameView, Move, Params, Phase};
use super::work::{expected_slot_root, initial_state};

/// Why a move is rejected (the contract reverts with the same-named error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefereeError {
    /// The game is over.
    #[error("the game is resolved")]
    GameResolved,
    /// Not this side's turn, or not this kind of move now.
    #[error("not a valid move now")]
    WrongMove,
    /// The mover's clock has run out.
    #[error("the mover's clock has run out")]
    ClockExpired,
    /// `timeout` while the mover still has time.
    #[error("the mover still has time")]
    ClockNotExpired,
    /// Wrong number of revealed values, or a segment or child out of range.
    #[error("wrong number of values or index out of range")]
    InvalidReveal,
    /// The re-sent list differs from the revealed one.
    #[error("the list differs from the revealed one")]
    RevealMismatch,
    /// A Merkle proof or a hash check fails.
    #[error("a proof does not verify")]
    InvalidProof,
    /// The descriptor does not decode.
    #[error("the descriptor does not decode")]
    InvalidDescriptor,
    /// The final state is not exited with code 0, or its step count differs.
    #[error("the final state is not a successful exit at the claimed step")]
    InvalidFinalState,
    /// The one-step proof does not verify.
    #[error("the step proof does not verify: {0}")]
    Step(opml_vm::verify::VerifyError),
}

/// What a game needs to know about its claim and model.
#[derive(Debug, Clone)]
pub struct ClaimInfo {
    /// The model's graph root.
    pub graph_root: Hash,
    /// The model's weight-table root.
    pub weights_root: Hash,
    /// Number of nodes N.
    pub node_count: u64,
    /// Tensor root of the claim's input.
    pub input_root: Hash,
    /// The claimed final graph-state root.
    pub final_state_root: Hash,
    /// Slot-0 root of the guest.
    pub program_root: Hash,
    /// Entry pc of the guest.
    pub program_entry: u32,
}

/// `stateRoot0(input)`: the graph state with only leaf 0 set.
pub fn state_root0(input_root: &Hash) -> Hash {
    let mut node = *input_root;
    for h in 0..opml_dnn::commit::GRAPH_DEPTH {
        node = hash_pair(&node, zero_hash(h));
    }
    node
}

/// Folds the leftmost subtree root at `from` up to `to` with zero siblings.
pub fn fold_left(root: &Hash, from: u32, to: u32) -> Hash {
    (from..to).fold(*root, |node, h| hash_pair(&node, zero_hash(h as usize)))
}

/// One game's state, as `DisputeGame` stores it.
#[derive(Debug, Clone)]
pub struct Referee {
    /// Parameters.
    pub params: Params,
    /// The claim.
    pub claim: ClaimInfo,
    /// Level.
    pub phase: Phase,
    /// Whether the claimant is to move.
    pub claimant_to_move: bool,
    /// The winner, once resolved (true: claimant).
    pub claimant_won: Option<bool>,
    /// Seconds left on each clock.
    pub claimant_clock: u64,
    /// Seconds left on the challenger's clock.
    pub challenger_clock: u64,
    /// When the current turn began.
    pub turn_started_at: u64,
    /// Dissection interval and its end values.
    pub lo: u64,
    /// Upper end.
    pub hi: u64,
    /// Agreed value at `lo`.
    pub lo_value: Hash,
    /// Disputed value at `hi`.
    pub hi_value: Hash,
    /// The pending reveal.
    pub revealed: Option<Vec<Hash>>,
    /// The disputed node i.
    pub node: u64,
    /// Graph state i−1.
    pub agreed_state_root: Hash,
    /// H(descriptor of node i).
    pub descriptor_hash: Hash,
    /// Output bytes B of node i.
    pub output_bytes: u64,
    /// Descent position.
    pub height: u32,
    /// Index at that height.
    pub index: u64,
    /// The claimant's value there.
    pub value: Hash,
    /// Moves made by each side.
    pub moves: (u32, u32),
}

impl Referee {
    /// A new game over `claim`, started at `now` with `clock` seconds per side.
    pub fn new(params: Params, claim: ClaimInfo, clock: u64, now: u64) -> Self {
        let (lo_value, hi_value) = (state_root0(&claim.input_root), claim.final_state_root);
        let hi = claim.node_count - 1;
        Self {
            params,
            claim,
            phase: Phase::Nodes,
            claimant_to_move: true,
            claimant_won: None,
            claimant_clock: clock,
            challenger_clock: clock,
            turn_started_at: now,
            lo: 0,
            hi,
            lo_value,
            hi_value,
            revealed: None,
            node: 0,
            agreed_state_root: [0; 32],
            descriptor_hash: [0; 32],
            output_bytes: 0,
            height: 0,
            index: 0,
            value: [0; 32],
            moves: (0, 0),
        }
    }

    /// What a player sees.
    pub fn view(&self) -> GameView {
        GameView {
            phase: self.phase,
            claimant_to_move: self.claimant_to_move,
            lo: self.lo,
            hi: self.hi,
            revealed: self.revealed.clone(),
            node: self.node,
            height: self.height,
            index: self.index,
            value: self.value,
        }
    }

    fn resolve(&mut self, claimant_won: bool) {
        self.phase = Phase::Resolved;
        self.claimant_won = Some(claimant_won);
    }

    /// Ends the turn of the side that moved at `now`; the other side's clock starts.
    fn pass_turn(&mut self, now: u64) {
        self.claimant_to_move = !self.claimant_to_move;
        self.turn_started_at = now;
    }

    /// `timeout()`: the side to move has used up its clock.
    pub fn timeout(&mut self, now: u64) -> Result<(), RefereeError> {
        if self.phase == Phase::Resolved {
            return Err(RefereeError::GameResolved);
        }
        let clock = if self.claimant_to_move {
            self.claimant_clock
        } else {
            self.challenger_clock
        };
        if now.saturating_sub(self.turn_started_at) <= clock {
            return Err(RefereeError::ClockNotExpired);
        }
        let claimant_won = !self.claimant_to_move;
        self.resolve(claimant_won);
        Ok(())
    }

    /// Applies `mv` by the claimant (`by_claimant`) or the challenger at time `now`.
    /// `ResolveStep` may come from either side.
    pub fn apply(&mut self, by_claimant: bool, mv: &Move, now: u64) -> Result<(), RefereeError> {
        if self.phase == Phase::Resolved {
            return Err(RefereeError::GameResolved);
        }
        let anyone = matches!(mv, Move::ResolveStep { .. });
        if !anyone && by_claimant != self.claimant_to_move {
            return Err(RefereeError::WrongMove);
        }
        // `resolveStep` has no turn: whether it is the move now is checked before the clock
        // (the contract's order).
        if anyone && (self.phase != Phase::Steps || self.hi - self.lo != 1) {
            return Err(RefereeError::WrongMove);
        }
        // The clock of the side to move.
        let elapsed = now.saturating_sub(self.turn_started_at);
        let clock = if self.claimant_to_move {
            &mut self.claimant_clock
        } else {
            &mut self.challenger_clock
        };
        if elapsed > *clock {
            return Err(RefereeError::ClockExpired);
        }
        let before = *clock;
        *clock -= elapsed;
        let result = self.apply_checked(mv, now);
        if result.is_err() {
            // A rejected move changes nothing (the transaction reverts).
            let clock = if self.claimant_to_move {
                &mut self.claimant_clock
            } else {
                &mut self.challenger_clock
            };
            *clock = before;
        } else if by_claimant {
            self.moves.0 += 1;
        } else {
            self.moves.1 += 1;
        }
        result
    }

    fn apply_checked(&mut self, mv: &Move, now: u64) -> Result<(), RefereeError> {
        let k = self.params.dissection_width;
        let t = self.params.tile_height;
        match (self.phase, mv) {
            (
                Phase::Nodes | Phase::Steps,
                Move::RevealNodes(values) | Move::RevealSteps(values),
            ) if self.revealed.is_none() && self.hi - self.lo >= 2 && self.claimant_to_move => {
                let is_nodes = matches!(mv, Move::RevealNodes(_));
                if is_nodes != (self.phase == Phase::Nodes) {
                    return Err(RefereeError::WrongMove);
                }
                if values.len() != positions(self.lo, self.hi, k).len() {
                    return Err(RefereeError::InvalidReveal);
                }
                self.revealed = Some(values.clone());
                self.pass_turn(now);
                Ok(())
            }
            (
                Phase::Nodes | Phase::Steps,
                Move::ChooseNode(values, segment) | Move::ChooseStep(values, segment),
            ) if !self.claimant_to_move => {
                let is_nodes = matches!(mv, Move::ChooseNode(..));
                if is_nodes != (self.phase == Phase::Nodes) {
                    return Err(RefereeError::WrongMove);
                }
                if self.revealed.as_ref() != Some(values) {
                    return Err(RefereeError::RevealMismatch);
                }
                let ps = positions(self.lo, self.hi, k);
                let segment = *segment as usize;
                if segment > ps.len() {
                    return Err(RefereeError::InvalidReveal);
                }
                let (lo, hi) = narrow(self.lo, self.hi, &ps, segment);
                if segment > 0 {
                    self.lo_value = values[segment - 1];
                }
                if segment < ps.len() {
                    self.hi_value = values[segment];
                }
                (self.lo, self.hi) = (lo, hi);
                self.revealed = None;
                self.pass_turn(now);
                Ok(())
            }
            (
                Phase::Nodes,
                Move::ProveNode {
                    output_root,
                    state_siblings,
                    descriptor,
                    descriptor_proof,
                    data_root,
                },
            ) if self.hi - self.lo == 1 => {
                let i = self.hi;
                if state_siblings.len() != 16 || descriptor_proof.len() != 16 {
                    return Err(RefereeError::InvalidProof);
                }
                if root_from_proof(&[0; 32], i, state_siblings) != self.lo_value
                    || root_from_proof(output_root, i, state_siblings) != self.hi_value
                    || root_from_proof(&keccak256(descriptor), i, descriptor_proof)
                        != self.claim.graph_root
                {
                    return Err(RefereeError::InvalidProof);
                }
                let desc = NodeDescriptor::decode(descriptor)
                    .map_err(|_| RefereeError::InvalidDescriptor)?;
                let len = desc.output.byte_len() as u64;
                let h0 = data_height(len);
                if fold_left(data_root, h0, TENSOR_DEPTH as u32) != *output_root {
                    return Err(RefereeError::InvalidProof);
                }
                self.node = i;
                self.agreed_state_root = self.lo_value;
                self.descriptor_hash = keccak256(descriptor);
                self.output_bytes = len;
                self.phase = Phase::Descent;
                self.index = 0;
                if h0 <= t {
                    self.height = t;
                    self.value = fold_left(data_root, h0, t);
                } else {
                    self.height = h0;
                    self.value = *data_root;
                }
                self.after_descent_step(now);
                Ok(())
            }
            (Phase::Descent, Move::RevealChildren(children))
                if self.revealed.is_none() && self.height > t =>
            {
                let w = self.params.descent_width_log2.min(self.height - t);
                if children.len() != 1 << w {
                    return Err(RefereeError::InvalidReveal);
                }
                if super::work::fold_level(children.clone()) != self.value {
                    return Err(RefereeError::InvalidProof);
                }
                self.revealed = Some(children.clone());
                self.pass_turn(now);
                Ok(())
            }
            (Phase::Descent, Move::ChooseChild(children, c)) if !self.claimant_to_move => {
                if self.revealed.as_ref() != Some(children) {
                    return Err(RefereeError::RevealMismatch);
                }
                if *c as usize >= children.len() {
                    return Err(RefereeError::InvalidReveal);
                }
                let w = children.len().trailing_zeros();
                self.height -= w;
                self.index = (self.index << w) + c;
                self.value = children[*c as usize];
                self.revealed = None;
                self.pass_turn(now);
                self.after_descent_step(now);
                Ok(())
            }
            (
                Phase::Descent,
                Move::OpenExecution {
                    descriptor,
                    input_roots,
                    input_proofs,
                    final_state,
                    slot_siblings,
                    steps,
                },
            ) if self.height == t => {
                if keccak256(descriptor) != self.descriptor_hash {
                    return Err(RefereeError::InvalidDescriptor);
                }
                let desc = NodeDescriptor::decode(descriptor)
                    .map_err(|_| RefereeError::InvalidDescriptor)?;
                if input_roots.len() != desc.sources.len()
                    || input_proofs.len() != desc.sources.len()
                {
                    return Err(RefereeError::InvalidProof);
                }
                for ((source, root), proof) in
                    desc.sources.iter().zip(input_roots).zip(input_proofs)
                {
                    let (index, expected) = match *source {
                        Source::Node(j) => (j as u64, self.agreed_state_root),
                        Source::Weight(w) => (w as u64, self.claim.weights_root),
                    };
                    if proof.len() != 16 || root_from_proof(root, index, proof) != expected {
                        return Err(RefereeError::InvalidProof);
                    }
                }
                let size = 32u64 << t;
                let start = self.index * size;
                let end = (start + size).min(self.output_bytes);
                let job = Job {
                    start: start as u32,
                    end: end as u32,
                    descriptor,
                }
                .encode();
                let init = initial_state(
                    &self.claim.program_root,
                    self.claim.program_entry,
                    &tensor_root(&job),
                    input_roots,
                );
                let fin =
                    VmState::decode(final_state).map_err(|_| RefereeError::InvalidFinalState)?;
                if fin.status != Status::Exited(0) || fin.step != *steps || *steps == 0 {
                    return Err(RefereeError::InvalidFinalState);
                }
                let slot = expected_slot_root(t, self.index, &self.value);
                if root_from_proof(&slot, opml_vm::layout::OUTPUT_SLOT as u64, slot_siblings)
                    != fin.mem_root
                {
                    return Err(RefereeError::InvalidProof);
                }
                self.phase = Phase::Steps;
                (self.lo, self.hi) = (0, *steps);
                (self.lo_value, self.hi_value) = (init.hash(), keccak256(final_state));
                // The claimant moves again: reveal (or resolve a one-step run).
                self.turn_started_at = now;
                Ok(())
            }
            (Phase::Steps, Move::ResolveStep { pre_state, proof }) if self.hi - self.lo == 1 => {
                let post = opml_vm::verify::verify_step(&self.lo_value, pre_state, proof)
                    .map_err(RefereeError::Step)?;
                self.resolve(post == self.hi_value);
                Ok(())
            }
            _ => Err(RefereeError::WrongMove),
        }
    }

    /// After a descent step: at tile height, a tile past the output's end is decided at once;
    /// otherwise the claimant moves (reveal children, or open the execution).
    fn after_descent_step(&mut self, now: u64) {
        let t = self.params.tile_height;
        self.claimant_to_move = true;
        self.turn_started_at = now;
        if self.height == t && (self.index << t) * 32 >= self.output_bytes {
            let zero = *zero_hash(t as usize);
            self.resolve(self.value == zero);
        }
    }
}
