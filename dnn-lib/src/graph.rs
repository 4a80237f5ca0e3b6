//! Node descriptors and jobs: the canonical bytes that the model root commits to and that the
//! guest reads from VM slot 4 (docs/spec.md §8.3, §8.5).

use alloc::vec::Vec;
use core::fmt;

use crate::codec::{DecodeError, Reader, Writer};
use crate::ops::{Op, OpError};
use crate::tensor::{TensorInfo, TensorRef};

/// Descriptor format version.
pub const DESCRIPTOR_VERSION: u32 = 1;
/// Most inputs of one node: one VM slot each (slots 5..=14).
pub const MAX_INPUTS: usize = 10;
/// Bit 31 of a source marks a weight index.
pub const WEIGHT_SOURCE_BIT: u32 = 1 << 31;
/// Job magic, "OJOB" in little-endian byte order.
pub const JOB_MAGIC: u32 = u32::from_le_bytes(*b"OJOB");
/// Job format version.
pub const JOB_VERSION: u32 = 1;
/// Size of the job header before the descriptor.
pub const JOB_HEADER_LEN: usize = 20;

/// Where a node input comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The output of an earlier node (node 0 is the graph input).
    Node(u32),
    /// A weight tensor of the model's weight table.
    Weight(u32),
}

impl Source {
    /// The encoded u32: a node index, or a weight index with bit 31 set.
    pub fn to_u32(self) -> u32 {
        match self {
            Source::Node(i) => i,
            Source::Weight(i) => WEIGHT_SOURCE_BIT | i,
        }
    }

    /// Decodes [`to_u32`](Self::to_u32).
    pub fn from_u32(v: u32) -> Self {
        if v & WEIGHT_SOURCE_BIT != 0 {
            Source::Weight(v & !WEIGHT_SOURCE_BIT)
        } else {
            Source::Node(v)
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Node(i) => write!(f, "node {i}"),
            Source::Weight(i) => write!(f, "weight {i}"),
        }
    }
}

/// One node: its op, where its inputs come from and what they are, and its output. Everything
/// the guest needs to compute any range of the output from the input bytes alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDescriptor {
    /// The op and its parameters.
    pub op: Op,
    /// Input sources, in the op's input order.
    pub sources: Vec<Source>,
    /// Input descriptions, one per source (must equal the sources' own descriptions).
    pub inputs: Vec<TensorInfo>,
    /// The output's description.
    pub output: TensorInfo,
}

impl NodeDescriptor {
    /// The canonical bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u32(DESCRIPTOR_VERSION);
        w.u32(self.op.code());
        w.u32(self.sources.len() as u32);
        for s in &self.sources {
            w.u32(s.to_u32());
        }
        for t in &self.inputs {
            t.encode(&mut w);
        }
        self.output.encode(&mut w);
        let mut params = Writer::new();
        self.op.encode_params(&mut params);
        w.u32(params.bytes.len() as u32);
        w.raw(&params.bytes);
        w.bytes
    }

    /// Decodes canonical bytes (all of `bytes`). Does not check the op's shape rules: see
    /// [`check`](Self::check).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        if r.u32()? != DESCRIPTOR_VERSION {
            return Err(DecodeError::BadHeader);
        }
        let code = r.u32()?;
        let n = r.u32()? as usize;
        if n > MAX_INPUTS {
            return Err(DecodeError::Invalid("input count"));
        }
        let sources = (0..n)
            .map(|_| r.u32().map(Source::from_u32))
            .collect::<Result<Vec<_>, _>>()?;
        let inputs = (0..n)
            .map(|_| TensorInfo::decode(&mut r))
            .collect::<Result<Vec<_>, _>>()?;
        let output = TensorInfo::decode(&mut r)?;
        let len = r.u32()? as usize;
        let op = Op::decode_params(code, r.take(len)?)?;
        r.finish()?;
        Ok(Self {
            op,
            sources,
            inputs,
            output,
        })
    }

    /// Checks the op's rules on these inputs and this output.
    pub fn check(&self) -> Result<(), OpError> {
        let inputs: Vec<&TensorInfo> = self.inputs.iter().collect();
        self.op.check(&inputs, &self.output)
    }

    /// Computes output bytes `bytes` from the inputs' bytes into `dst` (`bytes.len()` long).
    /// Fails if the descriptor does not check, an input has the wrong length, or the range is
    /// empty or outside the output.
    pub fn compute_bytes(
        &self,
        inputs: &[&[u8]],
        bytes: core::ops::Range<usize>,
        dst: &mut [u8],
    ) -> Result<(), OpError> {
        self.check()?;
        crate::ops::ensure!(
            inputs.len() == self.inputs.len(),
            "expected {} inputs",
            self.inputs.len()
        );
        for (i, (data, info)) in inputs.iter().zip(&self.inputs).enumerate() {
            crate::ops::ensure!(
                data.len() == info.byte_len(),
                "input {i} has {} bytes, expected {}",
                data.len(),
                info.byte_len()
            );
        }
        crate::ops::ensure!(
            bytes.start < bytes.end && bytes.end <= self.output.byte_len(),
            "output range {bytes:?} outside 0..{}",
            self.output.byte_len()
        );
        crate::ops::ensure!(
            dst.len() == bytes.len(),
            "destination length differs from range"
        );
        let refs: Vec<TensorRef<'_>> = inputs
            .iter()
            .zip(&self.inputs)
            .map(|(data, info)| TensorRef { info, data })
            .collect();
        crate::ops::compute_bytes(&self.op, &refs, &self.output, bytes, dst);
        Ok(())
    }
}

/// A job for the guest: compute output bytes `start..end` of the node described by
/// `descriptor` (docs/spec.md §8.5). Lives at the start of VM slot 4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job<'a> {
    /// First output byte.
    pub start: u32,
    /// One past the last output byte.
    pub end: u32,
    /// The node descriptor's canonical bytes.
    pub descriptor: &'a [u8],
}

impl<'a> Job<'a> {
    /// The job's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u32(JOB_MAGIC);
        w.u32(JOB_VERSION);
        w.u32(self.start);
        w.u32(self.end);
        w.u32(self.descriptor.len() as u32);
        w.raw(self.descriptor);
        w.bytes
    }

    /// Reads a job from the start of `bytes` (trailing bytes are ignored: the slot is larger).
    pub fn decode(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        if r.u32()? != JOB_MAGIC || r.u32()? != JOB_VERSION {
            return Err(DecodeError::BadHeader);
        }
        let (start, end) = (r.u32()?, r.u32()?);
        let len = r.u32()? as usize;
        Ok(Self {
            start,
            end,
            descriptor: r.take(len)?,
        })
    }
}
