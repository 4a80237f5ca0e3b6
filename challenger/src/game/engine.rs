//! The next move of an honest claimant or challenger (docs/spec.md §9.4): a pure function of the
//! game as the chain shows it and of the party's own computation.

use opml_vm::merkle::{keccak256, zero_hash, Hash};
use opml_vm::Program;

use super::dissection::{first_wrong, positions};
use super::work::{subtree_root, ClaimWork, TileRun, WorkError};

/// Game parameters (the contract's constructor arguments, docs/spec.md §9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// k of the dissections.
    pub dissection_width: u64,
    /// log2 of the children revealed per output-descent move.
    pub descent_width_log2: u32,
    /// Height of a tile in the output tree.
    pub tile_height: u32,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            dissection_width: 8,
            descent_width_log2: 3,
            tile_height: 0,
        }
    }
}

/// Which level the game is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Node dissection over graph states.
    Nodes,
    /// Output descent through the disputed node's output tree.
    Descent,
    /// Instruction dissection over the tile's VM run.
    Steps,
    /// Over.
    Resolved,
}

/// The parts of an on-chain game that decide the next move (`DisputeGame.getGame`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GameView {
    /// Level.
    pub phase: Phase,
    /// Whether the claimant is to move.
    pub claimant_to_move: bool,
    /// Dissection interval (nodes or steps), agreed at `lo`, disputed at `hi`.
    pub lo: u64,
    /// Upper end of the interval.
    pub hi: u64,
    /// The pending revealed list (from the reveal event), if the challenger is to choose.
    pub revealed: Option<Vec<Hash>>,
    /// The disputed node (descent and steps).
    pub node: u64,
    /// Descent: height, index and claimed value of the disputed subtree.
    pub height: u32,
    /// Descent: index at that height.
    pub index: u64,
    /// Descent: the claimant's value there.
    pub value: Hash,
}

/// A move: one contract call of `DisputeGame` (names mirror the Solidity functions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Move {
    /// `revealNodes(values)`.
    RevealNodes(Vec<Hash>),
    /// `chooseNode(values, segment)`.
    ChooseNode(Vec<Hash>, u64),
    /// `proveNode(...)`.
    ProveNode {
        /// The claimed output root L of the node.
        output_root: Hash,
        /// 16 siblings of leaf i, valid in states i−1 and i.
        state_siblings: Vec<Hash>,
        /// Descriptor bytes of node i.
        descriptor: Vec<u8>,
        /// Their proof against the graph root.
        descriptor_proof: Vec<Hash>,
        /// Root of the output tree's data subtree (height h0).
        data_root: Hash,
    },
    /// `revealChildren(children)`.
    RevealChildren(Vec<Hash>),
    /// `chooseChild(children, index)`.
    ChooseChild(Vec<Hash>, u64),
    /// `openExecution(...)`.
    OpenExecution {
        /// Descriptor bytes of node i.
        descriptor: Vec<u8>,
        /// Tensor roots of its inputs.
        input_roots: Vec<Hash>,
        /// Their proofs.
        input_proofs: Vec<Vec<Hash>>,
        /// The packed final VM state.
        final_state: Vec<u8>,
        /// Siblings of slot 15 in the final memory root.
        slot_siblings: [Hash; 4],
        /// Steps until the guest exited.
        steps: u64,
    },
    /// `revealSteps(values)`.
    RevealSteps(Vec<Hash>),
    /// `chooseStep(values, segment)`.
    ChooseStep(Vec<Hash>, u64),
    /// `resolveStep(preState, proof)`.
    ResolveStep {
        /// The packed pre-state.
        pre_state: Vec<u8>,
        /// Its step proof bytes.
        proof: Vec<u8>,
    },
}

/// Height of the data subtree of an output of `len` bytes: `⌈log2 ⌈len/32⌉⌉`.
pub fn data_height(len: u64) -> u32 {
    let leaves = len.div_ceil(32).max(1);
    leaves.next_power_of_two().trailing_zeros()
}

/// An honest party: its computation of the claim, lazily the VM run of the disputed tile.
pub struct Honest<'w, 'm> {
    /// Parameters of the game.
    pub params: Params,
    /// The party's own run of the claimed inference.
    pub work: &'w ClaimWork<'m>,
    /// The guest program.
    pub program: &'w Program,
    /// Whether a tile run must reproduce this party's own bytes (an honest party always
    /// checks; only adversaries in simulations turn it off).
    pub check_tiles: bool,
    tile: Option<TileRun>,
}

impl<'w, 'm> Honest<'w, 'm> {
    /// A party that plays from `work`.
    pub fn new(params: Params, work: &'w ClaimWork<'m>, program: &'w Program) -> Self {
        Self {
            params,
            work,
            program,
            check_tiles: true,
            tile: None,
        }
    }

    /// The VM run of tile `(tile_height, index)` of `node`, computed once.
    fn tile(&mut self, node: u64, index: u64) -> Result<&TileRun, WorkError> {
        let cached = self
            .tile
            .as_ref()
            .is_some_and(|t| t.node as u64 == node && t.tile_index == index);
        if !cached {
            let t = self.params.tile_height;
            self.tile = Some(if self.check_tiles {
                self.work.run_tile(self.program, node, t, index)?
            } else {
                self.work.run_tile_unchecked(self.program, node, t, index)?
            });
        }
        Ok(self.tile.as_ref().expect("just computed"))
    }

    /// The claimant's next move, if it is the claimant's turn and it has one.
    pub fn claimant_move(&mut self, view: &GameView) -> Result<Option<Move>, WorkError> {
        if view.phase == Phase::Resolved || !view.claimant_to_move {
            return Ok(None);
        }
        let k = self.params.dissection_width;
        Ok(Some(match view.phase {
            Phase::Nodes if view.hi - view.lo >= 2 => Move::RevealNodes(
                positions(view.lo, view.hi, k)
                    .iter()
                    .map(|&p| self.work.state_root(p))
                    .collect(),
            ),
            Phase::Nodes => {
                let i = view.hi;
                let (descriptor, descriptor_proof) = self.work.descriptor(i);
                let len = self.work.model.nodes()[i as usize].output.byte_len() as u64;
                Move::ProveNode {
                    output_root: self.work.output_root(i),
                    state_siblings: self.work.state_proof(i, i),
                    descriptor,
                    descriptor_proof,
                    data_root: self.work.output_node(i, data_height(len), 0),
                }
            }
            Phase::Descent if view.height > self.params.tile_height => {
                let w = self
                    .params
                    .descent_width_log2
                    .min(view.height - self.params.tile_height);
                let h = view.height - w;
                let first = view.index << w;
                Move::RevealChildren(
                    (0..1u64 << w)
                        .map(|c| self.work.output_node(view.node, h, first + c))
                        .collect(),
                )
            }
            Phase::Descent => {
                let (node, index) = (view.node, view.index);
                let (descriptor, _) = self.work.descriptor(node);
                let tile = self.tile(node, index)?;
                let slots = tile.slot_roots;
                Move::OpenExecution {
                    descriptor,
                    input_roots: tile.input_roots.clone(),
                    input_proofs: tile.input_proofs.clone(),
                    final_state: tile.final_state().encode().to_vec(),
                    slot_siblings: super::work::slot_siblings(&slots, opml_vm::layout::OUTPUT_SLOT),
                    steps: tile.steps(),
                }
            }
            Phase::Steps if view.hi - view.lo >= 2 => {
                let ps = positions(view.lo, view.hi, k);
                let tile = self.tile(view.node, view.index)?;
                Move::RevealSteps(
                    ps.iter()
                        .map(|&p| tile.state_hash(p))
                        .collect::<Result<_, _>>()?,
                )
            }
            Phase::Steps => {
                let tile = self.tile(view.node, view.index)?;
                let proof = tile.trace.prove(view.lo)?;
                Move::ResolveStep {
                    pre_state: proof.pre_state.clone(),
                    proof: proof.proof_bytes(),
                }
            }
            Phase::Resolved => return Ok(None),
        }))
    }

    /// The challenger's next move, if it is the challenger's turn and it has one.
    pub fn challenger_move(&mut self, view: &GameView) -> Result<Option<Move>, WorkError> {
        if view.phase == Phase::Resolved || view.claimant_to_move {
            return Ok(None);
        }
        let Some(revealed) = view.revealed.clone() else {
            return Ok(None);
        };
        let k = self.params.dissection_width;
        Ok(Some(match view.phase {
            Phase::Nodes => {
                let ps = positions(view.lo, view.hi, k);
                let j = first_wrong(&revealed, |j| self.work.state_root(ps[j]));
                Move::ChooseNode(revealed, j as u64)
            }
            Phase::Descent => {
                let w = revealed.len().trailing_zeros();
                let (h, first) = (view.height - w, view.index << w);
                let bytes = &self.work.inference.outputs[view.node as usize];
                // All children right would mean the parent was right too: against a wrong claim
                // some child is wrong (they hash to the wrong parent).
                let j = first_wrong(&revealed, |c| subtree_root(bytes, h, first + c as u64))
                    .min(revealed.len() - 1);
                Move::ChooseChild(revealed, j as u64)
            }
            Phase::Steps => {
                let ps = positions(view.lo, view.hi, k);
                let tile = self.tile(view.node, view.index)?;
                let truth: Vec<Hash> = ps
                    .iter()
                    .map(|&p| tile.state_hash(p))
                    .collect::<Result<_, _>>()?;
                let j = first_wrong(&revealed, |j| truth[j]);
                Move::ChooseStep(revealed, j as u64)
            }
            Phase::Resolved => return Ok(None),
        }))
    }
}

/// keccak256 of a revealed list, as the contract stores it (`abi.encodePacked(values)`).
pub fn revealed_hash(values: &[Hash]) -> Hash {
    keccak256(&values.concat())
}

/// The zero-subtree hash of `height` (for tiles past the end of an output).
pub fn zero_tile(height: u32) -> Hash {
    *zero_hash(height as usize)
}
