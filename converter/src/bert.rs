//! BERT-family encoders (Hugging Face `BertModel` weights + `config.json`) into opml sentence
//! embedding models: a float reference, calibration, quantization, the integer graph and the
//! accuracy report.
//!
//! # The model
//!
//! - **Input**: token ids `[T]` (i32), `T` fixed at conversion. Callers pad (with the config's
//!   `pad_token_id`, 0 by default) or truncate to `T`. A position whose id is `pad_token_id` is
//!   padding: no query attends to it and mean pooling skips it (as Hugging Face does with
//!   `attention_mask = ids != pad`). Token type 0 everywhere: `token_type_embeddings[0]` is
//!   folded into the position table.
//! - **Output**: the **L2-normalised** mean of the last hidden states over the non-padding
//!   tokens, `[hidden]` (i16, scale 1/32767): sentence-transformers' mean pooling followed by
//!   `Normalize`. Normalising makes the integer graph independent of the number of real tokens
//!   (it pools `Σ_real x / T` and normalises that, the same direction), and the cosine similarity
//!   of two embeddings is then their dot product.
//!
//! # The integer graph (per layer, all through opml-dnn ops)
//!
//! `embedding` (word, i16 per-tensor) + position table (i16) → `norm` (layer) → per layer:
//! three per-channel int8 `matmul`s (Q, K, V) → `reshape`/`transpose` to heads → `matmul` Q·Kᵀ
//! (the 1/√d_head folded into its multiplier) → `binary` add of the padding mask (an `embedding`
//! of the ids into a `[V, 1]` table: 0, or the type minimum for `pad_token_id`) → `softmax` →
//! `matmul` with V → merge heads → output `matmul` → `binary` add (residual) → `norm` → up
//! `matmul` → `lut` GELU (an i16 input reads a 257-entry interpolated table) → down `matmul` →
//! `binary` add → `norm`. Then `binary` mul by the non-padding indicator (an `embedding` into a
//! `[V, 1]` 0/1 table), `reduce_mean` over tokens and an RMS `norm` with unit gamma scaled by
//! `1/√hidden`, which is the L2 normalisation.
//!
//! # Quantization
//!
//! - **Weights**: per-output-channel symmetric int8 (as the classifier path); biases i32 at
//!   `s_in · s_w[c]`. Embedding tables: i16 per-tensor symmetric (an `embedding` output keeps its
//!   table's quantization). Layer-norm gamma: i16 per-tensor symmetric; beta i32 at `s_γ / 2^12`.
//! - **Activations**: min/max over the calibration sequences (non-padding tokens only; attention
//!   scores only between non-padding tokens), int16 symmetric by default (`--activations i8`
//!   makes every calibrated activation int8 asymmetric). Fixed exceptions, each to keep an i32
//!   accumulator exact: with i16 queries the keys are int8 (`Σ_d q̄·k̄` with both i16 could
//!   overflow); a matmul input whose worst case `32768 · Σ|w_q|` (plus bias) exceeds i32 is made
//!   int8 (data-driven, per layer). Softmax outputs are i16 (`zo = 0`, out_range 32767) with i16
//!   scores, else i8 (`zo = −128`, out_range 255).
//!
//! # Known limits
//!
//! - The `norm` op clamps the normalised value at ±8 (Q12 in i16): a layer-norm input with an
//!   element more than 8 standard deviations from its row mean, or a pooled embedding with a
//!   component above `8/√hidden` of its length, is clipped. [`Stats::max_norm_z`] reports the
//!   largest seen in calibration.
//! - A query row whose real scores all sit at the very bottom of the calibrated range cannot
//!   tell padding keys from real ones (both at the type minimum).

use std::path::{Path, PathBuf};
use std::time::Instant;

use opml_dnn::builder::GraphBuilder;
use opml_dnn::graph::Source;
use opml_dnn::model::Model;
use opml_dnn::ops::{
    Binary, BinaryKind, Embedding, Lut, MatMul, Norm, NormKind, Op, OutputStage, ReduceMean,
    Reshape, Softmax, Transpose,
};
use opml_dnn::quant::Requant;
use opml_dnn::tensor::{read_elem, DType, TensorInfo};
use serde::Serialize;

use crate::classifier::{
    channel_tables, graph_err, i32_bytes, quantize_weights, run_int, Progress, QParams, Timings,
};
use crate::error::BuildError;
use crate::tensor::TensorMap;

/// The GELU variant of `hidden_act`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Gelu {
    /// `gelu`: `x · Φ(x)` with the exact error function.
    Erf,
    /// `gelu_new` / `gelu_pytorch_tanh`: the tanh approximation.
    Tanh,
}

impl Gelu {
    /// The function.
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Gelu::Erf => 0.5 * x * (1.0 + erf(x / std::f64::consts::SQRT_2)),
            Gelu::Tanh => {
                0.5 * x * (1.0 + (0.797_884_560_802_865_4 * (x + 0.044_715 * x * x * x)).tanh())
            }
        }
    }
}

/// The error function, to about 1e-14: the Maclaurin series below 2.5, the continued fraction
/// of erfc above.
pub fn erf(x: f64) -> f64 {
    let a = x.abs();
    let r = if a < 2.5 {
        let (mut term, mut sum, x2) = (a, a, a * a);
        for n in 1..200 {
            let n = n as f64;
            term *= -x2 / n;
            let t = term / (2.0 * n + 1.0);
            sum += t;
            if t.abs() <= 1e-17 * sum.abs() {
                break;
            }
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    } else if a > 6.0 {
        1.0
    } else {
        // erfc(a) = exp(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))).
        let mut f = a;
        for k in (1..80).rev() {
            f = a + (k as f64 / 2.0) / f;
        }
        1.0 - (-a * a).exp() / std::f64::consts::PI.sqrt() / f
    };
    r.copysign(x)
}

/// The `config.json` keys a BERT conversion reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BertConfig {
    /// `hidden_size`.
    pub hidden: usize,
    /// `num_attention_heads`.
    pub heads: usize,
    /// `num_hidden_layers`.
    pub layers: usize,
    /// `intermediate_size`.
    pub intermediate: usize,
    /// `vocab_size`.
    pub vocab: usize,
    /// `max_position_embeddings`.
    pub max_positions: usize,
    /// `layer_norm_eps` (1e-12 if absent).
    pub eps: f64,
    /// `hidden_act`.
    pub act: Gelu,
    /// `pad_token_id` (0 if absent).
    pub pad_token_id: i32,
}

impl BertConfig {
    /// Reads the keys from a parsed `config.json`; `what` names it in errors.
    pub fn from_json(v: &serde_json::Value, what: &str) -> Result<Self, BuildError> {
        let err = |msg: String| BuildError::BertConfig {
            what: what.to_string(),
            msg,
        };
        let int = |key: &str| -> Result<usize, BuildError> {
            match v.get(key) {
                None => Err(err(format!("missing key '{key}'"))),
                Some(x) => x
                    .as_u64()
                    .filter(|&n| n >= 1 && n <= u32::MAX as u64)
                    .map(|n| n as usize)
                    .ok_or_else(|| err(format!("'{key}' must be a positive integer, got {x}"))),
            }
        };
        if let Some(t) = v.get("model_type").and_then(|t| t.as_str()) {
            if t != "bert" {
                return Err(err(format!(
                    "model_type '{t}' is not supported (only 'bert')"
                )));
            }
        }
        let hidden = int("hidden_size")?;
        let heads = int("num_attention_heads")?;
        if hidden % heads != 0 {
            return Err(err(format!(
                "hidden_size {hidden} is not a multiple of num_attention_heads {heads}"
            )));
        }
        let act = match v.get("hidden_act").and_then(|a| a.as_str()) {
            None | Some("gelu") => Gelu::Erf,
            Some("gelu_new" | "gelu_pytorch_tanh") => Gelu::Tanh,
            Some(a) => {
                return Err(err(format!(
                    "hidden_act '{a}' is not supported (gelu, gelu_new, gelu_pytorch_tanh)"
                )))
            }
        };
        let eps = match v.get("layer_norm_eps") {
            None => 1e-12,
            Some(e) => e
                .as_f64()
                .filter(|e| e.is_finite() && *e >= 0.0)
                .ok_or_else(|| err(format!("'layer_norm_eps' must be a number ≥ 0, got {e}")))?,
        };
        let pad_token_id = match v.get("pad_token_id") {
            None | Some(serde_json::Value::Null) => 0,
            Some(p) => p
                .as_i64()
                .filter(|&p| (0..=i32::MAX as i64).contains(&p))
                .ok_or_else(|| err(format!("'pad_token_id' must be an integer ≥ 0, got {p}")))?
                as i32,
        };
        Ok(Self {
            hidden,
            heads,
            layers: int("num_hidden_layers")?,
            intermediate: int("intermediate_size")?,
            vocab: int("vocab_size")?,
            max_positions: int("max_position_embeddings")?,
            eps,
            act,
            pad_token_id,
        })
    }

    /// Reads and parses a `config.json` file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, BuildError> {
        let path = path.as_ref();
        let what = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| BuildError::BertConfig {
            what: what.clone(),
            msg: e.to_string(),
        })?;
        let v: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| BuildError::BertConfig {
                what: what.clone(),
                msg: e.to_string(),
            })?;
        Self::from_json(&v, &what)
    }

    /// Width of one attention head.
    pub fn head_dim(&self) -> usize {
        self.hidden / self.heads
    }
}

/// Resolves a model path: a directory holding `model.safetensors` (or any weights file
/// [`crate::read_file`] detects, given directly), and the `config.json` beside it unless
/// `config` names one. Returns the weights path and the config path.
pub fn resolve_paths(model: &Path, config: Option<&Path>) -> (PathBuf, PathBuf) {
    let weights = if model.is_dir() {
        model.join("model.safetensors")
    } else {
        model.to_path_buf()
    };
    let config = config.map(Path::to_path_buf).unwrap_or_else(|| {
        weights
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("config.json")
    });
    (weights, config)
}

/// A linear layer `y = x·Wᵀ + b`, `W` `[n, k]`.
#[derive(Debug, Clone)]
struct Linear {
    name: String,
    w: Vec<f32>,
    b: Vec<f32>,
    n: usize,
    k: usize,
}

impl Linear {
    fn forward(&self, x: &[f64], rows: usize) -> Vec<f64> {
        let (n, k) = (self.n, self.k);
        let mut y = vec![0f64; rows * n];
        for r in 0..rows {
            let xr = &x[r * k..(r + 1) * k];
            for c in 0..n {
                let wr = &self.w[c * k..(c + 1) * k];
                let mut acc = 0f64;
                for (a, &w) in xr.iter().zip(wr) {
                    acc += a * w as f64;
                }
                y[r * n + c] = acc + self.b[c] as f64;
            }
        }
        y
    }
}

/// Layer norm over the last axis.
#[derive(Debug, Clone)]
struct LayerNorm {
    name: String,
    g: Vec<f32>,
    b: Vec<f32>,
}

impl LayerNorm {
    /// Normalises rows of `x` in place; returns the largest `|x − mean| / σ` over `real` rows.
    fn forward(&self, x: &mut [f64], eps: f64, real: &[bool]) -> f64 {
        let n = self.g.len();
        let mut max_z = 0f64;
        for (row, &r) in x.chunks_exact_mut(n).zip(real) {
            let mean = row.iter().sum::<f64>() / n as f64;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
            let inv = 1.0 / (var + eps).sqrt();
            for (i, v) in row.iter_mut().enumerate() {
                let z = (*v - mean) * inv;
                if r {
                    max_z = max_z.max(z.abs());
                }
                *v = z * self.g[i] as f64 + self.b[i] as f64;
            }
        }
        max_z
    }
}

#[derive(Debug, Clone)]
struct Layer {
    q: Linear,
    k: Linear,
    v: Linear,
    o: Linear,
    ln1: LayerNorm,
    up: Linear,
    down: Linear,
    ln2: LayerNorm,
}

/// The float BERT encoder at a fixed context length, in f64 (weights as read, f32).
#[derive(Debug, Clone)]
pub struct FloatBert {
    /// The configuration.
    pub config: BertConfig,
    /// Context length `T`.
    pub tokens: usize,
    word: Vec<f32>,
    /// Position embeddings of `0..T` plus `token_type_embeddings[0]`, `[T, hidden]`.
    pos: Vec<f32>,
    emb_ln: LayerNorm,
    layers: Vec<Layer>,
}

/// Range of one activation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Range {
    /// Smallest value seen.
    pub lo: f64,
    /// Largest value seen.
    pub hi: f64,
}

impl Range {
    const EMPTY: Self = Self {
        lo: f64::INFINITY,
        hi: f64::NEG_INFINITY,
    };

    fn add(&mut self, v: f64) {
        self.lo = self.lo.min(v);
        self.hi = self.hi.max(v);
    }

    fn add_rows(&mut self, x: &[f64], width: usize, real: &[bool]) {
        for (row, &r) in x.chunks_exact(width).zip(real) {
            if r {
                row.iter().for_each(|&v| self.add(v));
            }
        }
    }

    fn or_zero(self) -> (f64, f64) {
        if self.lo > self.hi {
            (0.0, 0.0)
        } else {
            (self.lo, self.hi)
        }
    }
}

/// Calibrated ranges of one layer's activations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LayerStats {
    /// Query projection.
    pub q: Range,
    /// Key projection.
    pub k: Range,
    /// Value projection.
    pub v: Range,
    /// Attention scores (scaled by 1/√d_head).
    pub scores: Range,
    /// Attention context (probabilities · V).
    pub ctx: Range,
    /// Attention output projection.
    pub attn_out: Range,
    /// First residual sum.
    pub res1: Range,
    /// First layer norm.
    pub ln1: Range,
    /// Feed-forward up projection (GELU input).
    pub ffn_in: Range,
    /// GELU output.
    pub gelu: Range,
    /// Feed-forward down projection.
    pub ffn_out: Range,
    /// Second residual sum.
    pub res2: Range,
    /// Second layer norm (the layer's output).
    pub ln2: Range,
}

impl LayerStats {
    const EMPTY: Self = Self {
        q: Range::EMPTY,
        k: Range::EMPTY,
        v: Range::EMPTY,
        scores: Range::EMPTY,
        ctx: Range::EMPTY,
        attn_out: Range::EMPTY,
        res1: Range::EMPTY,
        ln1: Range::EMPTY,
        ffn_in: Range::EMPTY,
        gelu: Range::EMPTY,
        ffn_out: Range::EMPTY,
        res2: Range::EMPTY,
        ln2: Range::EMPTY,
    };
}

/// Calibration statistics over token sequences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Word + position embedding sum.
    pub emb: Range,
    /// Embedding layer norm.
    pub emb_ln: Range,
    /// Per layer.
    pub layers: Vec<LayerStats>,
    /// `Σ_real x / T` of the last layer.
    pub pooled: Range,
    /// The largest `|x − mean| / σ` of any layer-norm row of a real token, and the largest
    /// `|u_i| · √hidden` of a normalised embedding: the integer norm clips above 8.
    pub max_norm_z: f64,
}

impl Stats {
    fn new(layers: usize) -> Self {
        Self {
            emb: Range::EMPTY,
            emb_ln: Range::EMPTY,
            layers: vec![LayerStats::EMPTY; layers],
            pooled: Range::EMPTY,
            max_norm_z: 0.0,
        }
    }
}

fn shape_str(s: &[usize]) -> String {
    format!("{s:?}")
}

impl FloatBert {
    /// Resolves the weights of `config` in `weights` (names with or without a `bert.` prefix)
    /// for context length `tokens`, checking every shape.
    pub fn new(
        config: &BertConfig,
        weights: &TensorMap,
        tokens: usize,
    ) -> Result<Self, BuildError> {
        let c = config;
        if tokens == 0 || tokens > c.max_positions {
            return Err(BuildError::BertConfig {
                what: "tokens".into(),
                msg: format!(
                    "context length {tokens} must be in 1..={} (max_position_embeddings)",
                    c.max_positions
                ),
            });
        }
        let prefix = if weights
            .tensors
            .contains_key("embeddings.word_embeddings.weight")
        {
            ""
        } else if weights
            .tensors
            .contains_key("bert.embeddings.word_embeddings.weight")
        {
            "bert."
        } else {
            ""
        };
        let get = |name: &str, shape: &[usize]| -> Result<Vec<f32>, BuildError> {
            let full = format!("{prefix}{name}");
            let t = weights.tensors.get(&full).ok_or_else(|| {
                BuildError::BertWeights(format!(
                    "tensor '{full}' (expected shape {}) is missing",
                    shape_str(shape)
                ))
            })?;
            if t.shape != shape {
                return Err(BuildError::BertWeights(format!(
                    "tensor '{full}' has shape {}, expected {} from config.json",
                    shape_str(&t.shape),
                    shape_str(shape)
                )));
            }
            if let Some(i) = t.data.iter().position(|v| !v.is_finite()) {
                return Err(BuildError::BertWeights(format!(
                    "tensor '{full}' holds a non-finite value at element {i}"
                )));
            }
            Ok(t.data.clone())
        };
        let linear = |name: &str, n: usize, k: usize| -> Result<Linear, BuildError> {
            Ok(Linear {
                name: format!("{prefix}{name}"),
                w: get(&format!("{name}.weight"), &[n, k])?,
                b: get(&format!("{name}.bias"), &[n])?,
                n,
                k,
            })
        };
        let norm = |name: &str| -> Result<LayerNorm, BuildError> {
            Ok(LayerNorm {
                name: format!("{prefix}{name}"),
                g: get(&format!("{name}.weight"), &[c.hidden])?,
                b: get(&format!("{name}.bias"), &[c.hidden])?,
            })
        };
        let d = c.hidden;
        let word = get("embeddings.word_embeddings.weight", &[c.vocab, d])?;
        let positions = get(
            "embeddings.position_embeddings.weight",
            &[c.max_positions, d],
        )?;
        let type_name = format!("{prefix}embeddings.token_type_embeddings.weight");
        let types = weights.tensors.get(&type_name).ok_or_else(|| {
            BuildError::BertWeights(format!("tensor '{type_name}' ([types, {d}]) is missing"))
        })?;
        if types.shape.len() != 2 || types.shape[1] != d || types.shape[0] == 0 {
            return Err(BuildError::BertWeights(format!(
                "tensor '{type_name}' has shape {}, expected [types, {d}]",
                shape_str(&types.shape)
            )));
        }
        let pos = (0..tokens * d)
            .map(|i| positions[i] + types.data[i % d])
            .collect();
        let mut layers = Vec::with_capacity(c.layers);
        for l in 0..c.layers {
            let p = format!("encoder.layer.{l}.");
            layers.push(Layer {
                q: linear(&format!("{p}attention.self.query"), d, d)?,
                k: linear(&format!("{p}attention.self.key"), d, d)?,
                v: linear(&format!("{p}attention.self.value"), d, d)?,
                o: linear(&format!("{p}attention.output.dense"), d, d)?,
                ln1: norm(&format!("{p}attention.output.LayerNorm"))?,
                up: linear(&format!("{p}intermediate.dense"), c.intermediate, d)?,
                down: linear(&format!("{p}output.dense"), d, c.intermediate)?,
                ln2: norm(&format!("{p}output.LayerNorm"))?,
            });
        }
        Ok(Self {
            config: c.clone(),
            tokens,
            word,
            pos,
            emb_ln: norm("embeddings.LayerNorm")?,
            layers,
        })
    }

    /// Which positions are real tokens (not `pad_token_id`).
    pub fn real_mask(&self, ids: &[i32]) -> Vec<bool> {
        ids.iter().map(|&i| i != self.config.pad_token_id).collect()
    }

    /// The mean of the last hidden states over the real tokens (Hugging Face / sentence-
    /// transformers mean pooling, before normalisation); zeros if there are none.
    pub fn forward_mean(&self, ids: &[i32]) -> Vec<f64> {
        let pooled = self.forward_traced(ids, None);
        let n = self.real_mask(ids).iter().filter(|&&r| r).count();
        let scale = self.tokens as f64 / n.max(1) as f64;
        pooled.iter().map(|v| v * scale).collect()
    }

    /// The model's output: the L2-normalised mean-pooled embedding.
    pub fn forward(&self, ids: &[i32]) -> Vec<f64> {
        normalize(&self.forward_traced(ids, None))
    }

    /// `Σ_real x / T` of the last layer, recording activation ranges into `stats`.
    pub fn forward_traced(&self, ids: &[i32], mut stats: Option<&mut Stats>) -> Vec<f64> {
        let c = &self.config;
        let (t, d, h, dh) = (self.tokens, c.hidden, c.heads, c.head_dim());
        assert_eq!(ids.len(), t, "token count");
        let real = self.real_mask(ids);
        let any_real = real.iter().any(|&r| r);
        let mut x = vec![0f64; t * d];
        for (p, &id) in ids.iter().enumerate() {
            for j in 0..d {
                let w = if (0..c.vocab as i64).contains(&(id as i64)) {
                    self.word[id as usize * d + j] as f64
                } else {
                    0.0
                };
                x[p * d + j] = w + self.pos[p * d + j] as f64;
            }
        }
        let mut max_z = 0f64;
        if let Some(s) = stats.as_deref_mut() {
            s.emb.add_rows(&x, d, &real);
        }
        max_z = max_z.max(self.emb_ln.forward(&mut x, c.eps, &real));
        if let Some(s) = stats.as_deref_mut() {
            s.emb_ln.add_rows(&x, d, &real);
        }
        let scale = 1.0 / (dh as f64).sqrt();
        for (l, layer) in self.layers.iter().enumerate() {
            let mut st = LayerStats::EMPTY;
            let q = layer.q.forward(&x, t);
            let k = layer.k.forward(&x, t);
            let v = layer.v.forward(&x, t);
            st.q.add_rows(&q, d, &real);
            st.k.add_rows(&k, d, &real);
            st.v.add_rows(&v, d, &real);
            let mut ctx = vec![0f64; t * d];
            let mut p = vec![0f64; t];
            for head in 0..h {
                let off = head * dh;
                for i in 0..t {
                    let qi = &q[i * d + off..i * d + off + dh];
                    let mut mx = f64::NEG_INFINITY;
                    for j in 0..t {
                        let kj = &k[j * d + off..j * d + off + dh];
                        let s: f64 = qi.iter().zip(kj).map(|(a, b)| a * b).sum::<f64>() * scale;
                        if real[i] && real[j] {
                            st.scores.add(s);
                        }
                        p[j] = s;
                        if real[j] || !any_real {
                            mx = mx.max(s);
                        }
                    }
                    let mut sum = 0f64;
                    for j in 0..t {
                        p[j] = if real[j] || !any_real {
                            (p[j] - mx).exp()
                        } else {
                            0.0
                        };
                        sum += p[j];
                    }
                    for e in 0..dh {
                        let mut acc = 0f64;
                        for j in 0..t {
                            acc += p[j] * v[j * d + off + e];
                        }
                        ctx[i * d + off + e] = acc / sum;
                    }
                }
            }
            st.ctx.add_rows(&ctx, d, &real);
            let o = layer.o.forward(&ctx, t);
            st.attn_out.add_rows(&o, d, &real);
            for (a, b) in x.iter_mut().zip(&o) {
                *a += b;
            }
            st.res1.add_rows(&x, d, &real);
            max_z = max_z.max(layer.ln1.forward(&mut x, c.eps, &real));
            st.ln1.add_rows(&x, d, &real);
            let mut u = layer.up.forward(&x, t);
            st.ffn_in.add_rows(&u, c.intermediate, &real);
            for a in &mut u {
                *a = c.act.apply(*a);
            }
            st.gelu.add_rows(&u, c.intermediate, &real);
            let f = layer.down.forward(&u, t);
            st.ffn_out.add_rows(&f, d, &real);
            for (a, b) in x.iter_mut().zip(&f) {
                *a += b;
            }
            st.res2.add_rows(&x, d, &real);
            max_z = max_z.max(layer.ln2.forward(&mut x, c.eps, &real));
            st.ln2.add_rows(&x, d, &real);
            if let Some(s) = stats.as_deref_mut() {
                merge_layer(&mut s.layers[l], &st);
            }
        }
        let mut pooled = vec![0f64; d];
        for (p, row) in x.chunks_exact(d).enumerate() {
            if real[p] {
                for (a, b) in pooled.iter_mut().zip(row) {
                    *a += b / t as f64;
                }
            }
        }
        if let Some(s) = stats {
            pooled.iter().for_each(|&v| s.pooled.add(v));
            let u = normalize(&pooled);
            let top = u.iter().fold(0f64, |m, v| m.max(v.abs())) * (d as f64).sqrt();
            s.max_norm_z = s.max_norm_z.max(max_z).max(top);
        }
        pooled
    }
}

fn merge_layer(into: &mut LayerStats, from: &LayerStats) {
    let m = |a: &mut Range, b: &Range| {
        a.lo = a.lo.min(b.lo);
        a.hi = a.hi.max(b.hi);
    };
    m(&mut into.q, &from.q);
    m(&mut into.k, &from.k);
    m(&mut into.v, &from.v);
    m(&mut into.scores, &from.scores);
    m(&mut into.ctx, &from.ctx);
    m(&mut into.attn_out, &from.attn_out);
    m(&mut into.res1, &from.res1);
    m(&mut into.ln1, &from.ln1);
    m(&mut into.ffn_in, &from.ffn_in);
    m(&mut into.gelu, &from.gelu);
    m(&mut into.ffn_out, &from.ffn_out);
    m(&mut into.res2, &from.res2);
    m(&mut into.ln2, &from.ln2);
}

/// `v / ‖v‖` (zeros stay zeros).
pub fn normalize(v: &[f64]) -> Vec<f64> {
    let n = v.iter().map(|a| a * a).sum::<f64>().sqrt();
    if n == 0.0 {
        return v.to_vec();
    }
    v.iter().map(|a| a / n).collect()
}

/// Cosine similarity (1 if both are zero, 0 if one is).
pub fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (&x, &y) in a.iter().zip(b) {
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    match (na == 0.0, nb == 0.0) {
        (true, true) => 1.0,
        (false, false) => dot / (na.sqrt() * nb.sqrt()),
        _ => 0.0,
    }
}

/// Token id sequences: a JSON array of arrays of ids, or an object with one under `tokens`
/// or `input_ids`. Shorter sequences are padded with `pad` to `tokens`; longer ones, ids
/// outside `0..vocab`, and an empty set are errors naming the sequence.
pub fn read_tokens(
    path: impl AsRef<Path>,
    tokens: usize,
    vocab: usize,
    pad: i32,
) -> Result<Vec<Vec<i32>>, BuildError> {
    let path = path.as_ref();
    let what = path.display().to_string();
    let err = |msg: String| BuildError::Samples {
        what: what.clone(),
        msg,
    };
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| err(e.to_string()))?;
    parse_tokens(&v, tokens, vocab, pad).map_err(err)
}

/// [`read_tokens`] on parsed JSON; errors are bare messages.
pub fn parse_tokens(
    v: &serde_json::Value,
    tokens: usize,
    vocab: usize,
    pad: i32,
) -> Result<Vec<Vec<i32>>, String> {
    let list = v
        .get("tokens")
        .or_else(|| v.get("input_ids"))
        .unwrap_or(v)
        .as_array()
        .ok_or("expected an array of token id arrays (or {\"tokens\": [...]})")?;
    if list.is_empty() {
        return Err("no sequences".into());
    }
    let mut out = Vec::with_capacity(list.len());
    for (s, seq) in list.iter().enumerate() {
        let seq = seq
            .as_array()
            .ok_or_else(|| format!("sequence {s} is not an array"))?;
        if seq.len() > tokens {
            return Err(format!(
                "sequence {s} has {} tokens, more than the context length {tokens} \
                 (truncate it first)",
                seq.len()
            ));
        }
        let mut ids = Vec::with_capacity(tokens);
        for (i, id) in seq.iter().enumerate() {
            let id = id
                .as_i64()
                .filter(|&id| (0..vocab as i64).contains(&id))
                .ok_or_else(|| {
                    format!("sequence {s}, position {i}: {id} is not a token id in 0..{vocab}")
                })?;
            ids.push(id as i32);
        }
        ids.resize(tokens, pad);
        out.push(ids);
    }
    Ok(out)
}

/// The activation type chosen for the calibrated activations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BertOptions {
    /// Context length `T`.
    pub tokens: usize,
    /// Default activation type (i8 or i16).
    pub activations: DType,
}

/// Accuracy of the integer embeddings against the float reference on one set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmbedReport {
    /// Number of sequences.
    pub samples: usize,
    /// Mean cosine similarity.
    pub cosine_mean: f64,
    /// Smallest cosine similarity.
    pub cosine_min: f64,
    /// Largest absolute difference of any (unit-norm) embedding element.
    pub max_abs_error: f64,
    /// Mean absolute difference over all elements.
    pub mean_abs_error: f64,
}

/// A converted encoder and its report.
#[derive(Debug)]
pub struct BertConverted {
    /// The opml model file.
    pub bytes: Vec<u8>,
    /// The loaded (re-checked) model.
    pub model: Model,
    /// Output quantization (i16, scale 1/32767: unit-norm embeddings).
    pub output: QParams,
    /// Calibration statistics.
    pub stats: Stats,
    /// Activation types chosen, `(activation, type)`, in graph order.
    pub dtypes: Vec<(String, &'static str)>,
    /// Accuracy on the calibration set.
    pub calibration: EmbedReport,
    /// Accuracy on the held-out set, if one was given.
    pub holdout: Option<EmbedReport>,
    /// Stage times.
    pub timings: Timings,
    /// The float reference.
    pub float: FloatBert,
}

/// The model input bytes for `ids` (i32 little-endian).
pub fn input_bytes(ids: &[i32]) -> Vec<u8> {
    ids.iter().flat_map(|i| i.to_le_bytes()).collect()
}

impl BertConverted {
    /// The model root.
    pub fn model_root(&self) -> [u8; 32] {
        self.model.roots().model
    }

    /// The integer model's dequantized embedding for `ids`.
    pub fn run(&self, ids: &[i32]) -> Vec<f64> {
        let out = run_int(&self.model, &input_bytes(ids));
        self.dequantize(&out)
    }

    /// Dequantizes output bytes.
    pub fn dequantize(&self, out: &[u8]) -> Vec<f64> {
        let info = self.model.output_info();
        (0..info.len())
            .map(|i| self.output.dequantize(read_elem(info.dtype, out, i)))
            .collect()
    }
}

/// Compares integer and float embeddings of `set`.
pub fn evaluate(
    c: &BertConverted,
    set: &[Vec<i32>],
    stage: &str,
    progress: &mut dyn Progress,
) -> EmbedReport {
    progress.start(stage, set.len() as u64);
    let (mut cos_sum, mut cos_min, mut max_err, mut err_sum, mut n) =
        (0f64, f64::INFINITY, 0f64, 0f64, 0usize);
    for ids in set {
        let f = c.float.forward(ids);
        let q = c.run(ids);
        let cos = cosine(&f, &q);
        cos_sum += cos;
        cos_min = cos_min.min(cos);
        for (a, b) in f.iter().zip(&q) {
            let e = (a - b).abs();
            max_err = max_err.max(e);
            err_sum += e;
            n += 1;
        }
        progress.advance(1);
    }
    progress.finish();
    EmbedReport {
        samples: set.len(),
        cosine_mean: cos_sum / set.len().max(1) as f64,
        cosine_min: if set.is_empty() { 1.0 } else { cos_min },
        max_abs_error: max_err,
        mean_abs_error: err_sum / n.max(1) as f64,
    }
}

/// A linear layer quantized: int8 weights, scales, and the largest row sum of |w_q|.
struct QLinear<'a> {
    lin: &'a Linear,
    wq: Vec<u8>,
    ws: Vec<f64>,
    max_l1: i64,
}

impl<'a> QLinear<'a> {
    fn new(lin: &'a Linear) -> Self {
        let w: Vec<f64> = lin.w.iter().map(|&v| v as f64).collect();
        let (wq, ws) = quantize_weights(&w, lin.n, 1.0);
        let max_l1 = wq
            .chunks_exact(lin.k)
            .map(|r| r.iter().map(|&b| (b as i8 as i64).abs()).sum())
            .max()
            .unwrap_or(0);
        Self {
            lin,
            wq,
            ws,
            max_l1,
        }
    }

    /// Whether an i16 input (|x̄| ≤ 32768) keeps the accumulator inside i32 for every channel,
    /// with the bias at the input scale `s_in` (approximated by the worst channel).
    fn fits_i16(&self, s_in: f64) -> bool {
        (0..self.lin.n).all(|c| {
            let bq = (self.lin.b[c] as f64 / (s_in * self.ws[c])).round().abs();
            32768.0 * self.max_l1 as f64 + bq <= i32::MAX as f64
        })
    }
}

/// The graph under construction with the helpers a BERT layer needs.
struct Net {
    b: GraphBuilder,
    dtypes: Vec<(String, &'static str)>,
}

impl Net {
    fn linear(
        &mut self,
        x: Source,
        xq: QParams,
        ql: &QLinear<'_>,
        yq: QParams,
        rows: usize,
    ) -> Result<Source, BuildError> {
        let lin = ql.lin;
        let bias: Vec<f64> = lin.b.iter().map(|&v| v as f64).collect();
        let (bias_b, table_b) = channel_tables(0, "linear", &ql.wq, &ql.ws, &bias, xq, yq)
            .map_err(|e| BuildError::BertWeights(format!("{}: {e}", lin.name)))?;
        let (n, k) = (lin.n as u32, lin.k as u32);
        let w = self
            .b
            .weight(TensorInfo::raw(DType::I8, &[n, k]), ql.wq.clone());
        let bsrc = self.b.weight(TensorInfo::raw(DType::I32, &[n]), bias_b);
        let t = self.b.weight(TensorInfo::raw(DType::I32, &[n, 2]), table_b);
        let op = MatMul {
            transpose_b: true,
            has_bias: true,
            per_channel: true,
            stage: OutputStage::new(Requant::IDENTITY),
        };
        self.b
            .node(Op::MatMul(op), &[x, w, bsrc, t], yq.info(&[rows, lin.n]))
            .map_err(graph_err)
    }

    /// `a + b` rescaled to `yq` (TFLite's add: both shifted left as far as exactness allows).
    fn add(
        &mut self,
        a: Source,
        aq: QParams,
        b: Source,
        bq: QParams,
        yq: QParams,
        shape: &[usize],
    ) -> Result<Source, BuildError> {
        let m = aq.max_centered().max(bq.max_centered());
        let mut ls = 20u32;
        while ls > 0 && (m << ls) > (1 << 30) {
            ls -= 1;
        }
        let s_max = aq.scale.max(bq.scale);
        let op = Binary {
            kind: BinaryKind::Add,
            left_shift: ls,
            a_requant: Requant::from_f64(aq.scale / (2.0 * s_max)),
            b_requant: Requant::from_f64(bq.scale / (2.0 * s_max)),
            stage: OutputStage::new(Requant::from_f64(
                2.0 * s_max / (1u64 << ls) as f64 / yq.scale,
            )),
        };
        self.b
            .node(Op::Binary(op), &[a, b], yq.info(shape))
            .map_err(graph_err)
    }

    /// Layer norm of `x` (`[rows, n]`) into `yq`.
    fn layer_norm(
        &mut self,
        x: Source,
        xq: QParams,
        ln: &LayerNorm,
        eps: f64,
        yq: QParams,
        rows: usize,
    ) -> Result<Source, BuildError> {
        let n = ln.g.len();
        let gmax = ln.g.iter().fold(0f64, |m, &v| m.max((v as f64).abs()));
        let s_g = if gmax > 0.0 { gmax / 32767.0 } else { 1.0 };
        let gq: Vec<u8> =
            ln.g.iter()
                .flat_map(|&v| ((v as f64 / s_g).round() as i16).to_le_bytes())
                .collect();
        let s_beta = s_g / 4096.0;
        let mut bq = Vec::with_capacity(n);
        for (i, &v) in ln.b.iter().enumerate() {
            let q = (v as f64 / s_beta).round();
            if q.abs() > i32::MAX as f64 {
                return Err(BuildError::BertWeights(format!(
                    "{}.bias[{i}] = {v} does not fit i32 at the gamma scale {s_g:e} / 2^12",
                    ln.name
                )));
            }
            bq.push(q as i32);
        }
        let g = self.b.weight(TensorInfo::raw(DType::I16, &[n as u32]), gq);
        let beta = self
            .b
            .weight(TensorInfo::raw(DType::I32, &[n as u32]), i32_bytes(&bq));
        let eps_q = (eps / (xq.scale * xq.scale)).round().min(u32::MAX as f64) as u32;
        let op = Norm {
            kind: NormKind::Layer,
            eps: eps_q,
            stage: OutputStage::new(Requant::from_f64(s_beta / yq.scale)),
        };
        self.b
            .node(Op::Norm(op), &[x, g, beta], yq.info(&[rows, n]))
            .map_err(graph_err)
    }

    fn like(&mut self, op: Op, x: Source) -> Result<Source, BuildError> {
        let info = self.b.info(x).clone();
        self.b.node_like(op, &[x], &info).map_err(graph_err)
    }

    /// `[T, H·Dh]` → `[H, T, Dh]`.
    fn split_heads(
        &mut self,
        x: Source,
        t: usize,
        h: usize,
        dh: usize,
    ) -> Result<Source, BuildError> {
        let r = self.like(
            Op::Reshape(Reshape {
                shape: vec![t as u32, h as u32, dh as u32],
            }),
            x,
        )?;
        self.like(
            Op::Transpose(Transpose {
                perm: vec![1, 0, 2],
            }),
            r,
        )
    }

    /// `[H, T, Dh]` → `[T, H·Dh]`.
    fn merge_heads(&mut self, x: Source, t: usize, d: usize) -> Result<Source, BuildError> {
        let tr = self.like(
            Op::Transpose(Transpose {
                perm: vec![1, 0, 2],
            }),
            x,
        )?;
        self.like(
            Op::Reshape(Reshape {
                shape: vec![t as u32, d as u32],
            }),
            tr,
        )
    }

    /// An `[V, 1]` table looked up by the input ids: `pad_value` for `pad`, `other` elsewhere,
    /// reshaped to `shape`.
    fn id_mask(
        &mut self,
        vocab: usize,
        pad: i32,
        (pad_value, other): (i32, i32),
        q: QParams,
        shape: &[u32],
    ) -> Result<Source, BuildError> {
        let mut data = Vec::with_capacity(vocab * q.dtype.size());
        for i in 0..vocab {
            let v = if i as i64 == pad as i64 {
                pad_value
            } else {
                other
            };
            match q.dtype {
                DType::I8 => data.push(v as i8 as u8),
                _ => data.extend((v as i16).to_le_bytes()),
            }
        }
        let table = self.b.weight(q.info(&[vocab, 1]), data);
        let input = self.b.input();
        let t = self.b.info(input).shape[0] as usize;
        let e = self
            .b
            .node(Op::Embedding(Embedding), &[input, table], q.info(&[t, 1]))
            .map_err(graph_err)?;
        self.like(
            Op::Reshape(Reshape {
                shape: shape.to_vec(),
            }),
            e,
        )
    }

    fn note(&mut self, name: String, q: QParams) -> QParams {
        self.dtypes.push((name, q.dtype.name()));
        q
    }
}

/// Whether an activation of type `q` can feed `layer`'s Q, K and V projections (trivially true
/// unless it is i16).
fn fits_i16(layer: &Layer, q: QParams) -> bool {
    q.dtype != DType::I16
        || [&layer.q, &layer.k, &layer.v]
            .iter()
            .all(|l| QLinear::new(l).fits_i16(q.scale))
}

fn symmetric_i16(values: &[f32]) -> (QParams, Vec<u8>) {
    let m = values.iter().fold(0f64, |a, &v| a.max((v as f64).abs()));
    let q = QParams::from_range(-m, m, DType::I16);
    let bytes = q.quantize_all(values);
    (q, bytes)
}

/// Converts a BERT encoder: resolves the weights, calibrates on `calibration`, quantizes,
/// builds the model and measures it against the float reference on the calibration set and on
/// `holdout`.
pub fn convert_bert(
    config: &BertConfig,
    weights: &TensorMap,
    options: BertOptions,
    calibration: &[Vec<i32>],
    holdout: Option<&[Vec<i32>]>,
    progress: &mut dyn Progress,
) -> Result<BertConverted, BuildError> {
    let mut timings = Timings::default();
    let t0 = Instant::now();
    let act = match options.activations {
        DType::I8 | DType::I16 => options.activations,
        other => {
            return Err(BuildError::Calibration(format!(
                "activation type {other} is not i8 or i16"
            )))
        }
    };
    let float = FloatBert::new(config, weights, options.tokens)?;
    let t = options.tokens;
    if calibration.is_empty() {
        return Err(BuildError::Calibration(
            "the calibration set is empty".into(),
        ));
    }
    for (name, set) in [("calibration", Some(calibration)), ("holdout", holdout)] {
        for (i, ids) in set.unwrap_or(&[]).iter().enumerate() {
            if ids.len() != t {
                return Err(BuildError::Samples {
                    what: name.into(),
                    msg: format!("sequence {i} has {} ids, expected {t}", ids.len()),
                });
            }
        }
    }
    timings.resolve = t0.elapsed();

    let t0 = Instant::now();
    let mut stats = Stats::new(config.layers);
    progress.start("calibrating", calibration.len() as u64);
    for ids in calibration {
        float.forward_traced(ids, Some(&mut stats));
        progress.advance(1);
    }
    progress.finish();
    timings.calibrate = t0.elapsed();

    let t0 = Instant::now();
    progress.start("quantizing", config.layers as u64 + 2);
    let c = config;
    let (d, h, dh, ffn) = (c.hidden, c.heads, c.head_dim(), c.intermediate);
    let qp = |r: Range, dtype: DType| {
        let (lo, hi) = r.or_zero();
        QParams::from_range(lo, hi, dtype)
    };
    let mut net = Net {
        b: GraphBuilder::new(TensorInfo::raw(DType::I32, &[t as u32])),
        dtypes: Vec::new(),
    };
    // Embeddings.
    let (word_q, word_b) = symmetric_i16(&float.word);
    let (pos_q, pos_b) = symmetric_i16(&float.pos);
    let word = net.b.weight(word_q.info(&[c.vocab, d]), word_b);
    let pos = net.b.weight(pos_q.info(&[t, d]), pos_b);
    let input = net.b.input();
    let emb = net
        .b
        .node(
            Op::Embedding(Embedding),
            &[input, word],
            word_q.info(&[t, d]),
        )
        .map_err(graph_err)?;
    let emb_q = net.note("embeddings".into(), qp(stats.emb, DType::I16));
    let emb = net.add(emb, word_q, pos, pos_q, emb_q, &[t, d])?;
    let mut xq = qp(stats.emb_ln, act);
    if !fits_i16(&float.layers[0], xq) {
        xq = qp(stats.emb_ln, DType::I8);
    }
    let mut xq = net.note("embeddings.LayerNorm".into(), xq);
    let mut x = net.layer_norm(emb, emb_q, &float.emb_ln, c.eps, xq, t)?;
    progress.advance(1);

    for (l, (layer, st)) in float.layers.iter().zip(&stats.layers).enumerate() {
        let name = |s: &str| format!("layer {l} {s}");
        let (lq, lk, lv, lo, lu, ld) = (
            QLinear::new(&layer.q),
            QLinear::new(&layer.k),
            QLinear::new(&layer.v),
            QLinear::new(&layer.o),
            QLinear::new(&layer.up),
            QLinear::new(&layer.down),
        );
        // Attention.
        let q_q = net.note(name("query"), qp(st.q, act));
        let k_dtype = if q_q.dtype == DType::I16 {
            DType::I8
        } else {
            act
        };
        let k_q = net.note(name("key"), qp(st.k, k_dtype));
        let v_q = net.note(name("value"), qp(st.v, act));
        let qs = net.linear(x, xq, &lq, q_q, t)?;
        let ks = net.linear(x, xq, &lk, k_q, t)?;
        let vs = net.linear(x, xq, &lv, v_q, t)?;
        let qs = net.split_heads(qs, t, h, dh)?;
        let ks = net.split_heads(ks, t, h, dh)?;
        let vs = net.split_heads(vs, t, h, dh)?;
        let sc_q = net.note(name("scores"), qp(st.scores, act));
        let scores = net
            .b
            .node(
                Op::MatMul(MatMul {
                    transpose_b: true,
                    has_bias: false,
                    per_channel: false,
                    stage: OutputStage::new(Requant::from_f64(
                        q_q.scale * k_q.scale / (dh as f64).sqrt() / sc_q.scale,
                    )),
                }),
                &[qs, ks],
                sc_q.info(&[h, t, t]),
            )
            .map_err(graph_err)?;
        let mask_q = QParams {
            dtype: DType::I16,
            scale: sc_q.scale,
            zero_point: 0,
        };
        let mask = net.id_mask(
            c.vocab,
            c.pad_token_id,
            (i16::MIN as i32, 0),
            mask_q,
            &[1, t as u32],
        )?;
        let scores = net.add(scores, sc_q, mask, mask_q, sc_q, &[h, t, t])?;
        // E[k] = round(2^15 · exp(−k·s)) until it rounds to zero, and a final 0: a padding key
        // (at the type minimum) reads the last entry.
        let mut exp: Vec<i32> = (0..)
            .map(|k| ((-(k as f64) * sc_q.scale).exp() * 32768.0).round() as i32)
            .take_while(|&e| e > 0)
            .take(1 << 17)
            .collect();
        exp.push(0);
        let exp_src = net.b.weight(
            TensorInfo::raw(DType::I32, &[exp.len() as u32]),
            i32_bytes(&exp),
        );
        let (p_q, out_range) = if sc_q.dtype == DType::I16 {
            (
                QParams {
                    dtype: DType::I16,
                    scale: 1.0 / 32767.0,
                    zero_point: 0,
                },
                32767,
            )
        } else {
            (
                QParams {
                    dtype: DType::I8,
                    scale: 1.0 / 255.0,
                    zero_point: -128,
                },
                255,
            )
        };
        let p_q = net.note(name("probabilities"), p_q);
        let probs = net
            .b
            .node(
                Op::Softmax(Softmax {
                    causal: false,
                    out_range,
                }),
                &[scores, exp_src],
                p_q.info(&[h, t, t]),
            )
            .map_err(graph_err)?;
        let mut ctx_q = qp(st.ctx, act);
        if ctx_q.dtype == DType::I16 && !lo.fits_i16(ctx_q.scale) {
            ctx_q = qp(st.ctx, DType::I8);
        }
        let ctx_q = net.note(name("context"), ctx_q);
        let ctx = net
            .b
            .node(
                Op::MatMul(MatMul {
                    transpose_b: false,
                    has_bias: false,
                    per_channel: false,
                    stage: OutputStage::new(Requant::from_f64(p_q.scale * v_q.scale / ctx_q.scale)),
                }),
                &[probs, vs],
                ctx_q.info(&[h, t, dh]),
            )
            .map_err(graph_err)?;
        let ctx = net.merge_heads(ctx, t, d)?;
        let o_q = net.note(name("attention.output.dense"), qp(st.attn_out, act));
        let o = net.linear(ctx, ctx_q, &lo, o_q, t)?;
        let r1_q = net.note(name("attention residual"), qp(st.res1, DType::I16));
        let r1 = net.add(x, xq, o, o_q, r1_q, &[t, d])?;
        let mut ln1_q = qp(st.ln1, act);
        if ln1_q.dtype == DType::I16 && !lu.fits_i16(ln1_q.scale) {
            ln1_q = qp(st.ln1, DType::I8);
        }
        let ln1_q = net.note(name("attention.output.LayerNorm"), ln1_q);
        let x1 = net.layer_norm(r1, r1_q, &layer.ln1, c.eps, ln1_q, t)?;
        // Feed-forward.
        let up_q = net.note(name("intermediate.dense"), qp(st.ffn_in, act));
        let u = net.linear(x1, ln1_q, &lu, up_q, t)?;
        let mut g_q = qp(st.gelu, act);
        if g_q.dtype == DType::I16 && !ld.fits_i16(g_q.scale) {
            g_q = qp(st.gelu, DType::I8);
        }
        let g_q = net.note(name("gelu"), g_q);
        let table = gelu_table(c.act, up_q, g_q);
        let entries = table.len() / g_q.dtype.size();
        let table = net
            .b
            .weight(TensorInfo::raw(g_q.dtype, &[entries as u32]), table);
        let g = net
            .b
            .node(Op::Lut(Lut), &[u, table], g_q.info(&[t, ffn]))
            .map_err(graph_err)?;
        let f_q = net.note(name("output.dense"), qp(st.ffn_out, act));
        let f = net.linear(g, g_q, &ld, f_q, t)?;
        let r2_q = net.note(name("output residual"), qp(st.res2, DType::I16));
        let r2 = net.add(x1, ln1_q, f, f_q, r2_q, &[t, d])?;
        let mut ln2_q = qp(st.ln2, act);
        if let Some(next) = float.layers.get(l + 1) {
            if !fits_i16(next, ln2_q) {
                ln2_q = qp(st.ln2, DType::I8);
            }
        }
        xq = net.note(name("output.LayerNorm"), ln2_q);
        x = net.layer_norm(r2, r2_q, &layer.ln2, c.eps, xq, t)?;
        progress.advance(1);
    }

    // Mean pooling over real tokens, then L2 normalisation.
    let ind_q = QParams {
        dtype: DType::I8,
        scale: 1.0,
        zero_point: 0,
    };
    let ind = net.id_mask(c.vocab, c.pad_token_id, (0, 1), ind_q, &[t as u32, 1])?;
    let mul = Binary {
        kind: BinaryKind::Mul,
        left_shift: 0,
        a_requant: Requant::default(),
        b_requant: Requant::default(),
        stage: OutputStage::new(Requant::IDENTITY),
    };
    let masked = net
        .b
        .node(Op::Binary(mul), &[x, ind], xq.info(&[t, d]))
        .map_err(graph_err)?;
    let pooled_q = net.note("pooled".into(), qp(stats.pooled, DType::I16));
    let pooled = net
        .b
        .node(
            Op::ReduceMean(ReduceMean {
                axis: 0,
                stage: OutputStage::new(Requant::from_f64(xq.scale / t as f64 / pooled_q.scale)),
            }),
            &[masked],
            pooled_q.info(&[d]),
        )
        .map_err(graph_err)?;
    let out_q = QParams {
        dtype: DType::I16,
        scale: 1.0 / 32767.0,
        zero_point: 0,
    };
    // RMS norm gives x·√n/‖x‖ in Q12; unit gamma (2^14 at scale 2^−14) and a stage of
    // 2^−14 / 2^12 / √n / s_out leave x/‖x‖.
    let gamma = net.b.weight(
        TensorInfo::raw(DType::I16, &[d as u32]),
        (0..d).flat_map(|_| 16384i16.to_le_bytes()).collect(),
    );
    let out_q = net.note("embedding (L2-normalised)".into(), out_q);
    net.b
        .node(
            Op::Norm(Norm {
                kind: NormKind::Rms,
                eps: 0,
                stage: OutputStage::new(Requant::from_f64(
                    1.0 / (1u64 << 26) as f64 / (d as f64).sqrt() / out_q.scale,
                )),
            }),
            &[pooled, gamma],
            out_q.info(&[d]),
        )
        .map_err(graph_err)?;
    progress.advance(1);
    progress.finish();

    let meta = serde_json::json!({
        "converter": format!("opml-converter {}", env!("CARGO_PKG_VERSION")),
        "task": "sentence embedding (L2-normalised mean pooling over non-padding tokens)",
        "architecture": "bert",
        "config": config,
        "input": {
            "shape": [t],
            "dtype": "i32",
            "meaning": "token ids, padded with pad_token_id (padding is masked) or truncated to the context length",
            "pad_token_id": config.pad_token_id,
        },
        "output": {
            "shape": [d],
            "dtype": out_q.dtype.name(),
            "scale": out_q.scale,
            "zero_point": 0,
        },
        "activations": net.dtypes.iter().map(|(n, d)| format!("{n}: {d}")).collect::<Vec<_>>(),
        "calibration": format!("{} sequences", calibration.len()),
    });
    let bytes = net.b.to_model_bytes(&meta.to_string()).map_err(graph_err)?;
    let model = Model::from_bytes(bytes.clone()).map_err(graph_err)?;
    timings.quantize = t0.elapsed();

    let mut converted = BertConverted {
        bytes,
        model,
        output: out_q,
        stats,
        dtypes: net.dtypes,
        calibration: EmbedReport {
            samples: 0,
            cosine_mean: 0.0,
            cosine_min: 0.0,
            max_abs_error: 0.0,
            mean_abs_error: 0.0,
        },
        holdout: None,
        timings,
        float,
    };
    let t0 = Instant::now();
    converted.calibration = evaluate(
        &converted,
        calibration,
        "evaluating calibration set",
        progress,
    );
    converted.holdout = holdout.map(|h| evaluate(&converted, h, "evaluating holdout", progress));
    converted.timings.evaluate = t0.elapsed();
    Ok(converted)
}

/// The GELU lookup table from `x` to `y`: 256 entries `y(x)` for an i8 input, or 257 points
/// `y(s_x·(256·i − 32768))` for an i16 input (the op interpolates between them); entries are
/// output integers (zero point included) in the output's type.
fn gelu_table(gelu: Gelu, x: QParams, y: QParams) -> Vec<u8> {
    let points: Vec<f64> = match x.dtype {
        DType::I8 => (0..256).map(|i| x.dequantize(i - 128)).collect(),
        _ => (0..=256).map(|i| x.dequantize(256 * i - 32768)).collect(),
    };
    let mut out = Vec::with_capacity(points.len() * y.dtype.size());
    for v in points {
        let q = y.quantize(gelu.apply(v) as f32);
        match y.dtype {
            DType::I8 => out.push(q as i8 as u8),
            _ => out.extend((q as i16).to_le_bytes()),
        }
    }
    out
}
