//! Reductions: argmax over the last axis, mean over one axis (docs/spec.md §8.4).

use alloc::vec::Vec;
use core::ops::Range;

use super::stage::OutputStage;
use super::{ensure, input_count, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::tensor::{write_elem, DType, TensorInfo, TensorRef};

/// Index (i32) of the largest element along the last axis; the first one wins ties. The output
/// drops the last axis.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArgMax;

impl Kernel for ArgMax {
    const NAME: &'static str = "argmax";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 1..=1)?;
        let shape = &inputs[0].shape;
        ensure!(!shape.is_empty(), "argmax: input must have rank ≥ 1");
        Ok(shape[..shape.len() - 1].to_vec())
    }

    fn check_output(&self, _inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
        ensure!(output.dtype == DType::I32, "argmax: output must be i32");
        Ok(())
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let x = inputs[0];
        let n = x.info.last_dim();
        for (slot, row) in range.enumerate() {
            let (mut best, mut at) = (x.get(row * n), 0usize);
            for j in 1..n {
                let v = x.get(row * n + j);
                if v > best {
                    (best, at) = (v, j);
                }
            }
            write_elem(output.dtype, dst, slot, at as i32);
        }
    }

    fn encode(&self, _w: &mut Writer) {}

    fn decode(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self)
    }
}

/// `out = stage(Σ_axis (x − zx))`: the converter folds `1 / n` into the multiplier. The output
/// drops `axis` (mean pooling over tokens, global average pooling).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReduceMean {
    /// The reduced axis.
    pub axis: u32,
    /// Multiplier (scale ratio over the count) and clamp.
    pub stage: OutputStage,
}

impl Kernel for ReduceMean {
    const NAME: &'static str = "reduce_mean";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 1..=1)?;
        let shape = &inputs[0].shape;
        ensure!(
            (self.axis as usize) < shape.len(),
            "reduce_mean: axis {} out of range",
            self.axis
        );
        let mut out = shape.clone();
        out.remove(self.axis as usize);
        Ok(out)
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let x = inputs[0];
        let axis = self.axis as usize;
        let inner: usize = x.info.shape[axis + 1..]
            .iter()
            .map(|&d| d as usize)
            .product();
        let n = x.info.shape[axis] as usize;
        for (slot, idx) in range.enumerate() {
            let (outer, i) = (idx / inner, idx % inner);
            let base = outer * n * inner + i;
            let mut acc = 0i32;
            for j in 0..n {
                acc = acc.wrapping_add(x.centered(base + j * inner));
            }
            let v = self.stage.finish(
                acc,
                self.stage.requant,
                output.quant.zero_point,
                output.dtype,
            );
            write_elem(output.dtype, dst, slot, v);
        }
    }

    fn encode(&self, w: &mut Writer) {
        w.u32(self.axis);
        self.stage.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            axis: r.u32()?,
            stage: OutputStage::decode(r)?,
        })
    }
}
