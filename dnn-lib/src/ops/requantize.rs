//! Rescale, change dtype and clamp: `out = stage(x − zx)`. A ReLU is a requantize with the
//! identity multiplier and the lower clamp at the zero point (docs/spec.md §8.4, `requantize`).

use alloc::vec::Vec;
use core::ops::Range;

use super::stage::OutputStage;
use super::{input_count, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::tensor::{write_elem, TensorInfo, TensorRef};

/// `out = clamp(requant(x − zx) + zo, lo, hi)`, elementwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requantize {
    /// Multiplier and clamp.
    pub stage: OutputStage,
}

impl Kernel for Requantize {
    const NAME: &'static str = "requantize";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 1..=1)?;
        Ok(inputs[0].shape.clone())
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let x = inputs[0];
        for (slot, idx) in range.enumerate() {
            let v = self.stage.finish(
                x.centered(idx),
                self.stage.requant,
                output.quant.zero_point,
                output.dtype,
            );
            write_elem(output.dtype, dst, slot, v);
        }
    }

    fn encode(&self, w: &mut Writer) {
        self.stage.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            stage: OutputStage::decode(r)?,
        })
    }
}
