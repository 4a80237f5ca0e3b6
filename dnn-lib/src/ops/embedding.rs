//! Embedding lookup (docs/spec.md §8.4, `embedding`).

use alloc::vec::Vec;
use core::ops::Range;

use super::{ensure, input_count, same_type, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::tensor::{read_elem, write_elem, DType, TensorInfo, TensorRef};

/// `out[..., d] = table[ids[...], d]`: inputs `ids` (i32, any shape) and `table [V, D]`; the
/// output is `ids.shape + [D]` with the table's dtype and quantization. An id outside `0..V`
/// gives a row of the zero point (real zero).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Embedding;

impl Kernel for Embedding {
    const NAME: &'static str = "embedding";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 2..=2)?;
        let (ids, table) = (inputs[0], inputs[1]);
        ensure!(
            ids.dtype == DType::I32,
            "embedding: ids must be i32, got {}",
            ids.dtype
        );
        ensure!(
            table.shape.len() == 2,
            "embedding: table must be [V, D], got {table}"
        );
        ensure!(
            ids.shape.len() < crate::tensor::MAX_RANK,
            "embedding: ids rank too large"
        );
        let mut shape = ids.shape.clone();
        shape.push(table.shape[1]);
        Ok(shape)
    }

    fn check_output(&self, inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
        same_type(Self::NAME, inputs[1], output)
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let (ids, table) = (inputs[0], inputs[1]);
        let (vocab, dim) = (table.info.shape[0] as usize, table.info.shape[1] as usize);
        for (slot, idx) in range.enumerate() {
            let id = read_elem(DType::I32, ids.data, idx / dim);
            let v = if id >= 0 && (id as u32 as usize) < vocab {
                table.get(id as u32 as usize * dim + idx % dim)
            } else {
                output.quant.zero_point
            };
            write_elem(output.dtype, dst, slot, v);
        }
    }

    fn encode(&self, _w: &mut Writer) {}

    fn decode(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self)
    }
}
