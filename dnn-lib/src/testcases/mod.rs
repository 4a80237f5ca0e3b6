//! Random and edge-case op instances for the shared op test suite: every backend (reference,
//! fast CPU, wgpu, the guest in the VM) must produce exactly the reference bytes for each
//! [`Case`]. Deterministic from a seed.

use std::string::String;
use std::vec::Vec;

use crate::graph::{NodeDescriptor, Source};
use crate::ops::{Op, OutputStage};
use crate::quant::Requant;
use crate::tensor::{write_elem, DType, Quant, TensorInfo};
use crate::testgen::XorShift32;

mod basic;
mod conv;
mod nonlinear;

/// One op instance: a checked descriptor and its input bytes.
#[derive(Debug, Clone)]
pub struct Case {
    /// What the case exercises.
    pub name: String,
    /// The node (sources are placeholders: inputs are given directly).
    pub node: NodeDescriptor,
    /// Input bytes, one per descriptor input.
    pub inputs: Vec<Vec<u8>>,
}

impl Case {
    /// A case from an op, its inputs (descriptions and bytes) and the output description. Panics
    /// if the op rejects them: generators must produce valid cases.
    pub fn new(
        name: impl Into<String>,
        op: Op,
        inputs: Vec<(TensorInfo, Vec<u8>)>,
        output: TensorInfo,
    ) -> Self {
        let name = name.into();
        let sources = (0..inputs.len() as u32).map(Source::Weight).collect();
        let (infos, bytes): (Vec<_>, Vec<_>) = inputs.into_iter().unzip();
        let node = NodeDescriptor {
            op,
            sources,
            inputs: infos,
            output,
        };
        if let Err(e) = node.check() {
            panic!("test case {name} is invalid: {e}");
        }
        Self {
            name,
            node,
            inputs: bytes,
        }
    }

    /// Input byte slices.
    pub fn input_slices(&self) -> Vec<&[u8]> {
        self.inputs.iter().map(|v| v.as_slice()).collect()
    }

    /// The reference output, computed whole.
    pub fn reference(&self) -> Vec<u8> {
        let mut out = std::vec![0u8; self.node.output.byte_len()];
        self.node
            .compute_bytes(&self.input_slices(), 0..out.len(), &mut out)
            .expect("cases are valid");
        out
    }
}

/// All cases of every op, from `seed`.
pub fn all_cases(seed: u32) -> Vec<Case> {
    let mut rng = Gen::new(seed);
    let mut cases = Vec::new();
    basic::cases(&mut rng, &mut cases);
    conv::cases(&mut rng, &mut cases);
    nonlinear::cases(&mut rng, &mut cases);
    cases
}

/// A random generator with helpers for tensors and quantization.
#[derive(Debug, Clone)]
pub struct Gen(XorShift32);

impl Gen {
    /// Seeded generator.
    pub fn new(seed: u32) -> Self {
        Self(XorShift32::new(seed))
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo + 1) as u64;
        let r = ((self.0.next_u32() as u64) << 32) | self.0.next_u32() as u64;
        lo + (r % span) as i64
    }

    /// Uniform in `lo..=hi` as usize.
    pub fn size(&mut self, lo: usize, hi: usize) -> usize {
        self.range(lo as i64, hi as i64) as usize
    }

    /// True with probability 1/2.
    pub fn coin(&mut self) -> bool {
        self.0.next_u32() & 1 == 1
    }

    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.size(0, items.len() - 1)]
    }

    /// A value of `dtype`: uniform, or (one time in four) an extreme of the range.
    pub fn value(&mut self, dtype: DType) -> i32 {
        if self.range(0, 3) == 0 {
            self.pick(&[dtype.min(), dtype.max(), 0, -1, 1])
        } else {
            self.range(dtype.min() as i64, dtype.max() as i64) as i32
        }
    }

    /// Random bytes of a tensor of `info`.
    pub fn tensor(&mut self, info: &TensorInfo) -> Vec<u8> {
        let mut out = std::vec![0u8; info.byte_len()];
        for i in 0..info.len() {
            let v = self.value(info.dtype);
            write_elem(info.dtype, &mut out, i, v);
        }
        out
    }

    /// A tensor whose values lie in `lo..=hi`.
    pub fn tensor_in(&mut self, info: &TensorInfo, lo: i32, hi: i32) -> Vec<u8> {
        let mut out = std::vec![0u8; info.byte_len()];
        for i in 0..info.len() {
            let v = self.range(lo as i64, hi as i64) as i32;
            write_elem(info.dtype, &mut out, i, v);
        }
        out
    }

    /// A multiplier: usually a normal one, sometimes an extreme (0, ±max, smallest/largest shift).
    pub fn requant(&mut self) -> Requant {
        match self.range(0, 7) {
            0 => Requant {
                multiplier: self.pick(&[0, 1, i32::MAX, i32::MIN, -(1 << 30)]),
                shift: self.pick(&[-31, -1, 0, 1, 8]),
            },
            1 => Requant {
                multiplier: self.range(1 << 30, i32::MAX as i64) as i32,
                shift: self.range(-31, 8) as i32,
            },
            _ => Requant {
                multiplier: self.range(1 << 30, i32::MAX as i64) as i32,
                shift: self.range(-14, 0) as i32,
            },
        }
    }

    /// Quantization for a tensor of `dtype`: a random scale and zero point (i32: zero point 0).
    pub fn quant(&mut self, dtype: DType) -> Quant {
        let zero_point = match dtype {
            DType::I8 => self.range(-128, 127) as i32,
            DType::I16 => self.pick(&[0, 0, 0, -3, 100]),
            DType::I32 => 0,
        };
        Quant {
            scale: Requant {
                multiplier: self.range(1 << 30, i32::MAX as i64) as i32,
                shift: self.range(-10, 0) as i32,
            },
            zero_point,
        }
    }

    /// An output stage: random multiplier, clamp sometimes a fused ReLU, sometimes narrowed.
    pub fn stage(&mut self, output: &TensorInfo) -> OutputStage {
        let stage = OutputStage::new(self.requant());
        match self.range(0, 3) {
            0 => stage.relu(output),
            1 => OutputStage {
                lo: self.range(-200, 0) as i32,
                hi: self.range(0, 200) as i32,
                ..stage
            },
            _ => stage,
        }
    }

    /// A shape of `rank` with dims in `1..=max`.
    pub fn shape(&mut self, rank: usize, max: usize) -> Vec<u32> {
        (0..rank).map(|_| self.size(1, max) as u32).collect()
    }

    /// A shape of rank `lo..=hi` with dims in `1..=max`.
    pub fn shape_ranked(&mut self, lo: usize, hi: usize, max: usize) -> Vec<u32> {
        let rank = self.size(lo, hi);
        self.shape(rank, max)
    }

    /// A description with an activation dtype and random quantization.
    pub fn act_info(&mut self, shape: &[u32]) -> TensorInfo {
        let dtype = self.act_dtype();
        self.info(dtype, shape)
    }

    /// A description with one of `dtypes` and random quantization.
    pub fn info_of(&mut self, dtypes: &[DType], shape: &[u32]) -> TensorInfo {
        let dtype = self.pick(dtypes);
        self.info(dtype, shape)
    }

    /// An activation dtype (i8 or i16).
    pub fn act_dtype(&mut self) -> DType {
        self.pick(&[DType::I8, DType::I8, DType::I16])
    }

    /// A tensor description of `dtype` and `shape` with random quantization.
    pub fn info(&mut self, dtype: DType, shape: &[u32]) -> TensorInfo {
        let quant = self.quant(dtype);
        TensorInfo::new(dtype, shape, quant)
    }
}
