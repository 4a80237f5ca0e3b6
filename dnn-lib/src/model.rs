//! The model file (docs/spec.md §8.6): a versioned, memory-mappable container of the graph (node
//! descriptors), the weight tensors and free-form metadata, with the model root in its header,
//! recomputed and checked on load.

use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::commit::{self, Hash, GRAPH_DEPTH, WEIGHTS_DEPTH};
use crate::graph::{NodeDescriptor, Source};
use crate::ops::{Op, OpError};
use crate::tensor::TensorInfo;
use rayon::prelude::*;

/// File magic.
pub const MODEL_MAGIC: [u8; 8] = *b"OPMLMODL";
/// File format version.
pub const MODEL_VERSION: u32 = 1;
/// Header size in bytes.
pub const HEADER_LEN: usize = 104;
/// Alignment of every weight tensor's bytes in the file.
pub const WEIGHT_ALIGN: usize = 64;

/// Why a model file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Reading the file failed.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Not an opml model file.
    #[error("not an opml model file (bad magic)")]
    BadMagic,
    /// A version this build does not read.
    #[error("model file version {0} is not supported (this build reads version {MODEL_VERSION})")]
    UnsupportedVersion(u32),
    /// A section or field lies outside the file.
    #[error("model file is truncated or corrupt: {0}")]
    Corrupt(&'static str),
    /// A node descriptor does not decode.
    #[error("node {node}: {error}")]
    Descriptor {
        /// Node index.
        node: usize,
        /// The decoding error.
        error: DecodeError,
    },
    /// A weight description does not decode.
    #[error("weight {weight}: {error}")]
    WeightInfo {
        /// Weight index.
        weight: usize,
        /// The decoding error.
        error: DecodeError,
    },
    /// The graph is not well formed.
    #[error("node {node}: {message}")]
    Graph {
        /// Node index.
        node: usize,
        /// What is wrong.
        message: String,
    },
    /// An op rejects its inputs or output.
    #[error("node {node} ({op}): {error}")]
    Op {
        /// Node index.
        node: usize,
        /// Op name.
        op: &'static str,
        /// The op's complaint.
        error: OpError,
    },
    /// The header's model root is not the root of the contents.
    #[error("model root mismatch: header says 0x{}, contents give 0x{}", hex(.expected), hex(.actual))]
    RootMismatch {
        /// In the header.
        expected: Hash,
        /// Computed.
        actual: Hash,
    },
    /// Metadata is not UTF-8.
    #[error("metadata is not UTF-8")]
    BadMetadata,
}

fn hex(h: &Hash) -> String {
    h.iter().map(|b| std::format!("{b:02x}")).collect()
}

/// A weight tensor: its description and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weight {
    /// Dtype, shape, quantization.
    pub info: TensorInfo,
    /// Exactly `info.byte_len()` bytes.
    pub data: Vec<u8>,
}

/// The commitments of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRoots {
    /// Root of the graph tree: leaf i = keccak256(descriptor of node i).
    pub graph: Hash,
    /// Root of the weight table: leaf w = tensor root of weight w.
    pub weights: Hash,
    /// `keccak256(graph ‖ weights)`.
    pub model: Hash,
    /// Tensor root of every weight.
    pub weight_roots: Vec<Hash>,
    /// keccak256 of every node descriptor.
    pub node_leaves: Vec<Hash>,
}

/// Checks that `nodes` form a valid graph over `weights`: node 0 is the only input, sources
/// point backwards or at weights, input descriptions equal their sources', every op accepts
/// its inputs and output.
pub fn validate_graph(nodes: &[NodeDescriptor], weights: &[&TensorInfo]) -> Result<(), ModelError> {
    let graph = |node: usize, message: String| ModelError::Graph { node, message };
    if nodes.is_empty() {
        return Err(graph(0, "the graph has no nodes".into()));
    }
    if nodes.len() as u64 > 1 << GRAPH_DEPTH {
        return Err(graph(
            nodes.len(),
            std::format!("more than {} nodes", 1u64 << GRAPH_DEPTH),
        ));
    }
    if weights.len() as u64 > 1 << WEIGHTS_DEPTH {
        return Err(graph(
            0,
            std::format!("more than {} weights", 1u64 << WEIGHTS_DEPTH),
        ));
    }
    for (i, node) in nodes.iter().enumerate() {
        let is_input = matches!(node.op, Op::Input);
        if is_input != (i == 0) {
            return Err(graph(
                i,
                "node 0, and only node 0, must be the input".into(),
            ));
        }
        for (k, (source, info)) in node.sources.iter().zip(&node.inputs).enumerate() {
            let actual = match *source {
                Source::Node(j) if (j as usize) < i => &nodes[j as usize].output,
                Source::Weight(w) if (w as usize) < weights.len() => weights[w as usize],
                _ => {
                    return Err(graph(
                        i,
                        std::format!(
                            "input {k} refers to {source}, which does not exist before it"
                        ),
                    ))
                }
            };
            if actual != info {
                return Err(graph(
                    i,
                    std::format!("input {k} is described as {info} but {source} is {actual}"),
                ));
            }
        }
        node.check().map_err(|error| ModelError::Op {
            node: i,
            op: node.op.name(),
            error,
        })?;
    }
    Ok(())
}

/// Computes the commitments of a graph and its weights' bytes.
pub fn model_roots(nodes: &[NodeDescriptor], weights: &[&[u8]]) -> ModelRoots {
    let weight_roots: Vec<Hash> = weights.par_iter().map(|w| commit::tensor_root(w)).collect();
    let node_leaves: Vec<Hash> = nodes
        .par_iter()
        .map(|n| commit::keccak256(&n.encode()))
        .collect();
    let graph = commit::root_of_leaves(&node_leaves, GRAPH_DEPTH);
    let weights = commit::root_of_leaves(&weight_roots, WEIGHTS_DEPTH);
    ModelRoots {
        graph,
        weights,
        model: commit::model_root(&graph, &weights),
        weight_roots,
        node_leaves,
    }
}

/// Serializes a model. Validates the graph first.
pub fn write_model(
    nodes: &[NodeDescriptor],
    weights: &[Weight],
    metadata: &str,
) -> Result<Vec<u8>, ModelError> {
    let infos: Vec<&TensorInfo> = weights.iter().map(|w| &w.info).collect();
    validate_graph(nodes, &infos)?;
    for (i, w) in weights.iter().enumerate() {
        if w.data.len() != w.info.byte_len() {
            return Err(ModelError::Graph {
                node: 0,
                message: std::format!(
                    "weight {i} has {} bytes, its description {}",
                    w.data.len(),
                    w.info.byte_len()
                ),
            });
        }
    }
    let data: Vec<&[u8]> = weights.iter().map(|w| w.data.as_slice()).collect();
    let roots = model_roots(nodes, &data);

    let mut graph = Writer::new();
    for n in nodes {
        let bytes = n.encode();
        graph.u32(bytes.len() as u32);
        graph.raw(&bytes);
    }
    // Weight entries: offset and length (u64 each, filled below), then the description.
    let mut table = Writer::new();
    let mut entry_at = Vec::new();
    for w in weights {
        entry_at.push(table.bytes.len());
        table.raw(&[0u8; 16]);
        let mut info = Writer::new();
        w.info.encode(&mut info);
        table.u32(info.bytes.len() as u32);
        table.raw(&info.bytes);
    }
    let graph_offset = HEADER_LEN;
    let table_offset = graph_offset + graph.bytes.len();
    let meta_offset = table_offset + table.bytes.len();
    let mut cursor = (meta_offset + metadata.len()).next_multiple_of(WEIGHT_ALIGN);
    for (w, &at) in weights.iter().zip(&entry_at) {
        table.bytes[at..at + 8].copy_from_slice(&(cursor as u64).to_le_bytes());
        table.bytes[at + 8..at + 16].copy_from_slice(&(w.data.len() as u64).to_le_bytes());
        cursor = (cursor + w.data.len()).next_multiple_of(WEIGHT_ALIGN);
    }

    let mut out = Vec::with_capacity(cursor);
    out.extend_from_slice(&MODEL_MAGIC);
    for v in [MODEL_VERSION, nodes.len() as u32, weights.len() as u32, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [
        graph_offset,
        graph.bytes.len(),
        table_offset,
        table.bytes.len(),
        meta_offset,
        metadata.len(),
    ] {
        out.extend_from_slice(&(v as u64).to_le_bytes());
    }
    out.extend_from_slice(&roots.model);
    debug_assert_eq!(out.len(), HEADER_LEN);
    out.extend_from_slice(&graph.bytes);
    out.extend_from_slice(&table.bytes);
    out.extend_from_slice(metadata.as_bytes());
    for w in weights {
        out.resize(out.len().next_multiple_of(WEIGHT_ALIGN), 0);
        out.extend_from_slice(&w.data);
    }
    Ok(out)
}

/// The file's bytes: mapped or owned.
#[derive(Debug)]
enum Storage {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl Storage {
    fn bytes(&self) -> &[u8] {
        match self {
            Storage::Mapped(m) => m,
            Storage::Owned(v) => v,
        }
    }
}

/// A loaded, checked model.
#[derive(Debug)]
pub struct Model {
    storage: Storage,
    nodes: Vec<NodeDescriptor>,
    weight_infos: Vec<TensorInfo>,
    weight_ranges: Vec<std::ops::Range<usize>>,
    metadata: String,
    roots: ModelRoots,
}

impl Model {
    /// Maps and checks a model file.
    pub fn open(path: &Path) -> Result<Self, ModelError> {
        let io = |source| ModelError::Io {
            path: path.display().to_string(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // SAFETY: the mapping is read-only; a file truncated or changed underneath is the
        // caller's responsibility (as for every mmap-based loader). The contents are fully
        // validated and hashed below before use.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Self::parse(Storage::Mapped(map))
    }

    /// Checks a model held in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, ModelError> {
        Self::parse(Storage::Owned(bytes))
    }

    fn parse(storage: Storage) -> Result<Self, ModelError> {
        let bytes = storage.bytes();
        if bytes.len() < 8 || bytes[..8] != MODEL_MAGIC {
            return Err(ModelError::BadMagic);
        }
        let header = bytes
            .get(..HEADER_LEN)
            .ok_or(ModelError::Corrupt("header"))?;
        let mut r = Reader::new(&header[8..]);
        let corrupt = |what| move |_| ModelError::Corrupt(what);
        let version = r.u32().map_err(corrupt("header"))?;
        if version != MODEL_VERSION {
            return Err(ModelError::UnsupportedVersion(version));
        }
        let node_count = r.u32().map_err(corrupt("header"))? as usize;
        let weight_count = r.u32().map_err(corrupt("header"))? as usize;
        if r.u32().map_err(corrupt("header"))? != 0 {
            return Err(ModelError::Corrupt("reserved header field"));
        }
        let mut u64s = [0u64; 6];
        for v in &mut u64s {
            let (lo, hi) = (
                r.u32().map_err(corrupt("header"))?,
                r.u32().map_err(corrupt("header"))?,
            );
            *v = lo as u64 | (hi as u64) << 32;
        }
        let expected_root: Hash = header[72..104].try_into().expect("32 bytes");
        let section = |offset: u64, len: u64, what: &'static str| -> Result<&[u8], ModelError> {
            let end = offset.checked_add(len).ok_or(ModelError::Corrupt(what))?;
            if end > bytes.len() as u64 {
                return Err(ModelError::Corrupt(what));
            }
            Ok(&bytes[offset as usize..end as usize])
        };
        let graph_bytes = section(u64s[0], u64s[1], "graph section")?;
        let table_bytes = section(u64s[2], u64s[3], "weight table")?;
        let meta_bytes = section(u64s[4], u64s[5], "metadata")?;
        let metadata = std::str::from_utf8(meta_bytes)
            .map_err(|_| ModelError::BadMetadata)?
            .to_string();

        // Counts bound allocations: each node needs ≥ 4 bytes, each weight entry ≥ 20.
        if node_count > graph_bytes.len() / 4 || weight_count > table_bytes.len() / 20 {
            return Err(ModelError::Corrupt("node or weight count"));
        }
        let mut r = Reader::new(graph_bytes);
        let mut nodes = Vec::with_capacity(node_count);
        for node in 0..node_count {
            let len = r.u32().map_err(corrupt("graph section"))? as usize;
            let desc = r.take(len).map_err(corrupt("graph section"))?;
            nodes.push(
                NodeDescriptor::decode(desc)
                    .map_err(|error| ModelError::Descriptor { node, error })?,
            );
        }
        r.finish().map_err(corrupt("graph section"))?;

        let mut r = Reader::new(table_bytes);
        let (mut weight_infos, mut weight_ranges) = (Vec::new(), Vec::new());
        for weight in 0..weight_count {
            let mut u = [0u64; 2];
            for v in &mut u {
                let (lo, hi) = (
                    r.u32().map_err(corrupt("weight table"))?,
                    r.u32().map_err(corrupt("weight table"))?,
                );
                *v = lo as u64 | (hi as u64) << 32;
            }
            let len = r.u32().map_err(corrupt("weight table"))? as usize;
            let mut ir = Reader::new(r.take(len).map_err(corrupt("weight table"))?);
            let info = TensorInfo::decode(&mut ir)
                .and_then(|i| ir.finish().map(|_| i))
                .map_err(|error| ModelError::WeightInfo { weight, error })?;
            if u[1] != info.byte_len() as u64 {
                return Err(ModelError::WeightInfo {
                    weight,
                    error: DecodeError::Invalid("weight byte length"),
                });
            }
            section(u[0], u[1], "weight data")?;
            weight_ranges.push(u[0] as usize..(u[0] + u[1]) as usize);
            weight_infos.push(info);
        }
        r.finish().map_err(corrupt("weight table"))?;

        let infos: Vec<&TensorInfo> = weight_infos.iter().collect();
        validate_graph(&nodes, &infos)?;
        let data: Vec<&[u8]> = weight_ranges.iter().map(|r| &bytes[r.clone()]).collect();
        let roots = model_roots(&nodes, &data);
        if roots.model != expected_root {
            return Err(ModelError::RootMismatch {
                expected: expected_root,
                actual: roots.model,
            });
        }
        Ok(Self {
            storage,
            nodes,
            weight_infos,
            weight_ranges,
            metadata,
            roots,
        })
    }

    /// The nodes, in topological order (node 0 is the input).
    pub fn nodes(&self) -> &[NodeDescriptor] {
        &self.nodes
    }

    /// Description of the input (node 0's output).
    pub fn input_info(&self) -> &TensorInfo {
        &self.nodes[0].output
    }

    /// Description of the output (the last node's output).
    pub fn output_info(&self) -> &TensorInfo {
        &self.nodes[self.nodes.len() - 1].output
    }

    /// Number of weights.
    pub fn weight_count(&self) -> usize {
        self.weight_infos.len()
    }

    /// Weight `w`: description and bytes.
    pub fn weight(&self, w: usize) -> (&TensorInfo, &[u8]) {
        (
            &self.weight_infos[w],
            &self.storage.bytes()[self.weight_ranges[w].clone()],
        )
    }

    /// The metadata string (not committed).
    pub fn metadata(&self) -> &str {
        &self.metadata
    }

    /// The commitments.
    pub fn roots(&self) -> &ModelRoots {
        &self.roots
    }
}
