//! What an honest party computes for a claim (docs/spec.md §9.2): graph states, node proofs,
//! nodes of output trees, and the VM run of a disputed tile with its states and step proofs.

use opml_dnn::commit::{proof_of_leaves, IncrementalTree, GRAPH_DEPTH, WEIGHTS_DEPTH};
use opml_dnn::exec::{run, Backend, Inference};
use opml_dnn::graph::{Job, Source};
use opml_dnn::model::Model;
use opml_vm::job::job_machine;
use opml_vm::layout::{OUTPUT_SLOT, SLOT_COUNT};
use opml_vm::merkle::{hash_pair, zero_hash, Hash};
use opml_vm::{Program, Status, Trace, VmState};

/// Steps a tile may take before the run is abandoned (a tile should take far fewer).
pub const MAX_TILE_STEPS: u64 = 1 << 32;

/// Why a party cannot compute what a move needs.
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// The inference failed.
    #[error(transparent)]
    Exec(#[from] opml_dnn::exec::ExecError),
    /// The VM could not be set up.
    #[error(transparent)]
    Job(#[from] opml_vm::job::JobError),
    /// Replaying the trace failed.
    #[error(transparent)]
    Trace(#[from] opml_vm::TraceError),
    /// The guest did not exit with 0 (a bug of the guest or the model).
    #[error("the guest run of node {node} tile {tile} ended {status:?} after {steps} steps")]
    GuestFailed {
        /// Node.
        node: u32,
        /// Tile index.
        tile: u64,
        /// How it ended.
        status: Status,
        /// Steps taken.
        steps: u64,
    },
    /// The tile lies wholly past the end of the output: decided without execution.
    #[error("tile {tile} of node {node} lies past the end of its output")]
    TilePastEnd {
        /// Node.
        node: u32,
        /// Tile index.
        tile: u64,
    },
    /// The native bytes of a tile differ from the VM's: the determinism contract is broken.
    #[error("node {node} tile {tile}: native bytes differ from the VM's (determinism bug)")]
    NativeVmMismatch {
        /// Node.
        node: u32,
        /// Tile index.
        tile: u64,
    },
}

/// A model's inference on one input, with everything needed to play a game about it.
pub struct ClaimWork<'m> {
    /// The model.
    pub model: &'m Model,
    /// The input bytes (node 0's output).
    pub input: Vec<u8>,
    /// Every node's output, output root and graph-state root.
    pub inference: Inference,
}

/// The VM run of one tile of one node.
pub struct TileRun {
    /// Node index.
    pub node: u32,
    /// Tile height and index in the node's output tree.
    pub tile_height: u32,
    /// Tile index at that height.
    pub tile_index: u64,
    /// The job bytes (slot 4).
    pub job: Vec<u8>,
    /// Tensor roots of the node's inputs, in descriptor order.
    pub input_roots: Vec<Hash>,
    /// Their proofs: node outputs against graph state i−1, weights against the weight table.
    pub input_proofs: Vec<Vec<Hash>>,
    /// The recorded run.
    pub trace: Trace,
    /// The 16 slot roots of the final memory (computed once: the final machine is a replay).
    pub slot_roots: [Hash; SLOT_COUNT],
}

impl TileRun {
    /// Steps until the guest exited.
    pub fn steps(&self) -> u64 {
        self.trace.final_state().step
    }

    /// The final state (exited with code 0).
    pub fn final_state(&self) -> &VmState {
        self.trace.final_state()
    }

    /// keccak256 of the state after `step` steps (the final state for any step past the end).
    pub fn state_hash(&self, step: u64) -> Result<Hash, WorkError> {
        Ok(self.trace.state_at(step.min(self.steps()))?.hash())
    }
}

impl<'m> ClaimWork<'m> {
    /// Runs `model` on `input` with `backend`.
    pub fn compute(
        model: &'m Model,
        input: Vec<u8>,
        backend: &dyn Backend,
    ) -> Result<Self, WorkError> {
        let inference = run(model, &input, backend)?;
        Ok(Self {
            model,
            input,
            inference,
        })
    }

    /// Number of nodes.
    pub fn node_count(&self) -> u64 {
        self.model.nodes().len() as u64
    }

    /// Graph-state root after node `i`.
    pub fn state_root(&self, i: u64) -> Hash {
        self.inference.state_roots[i as usize]
    }

    /// The tree of graph state `i`.
    fn state_tree(&self, i: u64) -> IncrementalTree {
        let mut tree = IncrementalTree::new(GRAPH_DEPTH);
        for (j, root) in self
            .inference
            .node_roots
            .iter()
            .enumerate()
            .take(i as usize + 1)
        {
            tree.set(j, *root);
        }
        tree
    }

    /// Siblings of leaf `leaf` in graph state `state`.
    pub fn state_proof(&self, state: u64, leaf: u64) -> Vec<Hash> {
        self.state_tree(state).proof(leaf as usize)
    }

    /// Output root of node `i`.
    pub fn output_root(&self, i: u64) -> Hash {
        self.inference.node_roots[i as usize]
    }

    /// The canonical descriptor bytes of node `i` and their proof against the graph root.
    pub fn descriptor(&self, i: u64) -> (Vec<u8>, Vec<Hash>) {
        let bytes = self.model.nodes()[i as usize].encode();
        (
            bytes,
            proof_of_leaves(&self.model.roots().node_leaves, i as usize, GRAPH_DEPTH),
        )
    }

    /// The node at `(height, index)` of node `i`'s output tree.
    pub fn output_node(&self, i: u64, height: u32, index: u64) -> Hash {
        subtree_root(&self.inference.outputs[i as usize], height, index)
    }

    /// Runs tile `(tile_height, tile_index)` of node `i ≥ 1` in the VM and checks that slot 15
    /// ends holding exactly this work's bytes of the tile.
    pub fn run_tile(
        &self,
        program: &Program,
        i: u64,
        tile_height: u32,
        tile_index: u64,
    ) -> Result<TileRun, WorkError> {
        let tile = self.run_tile_unchecked(program, i, tile_height, tile_index)?;
        let slot15 = tile.slot_roots[OUTPUT_SLOT];
        let tile_root = self.output_node(i, tile_height, tile_index);
        if slot15 != expected_slot_root(tile_height, tile_index, &tile_root) {
            return Err(WorkError::NativeVmMismatch {
                node: i as u32,
                tile: tile_index,
            });
        }
        Ok(tile)
    }

    /// Runs tile `(tile_height, tile_index)` of node `i ≥ 1` in the VM from this work's inputs
    /// (the guest must exit 0), without comparing the result with this work's output.
    pub fn run_tile_unchecked(
        &self,
        program: &Program,
        i: u64,
        tile_height: u32,
        tile_index: u64,
    ) -> Result<TileRun, WorkError> {
        let node = &self.model.nodes()[i as usize];
        let len = node.output.byte_len() as u64;
        let (start, end) = tile_range(tile_height, tile_index, len);
        if start >= end {
            return Err(WorkError::TilePastEnd {
                node: i as u32,
                tile: tile_index,
            });
        }
        let descriptor = node.encode();
        let job = Job {
            start: start as u32,
            end: end as u32,
            descriptor: &descriptor,
        }
        .encode();
        let weights = self.model.roots();
        let mut inputs: Vec<&[u8]> = Vec::new();
        let (mut input_roots, mut input_proofs) = (Vec::new(), Vec::new());
        let agreed = self.state_tree(i - 1);
        for source in &node.sources {
            match *source {
                Source::Node(j) => {
                    inputs.push(&self.inference.outputs[j as usize]);
                    input_roots.push(self.inference.node_roots[j as usize]);
                    input_proofs.push(agreed.proof(j as usize));
                }
                Source::Weight(w) => {
                    inputs.push(self.model.weight(w as usize).1);
                    input_roots.push(weights.weight_roots[w as usize]);
                    input_proofs.push(proof_of_leaves(
                        &weights.weight_roots,
                        w as usize,
                        WEIGHTS_DEPTH,
                    ));
                }
            }
        }
        let machine = job_machine(program, &job, &inputs)?;
        let trace = Trace::record(
            machine,
            MAX_TILE_STEPS,
            opml_vm::trace::DEFAULT_SNAPSHOT_INTERVAL,
        );
        let fin = trace.final_state();
        if fin.status != Status::Exited(0) {
            return Err(WorkError::GuestFailed {
                node: i as u32,
                tile: tile_index,
                status: fin.status,
                steps: fin.step,
            });
        }
        let mut machine = trace.machine_at(fin.step)?;
        let slot_roots = std::array::from_fn(|s| machine.memory_mut().slot_root(s));
        Ok(TileRun {
            node: i as u32,
            tile_height,
            tile_index,
            job,
            input_roots,
            input_proofs,
            trace,
            slot_roots,
        })
    }
}

/// Byte range `[start, end)` of tile `(height, index)` in an output of `len` bytes (empty when
/// the tile lies past the end).
pub fn tile_range(height: u32, index: u64, len: u64) -> (u64, u64) {
    let size = 32u64 << height;
    let start = index.saturating_mul(size).min(len);
    (start, (start + size).min(len))
}

/// Root of the subtree at `(height, index)` of the tensor tree of `bytes`.
pub fn subtree_root(bytes: &[u8], height: u32, index: u64) -> Hash {
    let (start, end) = tile_range(height, index, bytes.len() as u64);
    if start >= end {
        return *zero_hash(height as usize);
    }
    opml_vm::merkle::root_of_bytes(&bytes[start as usize..end as usize], height as usize)
}

/// The slot-15 root the contract expects when the tile `(height, index)` with root `tile_root`
/// is the only non-zero part of slot 15 (docs/spec.md §9.2).
pub fn expected_slot_root(height: u32, index: u64, tile_root: &Hash) -> Hash {
    let mut node = *tile_root;
    for h in height as usize..opml_vm::layout::SLOT_DEPTH {
        node = if (index >> (h - height as usize)) & 1 == 0 {
            hash_pair(&node, zero_hash(h))
        } else {
            hash_pair(zero_hash(h), &node)
        };
    }
    node
}

/// The 4 siblings of slot `slot`'s root in a memory root whose slot roots are `slots`.
pub fn slot_siblings(slots: &[Hash; SLOT_COUNT], slot: usize) -> [Hash; 4] {
    let mut level: Vec<Hash> = slots.to_vec();
    let mut out = [[0u8; 32]; 4];
    let mut i = slot;
    for sibling in &mut out {
        *sibling = level[i ^ 1];
        level = level.chunks(2).map(|p| hash_pair(&p[0], &p[1])).collect();
        i /= 2;
    }
    out
}

/// The root of a power-of-two list of nodes (pairs hashed level by level).
pub fn fold_level(mut level: Vec<Hash>) -> Hash {
    while level.len() > 1 {
        level = opml_vm::keccak_lanes::hash_level(&level);
    }
    level[0]
}

/// The initial VM state of a job as the contract derives it (docs/spec.md §9.2): memory is the
/// depth-4 tree over `[program_root, Z23, Z23, Z23, job_root, inputs…, Z23…]`, pc the entry,
/// sp = 0x4000_0000.
pub fn initial_state(
    program_root: &Hash,
    entry: u32,
    job_root: &Hash,
    input_roots: &[Hash],
) -> VmState {
    let z23 = *zero_hash(opml_vm::layout::SLOT_DEPTH);
    let mut slots = [z23; SLOT_COUNT];
    slots[opml_vm::layout::PROGRAM_SLOT] = *program_root;
    slots[opml_vm::layout::JOB_SLOT] = *job_root;
    for (k, root) in input_roots.iter().enumerate() {
        slots[opml_vm::layout::FIRST_INPUT_SLOT + k] = *root;
    }
    let mut regs = [0u32; 32];
    regs[2] = opml_vm::layout::STACK_TOP;
    VmState {
        mem_root: fold_level(slots.to_vec()),
        pc: entry,
        step: 0,
        status: Status::Running,
        regs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opml_dnn::commit::tensor_root;
    use opml_dnn::exec::ReferenceBackend;
    use opml_dnn::testmodels::{encoder, random_tokens, TransformerShape};

    fn job_program() -> Program {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dnn-lib/guest/bin/job.elf");
        Program::parse(&std::fs::read(path).unwrap()).unwrap()
    }

    /// The state the contract derives from roots alone is the VM's state 0, and the tile run
    /// ends with exactly the native tile in slot 15, for tiles of several nodes.
    #[test]
    fn derived_initial_state_is_the_vm_state_zero() {
        let shape = TransformerShape::TINY_ENCODER;
        let model = Model::from_bytes(encoder(1, shape).to_model_bytes("").unwrap()).unwrap();
        let work = ClaimWork::compute(
            &model,
            random_tokens(2, shape.tokens, shape.vocab),
            &ReferenceBackend,
        )
        .unwrap();
        let program = job_program();
        let program_root = program.program_root().unwrap();
        for i in [1u64, 5, 17, work.node_count() - 1] {
            let leaves = model.nodes()[i as usize].output.byte_len().div_ceil(32) as u64;
            let tile = work.run_tile(&program, i, 0, 1.min(leaves - 1)).unwrap();
            assert!(matches!(
                work.run_tile(&program, i, 0, leaves),
                Err(WorkError::TilePastEnd { .. })
            ));
            let derived = initial_state(
                &program_root,
                program.entry,
                &tensor_root(&tile.job),
                &tile.input_roots,
            );
            assert_eq!(derived.hash(), tile.state_hash(0).unwrap(), "node {i}");
            // Input proofs fold to the agreed state (node inputs) or the weight table.
            let node = &model.nodes()[i as usize];
            for ((source, root), proof) in node
                .sources
                .iter()
                .zip(&tile.input_roots)
                .zip(&tile.input_proofs)
            {
                let (index, expected) = match *source {
                    Source::Node(j) => (j as u64, work.state_root(i - 1)),
                    Source::Weight(w) => (w as u64, model.roots().weights),
                };
                assert_eq!(
                    opml_vm::merkle::root_from_proof(root, index, proof),
                    expected
                );
            }
            assert!(tile.steps() > 100);
            assert_eq!(
                tile.state_hash(u64::MAX).unwrap(),
                tile.final_state().hash()
            );
        }
    }

    #[test]
    fn slot_siblings_fold_to_the_memory_root() {
        let slots: [Hash; SLOT_COUNT] = std::array::from_fn(|i| [i as u8 + 1; 32]);
        let mut level = slots.to_vec();
        while level.len() > 1 {
            level = level.chunks(2).map(|p| hash_pair(&p[0], &p[1])).collect();
        }
        for slot in [0, 4, 15] {
            let siblings = slot_siblings(&slots, slot);
            assert_eq!(
                opml_vm::merkle::root_from_proof(&slots[slot], slot as u64, &siblings),
                level[0]
            );
        }
    }
}
