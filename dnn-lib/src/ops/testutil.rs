//! Helpers for the ops' unit tests: build tensors from values, run an op whole and in pieces.

use std::vec::Vec;

use super::{compute_all, Op};
use crate::quant::Requant;
use crate::tensor::{read_elem, write_elem, DType, Quant, TensorInfo, TensorRef};

/// A tensor description and its bytes.
pub(crate) type Tensor = (TensorInfo, Vec<u8>);

/// A tensor of `dtype` and `shape` with zero point `zp` (no scale) holding `values`.
pub(crate) fn tensor(dtype: DType, shape: &[u32], zp: i32, values: &[i32]) -> Tensor {
    let info = TensorInfo::new(
        dtype,
        shape,
        Quant {
            scale: Requant::default(),
            zero_point: zp,
        },
    );
    assert_eq!(info.len(), values.len(), "value count");
    let mut bytes = std::vec![0u8; info.byte_len()];
    for (i, &v) in values.iter().enumerate() {
        assert!(v >= dtype.min() && v <= dtype.max(), "{v} is not a {dtype}");
        write_elem(dtype, &mut bytes, i, v);
    }
    (info, bytes)
}

/// Output description of `dtype` and `shape` with zero point `zp`.
pub(crate) fn out_info(dtype: DType, shape: &[u32], zp: i32) -> TensorInfo {
    TensorInfo::new(
        dtype,
        shape,
        Quant {
            scale: Requant::default(),
            zero_point: zp,
        },
    )
}

/// Checks `op`, computes the whole output, checks that every single element and every split into
/// two ranges agree with it, and returns the output values.
pub(crate) fn run(op: &Op, inputs: &[Tensor], output: &TensorInfo) -> Vec<i32> {
    let infos: Vec<&TensorInfo> = inputs.iter().map(|t| &t.0).collect();
    op.check(&infos, output).expect("op checks");
    let refs: Vec<TensorRef<'_>> = inputs
        .iter()
        .map(|(info, data)| TensorRef { info, data })
        .collect();
    let whole = compute_all(op, &refs, output);
    let size = output.dtype.size();
    let len = output.len();
    // Single elements (bounded, to keep large quality tests fast).
    for i in (0..len).step_by(len.div_ceil(64)) {
        let mut one = std::vec![0u8; size];
        op.compute(&refs, output, i..i + 1, &mut one);
        assert_eq!(one, whole[i * size..(i + 1) * size], "element {i}");
    }
    // A split in the middle.
    let cut = len / 2;
    let mut pieces = std::vec![0u8; whole.len()];
    op.compute(&refs, output, 0..cut, &mut pieces[..cut * size]);
    op.compute(&refs, output, cut..len, &mut pieces[cut * size..]);
    assert_eq!(pieces, whole, "split at {cut}");
    (0..len)
        .map(|i| read_elem(output.dtype, &whole, i))
        .collect()
}

/// The description that `op` rejects, as a string (panics if it accepts).
pub(crate) fn rejects(op: &Op, inputs: &[&TensorInfo], output: &TensorInfo) -> std::string::String {
    match op.check(inputs, output) {
        Ok(()) => panic!("{op:?} accepted {inputs:?} -> {output:?}"),
        Err(e) => e.0,
    }
}

/// Zero-point-free i32 tensor (tables, biases).
pub(crate) fn i32s(shape: &[u32], values: &[i32]) -> Tensor {
    tensor(DType::I32, shape, 0, values)
}
