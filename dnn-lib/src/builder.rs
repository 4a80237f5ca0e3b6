//! Building graphs: node inputs are given by source, their descriptions filled in from the
//! sources, every node checked as it is added.

use std::prelude::rust_2021::*;

use crate::graph::{NodeDescriptor, Source};
use crate::model::{write_model, ModelError, Weight};
use crate::ops::{Op, OpError};
use crate::tensor::TensorInfo;

/// A graph under construction, with its weights.
#[derive(Debug, Clone)]
pub struct GraphBuilder {
    nodes: Vec<NodeDescriptor>,
    weights: Vec<Weight>,
}

impl GraphBuilder {
    /// A graph whose input (node 0) is described by `input`.
    pub fn new(input: TensorInfo) -> Self {
        let node = NodeDescriptor {
            op: Op::Input,
            sources: Vec::new(),
            inputs: Vec::new(),
            output: input,
        };
        Self {
            nodes: std::vec![node],
            weights: Vec::new(),
        }
    }

    /// The graph input.
    pub fn input(&self) -> Source {
        Source::Node(0)
    }

    /// Adds a weight tensor.
    pub fn weight(&mut self, info: TensorInfo, data: Vec<u8>) -> Source {
        assert_eq!(
            data.len(),
            info.byte_len(),
            "weight bytes differ from its description"
        );
        self.weights.push(Weight { info, data });
        Source::Weight(self.weights.len() as u32 - 1)
    }

    /// Description of `source`.
    pub fn info(&self, source: Source) -> &TensorInfo {
        match source {
            Source::Node(i) => &self.nodes[i as usize].output,
            Source::Weight(w) => &self.weights[w as usize].info,
        }
    }

    /// Adds a node computing `op` from `sources` into a tensor described by `output`.
    pub fn node(
        &mut self,
        op: Op,
        sources: &[Source],
        output: TensorInfo,
    ) -> Result<Source, OpError> {
        let inputs = sources.iter().map(|&s| self.info(s).clone()).collect();
        let node = NodeDescriptor {
            op,
            sources: sources.to_vec(),
            inputs,
            output,
        };
        node.check().map_err(|e| {
            OpError(std::format!(
                "node {} ({}): {e}",
                self.nodes.len(),
                node.op.name()
            ))
        })?;
        self.nodes.push(node);
        Ok(Source::Node(self.nodes.len() as u32 - 1))
    }

    /// Adds a node whose output has `op`'s shape for these inputs, with `dtype` and `quant` of
    /// `like` (for ops whose shape the caller does not want to compute).
    pub fn node_like(
        &mut self,
        op: Op,
        sources: &[Source],
        like: &TensorInfo,
    ) -> Result<Source, OpError> {
        let shape = {
            let infos: Vec<&TensorInfo> = sources.iter().map(|&s| self.info(s)).collect();
            crate::ops::output_shape(&op, &infos)?
        };
        self.node(
            op,
            sources,
            TensorInfo {
                shape,
                ..like.clone()
            },
        )
    }

    /// The nodes so far.
    pub fn nodes(&self) -> &[NodeDescriptor] {
        &self.nodes
    }

    /// The weights so far.
    pub fn weights(&self) -> &[Weight] {
        &self.weights
    }

    /// The model file bytes.
    pub fn to_model_bytes(&self, metadata: &str) -> Result<Vec<u8>, ModelError> {
        write_model(&self.nodes, &self.weights, metadata)
    }

    /// Consumes the builder.
    pub fn into_parts(self) -> (Vec<NodeDescriptor>, Vec<Weight>) {
        (self.nodes, self.weights)
    }
}

/// A short description of the graph: one line per node.
pub fn summary(nodes: &[NodeDescriptor]) -> String {
    let mut s = String::new();
    for (i, n) in nodes.iter().enumerate() {
        let sources: Vec<String> = n.sources.iter().map(|s| s.to_string()).collect();
        s += &std::format!(
            "{i:4} {:<12} {} <- [{}]\n",
            n.op.name(),
            n.output,
            sources.join(", ")
        );
    }
    s
}
