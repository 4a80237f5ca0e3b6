//! Ops that only move elements: reshape, transpose, concat, slice (docs/spec.md §8.4). Each keeps
//! dtype and quantization.

use alloc::vec::Vec;
use core::ops::Range;

use super::{ensure, input_count, same_type, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::tensor::{strides, TensorInfo, TensorRef, MAX_RANK};

fn encode_dims(w: &mut Writer, dims: &[u32]) {
    w.u32(dims.len() as u32);
    for &d in dims {
        w.u32(d);
    }
}

fn decode_dims(r: &mut Reader<'_>) -> Result<Vec<u32>, DecodeError> {
    let n = r.u32()? as usize;
    if n > MAX_RANK {
        return Err(DecodeError::Invalid("rank"));
    }
    (0..n).map(|_| r.u32()).collect()
}

/// Copies element `src_idx` of `src` to element `slot` of `dst` (same dtype).
#[inline(always)]
fn copy_elem(src: &TensorRef<'_>, src_idx: usize, dst: &mut [u8], slot: usize) {
    let size = src.info.dtype.size();
    dst[slot * size..(slot + 1) * size]
        .copy_from_slice(&src.data[src_idx * size..(src_idx + 1) * size]);
}

/// Splits a flat index into coordinates by `strides`.
#[inline(always)]
fn coords(mut idx: usize, strides: &[usize], out: &mut [usize]) {
    for (c, &s) in out.iter_mut().zip(strides) {
        *c = idx / s;
        idx %= s;
    }
}

/// Same elements in the same order, another shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reshape {
    /// The output shape; same element count.
    pub shape: Vec<u32>,
}

impl Kernel for Reshape {
    const NAME: &'static str = "reshape";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 1..=1)?;
        let count: u64 = self.shape.iter().map(|&d| d as u64).product();
        ensure!(
            count == inputs[0].len() as u64,
            "reshape: {:?} has {count} elements, the input {}",
            self.shape,
            inputs[0].len()
        );
        Ok(self.shape.clone())
    }

    fn check_output(&self, inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
        same_type(Self::NAME, inputs[0], output)
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let size = output.dtype.size();
        dst.copy_from_slice(&inputs[0].data[range.start * size..range.end * size]);
    }

    fn encode(&self, w: &mut Writer) {
        encode_dims(w, &self.shape);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            shape: decode_dims(r)?,
        })
    }
}

/// `out[i_0, …] = in[i_perm⁻¹…]`: output axis `a` is input axis `perm[a]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transpose {
    /// A permutation of `0..rank`.
    pub perm: Vec<u32>,
}

impl Kernel for Transpose {
    const NAME: &'static str = "transpose";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 1..=1)?;
        let shape = &inputs[0].shape;
        ensure!(
            self.perm.len() == shape.len(),
            "transpose: permutation rank differs from input rank"
        );
        let mut seen = [false; MAX_RANK];
        for &p in &self.perm {
            ensure!(
                (p as usize) < shape.len() && !seen[p as usize],
                "transpose: {:?} is not a permutation",
                self.perm
            );
            seen[p as usize] = true;
        }
        Ok(self.perm.iter().map(|&p| shape[p as usize]).collect())
    }

    fn check_output(&self, inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
        same_type(Self::NAME, inputs[0], output)
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let x = inputs[0];
        let in_strides = strides(&x.info.shape);
        let out_strides = strides(&output.shape);
        let mut c = [0usize; MAX_RANK];
        for (slot, idx) in range.enumerate() {
            coords(idx, &out_strides, &mut c[..out_strides.len()]);
            let src: usize = self
                .perm
                .iter()
                .zip(&c)
                .map(|(&p, &ci)| ci * in_strides[p as usize])
                .sum();
            copy_elem(&x, src, dst, slot);
        }
    }

    fn encode(&self, w: &mut Writer) {
        encode_dims(w, &self.perm);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            perm: decode_dims(r)?,
        })
    }
}

/// Joins 1..=10 inputs of the same rank, dtype and quantization along `axis`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concat {
    /// The joined axis.
    pub axis: u32,
}

impl Kernel for Concat {
    const NAME: &'static str = "concat";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 1..=10)?;
        let first = inputs[0];
        let axis = self.axis as usize;
        ensure!(
            axis < first.shape.len(),
            "concat: axis {axis} out of range for {first}"
        );
        let mut shape = first.shape.clone();
        shape[axis] = 0;
        for t in inputs {
            ensure!(
                t.dtype == first.dtype && t.quant == first.quant,
                "concat: inputs differ in dtype or quantization"
            );
            ensure!(
                t.shape.len() == shape.len(),
                "concat: inputs differ in rank"
            );
            for (d, (&x, &y)) in t.shape.iter().zip(&first.shape).enumerate() {
                ensure!(
                    d == axis || x == y,
                    "concat: inputs differ outside axis {axis}"
                );
            }
            shape[axis] = shape[axis].saturating_add(t.shape[axis]);
        }
        Ok(shape)
    }

    fn check_output(&self, inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
        same_type(Self::NAME, inputs[0], output)
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let axis = self.axis as usize;
        // Elements of one "block" below the axis, and the block count above it.
        let inner: usize = output.shape[axis + 1..]
            .iter()
            .map(|&d| d as usize)
            .product();
        let out_row = output.shape[axis] as usize * inner;
        for (slot, idx) in range.enumerate() {
            let (outer, mut within) = (idx / out_row, idx % out_row);
            for t in inputs {
                let row = t.info.shape[axis] as usize * inner;
                if within < row {
                    copy_elem(t, outer * row + within, dst, slot);
                    break;
                }
                within -= row;
            }
        }
    }

    fn encode(&self, w: &mut Writer) {
        w.u32(self.axis);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self { axis: r.u32()? })
    }
}

/// The box `starts[a] .. ends[a]` on every axis (step 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    /// First index per axis.
    pub starts: Vec<u32>,
    /// One past the last index per axis.
    pub ends: Vec<u32>,
}

impl Kernel for Slice {
    const NAME: &'static str = "slice";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 1..=1)?;
        let shape = &inputs[0].shape;
        ensure!(
            self.starts.len() == shape.len() && self.ends.len() == shape.len(),
            "slice: bounds rank differs from input rank"
        );
        shape
            .iter()
            .zip(self.starts.iter().zip(&self.ends))
            .map(|(&d, (&s, &e))| {
                ensure!(
                    s < e && e <= d,
                    "slice: {s}..{e} is empty or outside 0..{d}"
                );
                Ok(e - s)
            })
            .collect()
    }

    fn check_output(&self, inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
        same_type(Self::NAME, inputs[0], output)
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let x = inputs[0];
        let in_strides = strides(&x.info.shape);
        let out_strides = strides(&output.shape);
        let mut c = [0usize; MAX_RANK];
        for (slot, idx) in range.enumerate() {
            coords(idx, &out_strides, &mut c[..out_strides.len()]);
            let src: usize = (0..out_strides.len())
                .map(|a| (c[a] + self.starts[a] as usize) * in_strides[a])
                .sum();
            copy_elem(&x, src, dst, slot);
        }
    }

    fn encode(&self, w: &mut Writer) {
        encode_dims(w, &self.starts);
        encode_dims(w, &self.ends);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            starts: decode_dims(r)?,
            ends: decode_dims(r)?,
        })
    }
}
