//! The native executor: runs a whole model on the CPU, every node's output split across all
//! cores, and produces the output, every node's output root and every graph-state root
//! (docs/spec.md §8.6).

use std::string::{String, ToString};
use std::vec::Vec;

use rayon::prelude::*;

use crate::commit::{self, Hash, IncrementalTree, GRAPH_DEPTH};
use crate::graph::{NodeDescriptor, Source};
use crate::model::Model;
use crate::ops::Op;
use crate::tensor::{TensorInfo, TensorRef};

/// Why an inference cannot run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExecError {
    /// The input has the wrong size for the model.
    #[error("input has {actual} bytes, the model takes {expected} ({info})")]
    InputSize {
        /// Bytes the model takes.
        expected: usize,
        /// Bytes given.
        actual: usize,
        /// The input's description.
        info: String,
    },
}

/// Computes nodes. Implementations must produce exactly the reference kernel's bytes.
pub trait Backend: Sync {
    /// Short name for logs.
    fn name(&self) -> &'static str;

    /// Computes all of `node`'s output into `out` (`node.output.byte_len()` bytes) from its
    /// inputs. The node has been checked against these inputs.
    fn compute(&self, node: &NodeDescriptor, inputs: &[TensorRef<'_>], out: &mut [u8]);
}

/// The reference kernels, each node's output split into ranges computed on all cores.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReferenceBackend;

/// Elements per parallel task (at least; rows of big ops are cheap to split anywhere).
const MIN_TASK_ELEMENTS: usize = 256;

impl Backend for ReferenceBackend {
    fn name(&self) -> &'static str {
        "cpu-reference"
    }

    fn compute(&self, node: &NodeDescriptor, inputs: &[TensorRef<'_>], out: &mut [u8]) {
        compute_split(&node.op, inputs, &node.output, out);
    }
}

/// Outputs of at most this many elements are computed on the calling thread (a fork-join costs
/// more than they take).
const MIN_SPLIT_ELEMENTS: usize = 4 * MIN_TASK_ELEMENTS;

/// Computes `op` into `out` in element ranges spread over the rayon pool (on the calling thread
/// when the output is small).
pub fn compute_split(op: &Op, inputs: &[TensorRef<'_>], output: &TensorInfo, out: &mut [u8]) {
    let size = output.dtype.size();
    let elements = output.len();
    if elements <= MIN_SPLIT_ELEMENTS || rayon::current_num_threads() <= 1 {
        op.compute(inputs, output, 0..elements, out);
        return;
    }
    let tasks = (rayon::current_num_threads() * 4).max(1);
    let per_task = elements.div_ceil(tasks).max(MIN_TASK_ELEMENTS);
    out.par_chunks_mut(per_task * size)
        .enumerate()
        .for_each(|(t, chunk)| {
            let start = t * per_task;
            op.compute(inputs, output, start..start + chunk.len() / size, chunk);
        });
}

/// The result of one inference.
#[derive(Debug, Clone)]
pub struct Inference {
    /// Every node's output bytes; entry 0 is the input.
    pub outputs: Vec<Vec<u8>>,
    /// Every node's output tensor root.
    pub node_roots: Vec<Hash>,
    /// The graph-state root after every node: leaf j is node j's output root for j ≤ i.
    pub state_roots: Vec<Hash>,
    /// Time spent computing nodes.
    pub compute_time: std::time::Duration,
    /// Time spent on output roots and graph-state roots.
    pub commit_time: std::time::Duration,
}

impl Inference {
    /// The model's output (the last node's).
    pub fn output(&self) -> &[u8] {
        self.outputs.last().expect("a model has nodes")
    }

    /// The final graph-state root (what a claim commits to).
    pub fn final_state_root(&self) -> Hash {
        *self.state_roots.last().expect("a model has nodes")
    }
}

/// Runs `model` on `input` (the bytes of node 0's tensor) with `backend`.
pub fn run(model: &Model, input: &[u8], backend: &dyn Backend) -> Result<Inference, ExecError> {
    let info = model.input_info();
    if input.len() != info.byte_len() {
        return Err(ExecError::InputSize {
            expected: info.byte_len(),
            actual: input.len(),
            info: info.to_string(),
        });
    }
    let nodes = model.nodes();
    let started = std::time::Instant::now();
    let mut outputs: Vec<Vec<u8>> = Vec::with_capacity(nodes.len());
    outputs.push(input.to_vec());
    for node in &nodes[1..] {
        let inputs: Vec<TensorRef<'_>> = node
            .sources
            .iter()
            .zip(&node.inputs)
            .map(|(source, info)| TensorRef {
                info,
                data: match *source {
                    Source::Node(j) => &outputs[j as usize],
                    Source::Weight(w) => model.weight(w as usize).1,
                },
            })
            .collect();
        let mut out = std::vec![0u8; node.output.byte_len()];
        backend.compute(node, &inputs, &mut out);
        outputs.push(out);
    }
    let compute_time = started.elapsed();
    let started = std::time::Instant::now();
    let node_roots: Vec<Hash> = outputs.par_iter().map(|o| commit::tensor_root(o)).collect();
    let mut tree = IncrementalTree::new(GRAPH_DEPTH);
    let state_roots = node_roots
        .iter()
        .enumerate()
        .map(|(i, root)| {
            tree.set(i, *root);
            tree.root()
        })
        .collect();
    let commit_time = started.elapsed();
    Ok(Inference {
        outputs,
        node_roots,
        state_roots,
        compute_time,
        commit_time,
    })
}
