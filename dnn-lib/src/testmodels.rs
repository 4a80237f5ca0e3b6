//! Small models with random weights and plausible quantization, for tests and benchmarks: an MLP
//! (more architectures join as their ops land). Deterministic from a seed.

use std::prelude::rust_2021::*;

use crate::builder::GraphBuilder;
use crate::graph::Source;
use crate::ops::{MatMul, Op, OutputStage, Requantize};
use crate::quant::Requant;
use crate::tensor::{write_elem, DType, Quant, TensorInfo};
use crate::testcases::Gen;

/// An int8 activation description with scale `scale` and zero point `zp`.
pub fn act_i8(shape: &[u32], scale: f64, zp: i32) -> TensorInfo {
    TensorInfo::new(
        DType::I8,
        shape,
        Quant {
            scale: Requant::from_f64(scale),
            zero_point: zp,
        },
    )
}

/// Random int8 bytes in `lo..=hi`.
pub fn random_i8(g: &mut Gen, len: usize, lo: i32, hi: i32) -> Vec<u8> {
    (0..len)
        .map(|_| g.range(lo as i64, hi as i64) as i8 as u8)
        .collect()
}

/// A linear layer `y = x·Wᵀ + b` over the last axis of `x`, with per-channel int8 weights,
/// an i32 bias and per-channel requantization to int8; ReLU fused when `relu`.
pub fn linear(
    b: &mut GraphBuilder,
    g: &mut Gen,
    x: Source,
    out_features: u32,
    relu: bool,
) -> Source {
    let x_info = b.info(x).clone();
    let k = x_info.last_dim() as u32;
    let w_info = TensorInfo::new(DType::I8, &[out_features, k], Quant::default());
    let w = b.weight(w_info, random_i8(g, (out_features * k) as usize, -127, 127));
    let bias_info = TensorInfo::raw(DType::I32, &[out_features]);
    let mut bias = vec![0u8; out_features as usize * 4];
    for c in 0..out_features as usize {
        write_elem(DType::I32, &mut bias, c, g.range(-2000, 2000) as i32);
    }
    let bias = b.weight(bias_info, bias);
    // Random i8 inputs (σ ≈ 60) times random weights (σ ≈ 73): scale the sum back to σ ≈ 40.
    let mut table = Vec::new();
    for _ in 0..out_features {
        let m = 40.0 / (60.0 * 73.0 * (k as f64).sqrt()) * (0.75 + g.range(0, 50) as f64 / 100.0);
        let rq = Requant::from_f64(m);
        table.extend(rq.multiplier.to_le_bytes());
        table.extend(rq.shift.to_le_bytes());
    }
    let table = b.weight(TensorInfo::raw(DType::I32, &[out_features, 2]), table);
    let mut shape = x_info.shape.clone();
    *shape.last_mut().expect("rank ≥ 1") = out_features;
    let out = act_i8(&shape, 0.05, g.range(-10, 10) as i32);
    let mut stage = OutputStage::new(Requant::IDENTITY);
    if relu {
        stage = stage.relu(&out);
    }
    let op = Op::MatMul(MatMul {
        transpose_b: true,
        has_bias: true,
        per_channel: true,
        stage,
    });
    b.node(op, &[x, w, bias, table], out)
        .expect("linear layer is valid")
}

/// An MLP over an int8 `[1, dims[0]]` input: linear layers of widths `dims[1..]`, ReLU between
/// them, int8 logits out.
pub fn mlp(seed: u32, dims: &[u32]) -> GraphBuilder {
    assert!(dims.len() >= 2, "an MLP needs an input and an output width");
    let mut g = Gen::new(seed);
    let mut b = GraphBuilder::new(act_i8(&[1, dims[0]], 0.05, 0));
    let mut x = b.input();
    for (i, &width) in dims[1..].iter().enumerate() {
        let last = i == dims.len() - 2;
        x = linear(&mut b, &mut g, x, width, !last);
    }
    b
}

/// An MLP like [`mlp`] with the ReLU as its own node (a requantize clamping at the zero point):
/// exercises unfused activations.
pub fn mlp_unfused(seed: u32, dims: &[u32]) -> GraphBuilder {
    let mut g = Gen::new(seed);
    let mut b = GraphBuilder::new(act_i8(&[1, dims[0]], 0.05, 0));
    let mut x = b.input();
    for (i, &width) in dims[1..].iter().enumerate() {
        x = linear(&mut b, &mut g, x, width, false);
        if i < dims.len() - 2 {
            let info = b.info(x).clone();
            let stage = OutputStage::new(Requant::IDENTITY).relu(&info);
            x = b
                .node(Op::Requantize(Requantize { stage }), &[x], info)
                .expect("relu is valid");
        }
    }
    b
}

/// Random input bytes for a model whose input is described by `info`.
pub fn random_input(seed: u32, info: &TensorInfo) -> Vec<u8> {
    let mut g = Gen::new(seed);
    g.tensor_in(info, info.dtype.min().max(-100), info.dtype.max().min(100))
}
