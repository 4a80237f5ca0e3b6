//! Small models with random weights and plausible quantization, for tests and benchmarks: an
//! MLP, a CNN classifier, a BERT-style encoder and a LLaMA-style decoder. Deterministic from a
//! seed on one machine; lookup tables are computed with f64 maths, so roots may differ across
//! platforms whose `exp`/`tanh` differ in the last bit (model files, not these builders, are what
//! is committed).

use std::prelude::rust_2021::*;

use crate::builder::GraphBuilder;
use crate::graph::Source;
use crate::ops::{
    Binary, BinaryKind, Conv2d, Embedding, Lut, MatMul, Norm, NormKind, Op, OutputStage, Pool2d,
    PoolKind, ReduceMean, Requantize, Reshape, Rope, Slice, Softmax, Transpose,
};
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

/// Shape of a transformer test model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransformerShape {
    /// Vocabulary size.
    pub vocab: u32,
    /// Context length (fixed).
    pub tokens: u32,
    /// Hidden width.
    pub hidden: u32,
    /// Attention heads.
    pub heads: u32,
    /// Key/value heads (grouped-query attention; equal to `heads` for an encoder).
    pub kv_heads: u32,
    /// Feed-forward width.
    pub ffn: u32,
    /// Layers.
    pub layers: u32,
}

impl TransformerShape {
    /// A tiny encoder for tests.
    pub const TINY_ENCODER: Self = Self {
        vocab: 50,
        tokens: 8,
        hidden: 32,
        heads: 4,
        kv_heads: 4,
        ffn: 64,
        layers: 2,
    };
    /// A tiny decoder for tests (grouped-query attention: 4 query heads share 2 key heads).
    pub const TINY_DECODER: Self = Self {
        vocab: 64,
        tokens: 8,
        hidden: 32,
        heads: 4,
        kv_heads: 2,
        ffn: 48,
        layers: 2,
    };
    /// all-MiniLM-L6-v2's shape at 128 tokens.
    pub const MINILM_L6: Self = Self {
        vocab: 30522,
        tokens: 128,
        hidden: 384,
        heads: 12,
        kv_heads: 12,
        ffn: 1536,
        layers: 6,
    };

    fn head_dim(&self) -> u32 {
        self.hidden / self.heads
    }
}

/// Common activation scale of the transformer test models.
const ACT_SCALE: f64 = 0.05;

fn act(shape: &[u32]) -> TensorInfo {
    act_i8(shape, ACT_SCALE, 0)
}

/// A 256-entry int8 table of `f` from an int8 input of scale `s_in` (zero point 0) to an int8
/// output of scale `s_out` (zero point 0).
fn table_i8(b: &mut GraphBuilder, s_in: f64, s_out: f64, f: impl Fn(f64) -> f64) -> Source {
    let data: Vec<u8> = (0..256)
        .map(|i| {
            ((f(s_in * (i as f64 - 128.0)) / s_out)
                .round()
                .clamp(-128.0, 127.0)) as i8 as u8
        })
        .collect();
    b.weight(TensorInfo::raw(DType::I8, &[256]), data)
}

/// Applies a unary function through a lookup table.
fn unary(b: &mut GraphBuilder, x: Source, f: impl Fn(f64) -> f64) -> Source {
    let table = table_i8(b, ACT_SCALE, ACT_SCALE, f);
    let out = b.info(x).clone();
    b.node(Op::Lut(Lut), &[x, table], out)
        .expect("lut is valid")
}

/// Requantization that maps `acc` (scale `s_acc`) to scale `s_out`.
fn stage_for(s_acc: f64, s_out: f64) -> OutputStage {
    OutputStage::new(Requant::from_f64(s_acc / s_out))
}

/// `a + b`, all at the common activation scale.
fn add(b: &mut GraphBuilder, x: Source, y: Source) -> Source {
    let out = b.info(x).clone();
    let op = Binary {
        kind: BinaryKind::Add,
        left_shift: 20,
        a_requant: Requant::from_f64(0.5),
        b_requant: Requant::from_f64(0.5),
        stage: stage_for(2.0 / (1u64 << 20) as f64 * ACT_SCALE, ACT_SCALE),
    };
    b.node_like(Op::Binary(op), &[x, y], &out)
        .expect("add is valid")
}

/// Layer norm (with beta) or RMS norm over the last axis, gamma ≈ 1 in Q10.
fn norm(b: &mut GraphBuilder, g: &mut Gen, x: Source, kind: NormKind) -> Source {
    let info = b.info(x).clone();
    let n = info.last_dim();
    let mut gamma = vec![0u8; 2 * n];
    for c in 0..n {
        write_elem(DType::I16, &mut gamma, c, 1024 + g.range(-200, 200) as i32);
    }
    let gamma = b.weight(TensorInfo::raw(DType::I16, &[n as u32]), gamma);
    let mut sources = vec![x, gamma];
    if kind == NormKind::Layer {
        let mut beta = vec![0u8; 4 * n];
        for c in 0..n {
            write_elem(DType::I32, &mut beta, c, g.range(-100_000, 100_000) as i32);
        }
        sources.push(b.weight(TensorInfo::raw(DType::I32, &[n as u32]), beta));
    }
    // acc = q (Q12) · gamma (Q10): real = acc / 2^22.
    let stage = stage_for(1.0 / (1u64 << 22) as f64, ACT_SCALE);
    b.node(
        Op::Norm(Norm {
            kind,
            eps: 1,
            stage,
        }),
        &sources,
        act(&info.shape),
    )
    .expect("norm is valid")
}

/// `[T, H·Dh]` → `[H, T, Dh]`.
fn split_heads(b: &mut GraphBuilder, x: Source, heads: u32) -> Source {
    let info = b.info(x).clone();
    let (t, width) = (info.shape[0], info.shape[1]);
    let r = b
        .node_like(
            Op::Reshape(Reshape {
                shape: vec![t, heads, width / heads],
            }),
            &[x],
            &info,
        )
        .expect("reshape");
    b.node_like(
        Op::Transpose(Transpose {
            perm: vec![1, 0, 2],
        }),
        &[r],
        &info,
    )
    .expect("transpose")
}

/// `[H, T, Dh]` → `[T, H·Dh]`.
fn merge_heads(b: &mut GraphBuilder, x: Source) -> Source {
    let info = b.info(x).clone();
    let (h, t, d) = (info.shape[0], info.shape[1], info.shape[2]);
    let tr = b
        .node_like(
            Op::Transpose(Transpose {
                perm: vec![1, 0, 2],
            }),
            &[x],
            &info,
        )
        .expect("transpose");
    b.node_like(
        Op::Reshape(Reshape {
            shape: vec![t, h * d],
        }),
        &[tr],
        &info,
    )
    .expect("reshape")
}

/// Scaled dot-product attention over `[H, T, Dh]` queries and `[Hkv, T, Dh]` keys and values.
fn attention(b: &mut GraphBuilder, q: Source, k: Source, v: Source, causal: bool) -> Source {
    let qi = b.info(q).clone();
    let (h, t, d) = (qi.shape[0], qi.shape[1], qi.shape[2]);
    let s_scores = 0.1;
    let scores_stage = stage_for(ACT_SCALE * ACT_SCALE / (d as f64).sqrt(), s_scores);
    let scores = b
        .node(
            Op::MatMul(MatMul {
                transpose_b: true,
                has_bias: false,
                per_channel: false,
                stage: scores_stage,
            }),
            &[q, k],
            act_i8(&[h, t, t], s_scores, 0),
        )
        .expect("scores");
    // exp(−k·s) in Q15 until it rounds to zero.
    let exp: Vec<u8> = (0..)
        .map(|k| ((-(k as f64) * s_scores).exp() * 32768.0).round() as i32)
        .take_while(|&e| e > 0)
        .flat_map(|e| e.to_le_bytes())
        .collect();
    let len = exp.len() as u32 / 4;
    let exp = b.weight(TensorInfo::raw(DType::I32, &[len]), exp);
    let probs_info = act_i8(&[h, t, t], 1.0 / 255.0, -128);
    let probs = b
        .node(
            Op::Softmax(Softmax {
                causal,
                out_range: 255,
            }),
            &[scores, exp],
            probs_info,
        )
        .expect("softmax");
    let ctx_stage = stage_for(ACT_SCALE / 255.0, ACT_SCALE);
    b.node(
        Op::MatMul(MatMul {
            transpose_b: false,
            has_bias: false,
            per_channel: false,
            stage: ctx_stage,
        }),
        &[probs, v],
        act(&[h, t, d]),
    )
    .expect("context")
}

/// A BERT-style encoder over token ids `[T]`: token and position embeddings, layer norm, and
/// per layer multi-head attention and a GELU feed-forward, each with a residual and a layer
/// norm; mean pooling over tokens gives the `[hidden]` embedding.
pub fn encoder(seed: u32, shape: TransformerShape) -> GraphBuilder {
    let mut g = Gen::new(seed);
    let TransformerShape {
        vocab,
        tokens,
        hidden,
        heads,
        ffn,
        layers,
        ..
    } = shape;
    let mut b = GraphBuilder::new(TensorInfo::raw(DType::I32, &[tokens]));
    let table = b.weight(
        act(&[vocab, hidden]),
        random_i8(&mut g, (vocab * hidden) as usize, -60, 60),
    );
    let emb = b
        .node(
            Op::Embedding(Embedding),
            &[b.input(), table],
            act(&[tokens, hidden]),
        )
        .expect("embedding");
    let pos = b.weight(
        act(&[tokens, hidden]),
        random_i8(&mut g, (tokens * hidden) as usize, -30, 30),
    );
    let mut x = add(&mut b, emb, pos);
    x = norm(&mut b, &mut g, x, NormKind::Layer);
    for _ in 0..layers {
        let q = linear(&mut b, &mut g, x, hidden, false);
        let k = linear(&mut b, &mut g, x, hidden, false);
        let v = linear(&mut b, &mut g, x, hidden, false);
        let (q, k, v) = (
            split_heads(&mut b, q, heads),
            split_heads(&mut b, k, heads),
            split_heads(&mut b, v, heads),
        );
        let ctx = attention(&mut b, q, k, v, false);
        let ctx = merge_heads(&mut b, ctx);
        let o = linear(&mut b, &mut g, ctx, hidden, false);
        x = add(&mut b, x, o);
        x = norm(&mut b, &mut g, x, NormKind::Layer);
        let h = linear(&mut b, &mut g, x, ffn, false);
        let h = unary(&mut b, h, |v| {
            0.5 * v * (1.0 + (0.797_884_560_8 * (v + 0.044_715 * v * v * v)).tanh())
        });
        let h = linear(&mut b, &mut g, h, hidden, false);
        x = add(&mut b, x, h);
        x = norm(&mut b, &mut g, x, NormKind::Layer);
    }
    let stage = stage_for(ACT_SCALE / tokens as f64, ACT_SCALE);
    b.node(
        Op::ReduceMean(ReduceMean { axis: 0, stage }),
        &[x],
        act(&[hidden]),
    )
    .expect("mean pooling");
    b
}

/// A LLaMA-style decoder over token ids `[T]`: per layer RMS norm, attention with rotary
/// position embeddings, grouped-query heads and a causal mask, and a SwiGLU feed-forward, with
/// residuals; a final RMS norm and the tied embedding as output head give the next-token logits
/// `[1, vocab]` of the last position.
pub fn decoder(seed: u32, shape: TransformerShape) -> GraphBuilder {
    let mut g = Gen::new(seed);
    let TransformerShape {
        vocab,
        tokens,
        hidden,
        heads,
        kv_heads,
        ffn,
        layers,
    } = shape;
    let dh = shape.head_dim();
    let mut b = GraphBuilder::new(TensorInfo::raw(DType::I32, &[tokens]));
    let table = b.weight(
        act(&[vocab, hidden]),
        random_i8(&mut g, (vocab * hidden) as usize, -60, 60),
    );
    let mut x = b
        .node(
            Op::Embedding(Embedding),
            &[b.input(), table],
            act(&[tokens, hidden]),
        )
        .expect("embedding");
    // Rotary table: (cos, sin)(t · 10000^(−2j/Dh)) in Q14.
    let mut rope = Vec::new();
    for t in 0..tokens {
        for j in 0..dh / 2 {
            let angle = t as f64 * 10000f64.powf(-2.0 * j as f64 / dh as f64);
            for v in [angle.cos(), angle.sin()] {
                rope.extend(((v * 16384.0).round() as i16).to_le_bytes());
            }
        }
    }
    let rope = b.weight(TensorInfo::raw(DType::I16, &[tokens, dh / 2, 2]), rope);
    for _ in 0..layers {
        let h = norm(&mut b, &mut g, x, NormKind::Rms);
        let q = linear(&mut b, &mut g, h, heads * dh, false);
        let k = linear(&mut b, &mut g, h, kv_heads * dh, false);
        let v = linear(&mut b, &mut g, h, kv_heads * dh, false);
        let (q, k, v) = (
            split_heads(&mut b, q, heads),
            split_heads(&mut b, k, kv_heads),
            split_heads(&mut b, v, kv_heads),
        );
        let qi = b.info(q).clone();
        let q = b.node(Op::Rope(Rope), &[q, rope], qi).expect("rope q");
        let ki = b.info(k).clone();
        let k = b.node(Op::Rope(Rope), &[k, rope], ki).expect("rope k");
        let ctx = attention(&mut b, q, k, v, true);
        let ctx = merge_heads(&mut b, ctx);
        let o = linear(&mut b, &mut g, ctx, hidden, false);
        x = add(&mut b, x, o);
        let h = norm(&mut b, &mut g, x, NormKind::Rms);
        let gate = linear(&mut b, &mut g, h, ffn, false);
        let gate = unary(&mut b, gate, |v| v / (1.0 + (-v).exp()));
        let up = linear(&mut b, &mut g, h, ffn, false);
        let mul = Binary {
            kind: BinaryKind::Mul,
            left_shift: 0,
            a_requant: Requant::default(),
            b_requant: Requant::default(),
            stage: stage_for(ACT_SCALE * ACT_SCALE, ACT_SCALE),
        };
        let m = b
            .node(Op::Binary(mul), &[gate, up], act(&[tokens, ffn]))
            .expect("swiglu");
        let down = linear(&mut b, &mut g, m, hidden, false);
        x = add(&mut b, x, down);
    }
    let x = norm(&mut b, &mut g, x, NormKind::Rms);
    let last = b
        .node(
            Op::Slice(Slice {
                starts: vec![tokens - 1, 0],
                ends: vec![tokens, hidden],
            }),
            &[x],
            act(&[1, hidden]),
        )
        .expect("last token");
    let head = MatMul {
        transpose_b: true,
        has_bias: false,
        per_channel: false,
        stage: stage_for(ACT_SCALE * ACT_SCALE, 0.1),
    };
    b.node(
        Op::MatMul(head),
        &[last, table],
        act_i8(&[1, vocab], 0.1, 0),
    )
    .expect("tied head");
    b
}

/// A CNN classifier over an int8 `[1, 1, 12, 12]` image: conv 3×3 (4 channels, padding 1,
/// ReLU), max pool 2×2, depthwise conv 3×3, conv 1×1 (8 channels, ReLU), global average pool,
/// flatten, linear to 10 classes.
pub fn cnn(seed: u32) -> GraphBuilder {
    let mut g = Gen::new(seed);
    let mut b = GraphBuilder::new(act_i8(&[1, 1, 12, 12], ACT_SCALE, 0));
    let conv = |b: &mut GraphBuilder,
                g: &mut Gen,
                x: Source,
                out_c: u32,
                k: u32,
                pad: u32,
                groups: u32,
                relu: bool| {
        let xi = b.info(x).clone();
        let in_c = xi.shape[1];
        let w = b.weight(
            TensorInfo::raw(DType::I8, &[out_c, in_c / groups, k, k]),
            random_i8(g, (out_c * in_c / groups * k * k) as usize, -127, 127),
        );
        let fan_in = (in_c / groups * k * k) as f64;
        let out = act(&[1, out_c, 1, 1]);
        let mut stage = OutputStage::new(Requant::from_f64(40.0 / (60.0 * 73.0 * fan_in.sqrt())));
        if relu {
            stage = stage.relu(&out);
        }
        let op = Conv2d {
            pad_top: pad,
            pad_left: pad,
            pad_bottom: pad,
            pad_right: pad,
            groups,
            stage,
            ..Conv2d::default()
        };
        b.node_like(Op::Conv2d(op), &[x, w], &out).expect("conv")
    };
    let input = b.input();
    let x = conv(&mut b, &mut g, input, 4, 3, 1, 1, true);
    let xi = b.info(x).clone();
    let x = b
        .node_like(Op::Pool2d(Pool2d::new(PoolKind::Max, 2, 2)), &[x], &xi)
        .expect("max pool");
    let x = conv(&mut b, &mut g, x, 4, 3, 1, 4, false);
    let x = conv(&mut b, &mut g, x, 8, 1, 0, 1, true);
    let xi = b.info(x).clone();
    let (h, w) = (xi.shape[2], xi.shape[3]);
    let pool = Pool2d {
        kernel_h: h,
        kernel_w: w,
        ..Pool2d::new(PoolKind::Avg, 1, 1)
    };
    let x = b
        .node_like(Op::Pool2d(pool), &[x], &xi)
        .expect("global average pool");
    let x = b
        .node_like(Op::Reshape(Reshape { shape: vec![1, 8] }), &[x], &xi)
        .expect("flatten");
    linear(&mut b, &mut g, x, 10, false);
    b
}

/// Random token ids `0..vocab` for a model whose input is `[tokens]` ids.
pub fn random_tokens(seed: u32, tokens: u32, vocab: u32) -> Vec<u8> {
    let mut g = Gen::new(seed);
    (0..tokens)
        .flat_map(|_| (g.range(0, vocab as i64 - 1) as i32).to_le_bytes())
        .collect()
}
