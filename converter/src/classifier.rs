//! MLP and CNN classifiers into opml models: calibration, quantization, the integer graph, the
//! model file and the accuracy report.
//!
//! # Quantization
//!
//! - **Weights**: per-output-channel symmetric int8, `s_w[c] = max|W[c]| / 127`,
//!   `q = round(W / s_w[c])` (zero point 0). Batch norm is folded into the conv before it first
//!   (`W' = W·γ/√(σ²+ε)`, `b' = (b − μ)·γ/√(σ²+ε) + β`, in f64).
//! - **Biases**: int32, `round(b / (s_in · s_w[c]))`.
//! - **Activations**: int8 asymmetric (`s = (hi − lo) / 255`, zero point
//!   `round(−128 − lo / s)`, with `lo ≤ 0 ≤ hi`) or, per layer or by default, int16 symmetric
//!   (`s = max(|lo|, |hi|) / 32767`, zero point 0). `lo` and `hi` come from the float reference on
//!   the calibration inputs: the smallest and largest value seen (`minmax`, the default), or the
//!   `(100 − p)`-th and `p`-th percentiles of all values seen (`percentile`, `p = 99.99` by
//!   default). Without calibration samples, inputs drawn uniformly from the integer grid of a
//!   fixed input quantization stand in (`synthetic_samples`, 256 by default).
//! - **Requantization**: per output channel, `s_in · s_w[c] / s_out` as a fixed-point
//!   multiplier (an i32 `[C, 2]` table of (multiplier, shift), docs/spec.md §8.2); a ReLU after
//!   a linear or conv2d (+ batchnorm2d) is fused as the output stage's lower clamp at the output
//!   zero point. A ReLU elsewhere is a `requantize` that clamps at the zero point (exact).
//! - **Pooling, flatten**: max and average pooling and reshapes keep the input's quantization
//!   (integer average pooling rounds the mean, ties away from zero).
//! - **PReLU** is `x + (a − 1)·min(x, 0)`: a `requantize` clamping at the zero point from above
//!   (`min(x, 0)`, exact), a `binary` mul by the int8 per-tensor-symmetric `a − 1` (one slope or one
//!   per channel, broadcast; exact into int32), and a `binary` add with `x` rescaled to the
//!   output's calibrated quantization. Chosen over a lookup table because a table is one function
//!   for the whole tensor, and PyTorch's PReLU usually has a slope per channel.
//!
//! The input is quantized `q = clamp(round(v / s) + z)` (ties away from zero).

use std::time::{Duration, Instant};

use opml_dnn::builder::GraphBuilder;
use opml_dnn::graph::Source;
use opml_dnn::model::Model;
use opml_dnn::ops::{
    Binary, BinaryKind, Conv2d, MatMul, Op, OutputStage, Pool2d, PoolKind, Requantize, Reshape,
    Transpose,
};
use opml_dnn::quant::Requant;
use opml_dnn::tensor::{read_elem, write_elem, DType, Quant, TensorInfo, TensorRef};
use serde::Serialize;

use crate::arch::{ActDType, Arch, Calibration, Layer, ScaleSpec};
use crate::error::BuildError;
use crate::float::{FloatLayer, FloatNet, FloatOp, Window};
use crate::samples::Samples;
use crate::tensor::TensorMap;

/// Reports progress of the long stages (the CLI draws a progress bar).
pub trait Progress {
    /// A stage of `total` steps begins.
    fn start(&mut self, stage: &str, total: u64);
    /// `n` more steps are done.
    fn advance(&mut self, n: u64);
    /// The stage is done.
    fn finish(&mut self);
}

/// No progress reporting.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&mut self, _: &str, _: u64) {}
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self) {}
}

/// Quantization of one activation tensor, with its real scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QParams {
    /// Element type (`i8` or `i16`).
    #[serde(serialize_with = "ser_dtype")]
    pub dtype: DType,
    /// Real value of one step.
    pub scale: f64,
    /// Integer of real zero.
    pub zero_point: i32,
}

fn ser_dtype<S: serde::Serializer>(d: &DType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(d.name())
}

impl QParams {
    /// The quantization covering `[lo, hi]` (widened to include 0): int8 asymmetric, int16
    /// symmetric.
    pub fn from_range(lo: f64, hi: f64, dtype: DType) -> Self {
        let (lo, hi) = (lo.min(0.0), hi.max(0.0));
        match dtype {
            DType::I16 => Self {
                dtype,
                scale: (lo.abs().max(hi) / 32767.0).max(1e-12),
                zero_point: 0,
            },
            _ => {
                let scale = ((hi - lo) / 255.0).max(1e-12);
                let zero_point = (-128.0 - lo / scale).round().clamp(-128.0, 127.0) as i32;
                Self {
                    dtype: DType::I8,
                    scale,
                    zero_point,
                }
            }
        }
    }

    /// A tensor description of `shape` with this quantization.
    pub fn info(&self, shape: &[usize]) -> TensorInfo {
        let shape: Vec<u32> = shape.iter().map(|&d| d as u32).collect();
        TensorInfo::new(
            self.dtype,
            &shape,
            Quant {
                scale: Requant::from_f64(self.scale),
                zero_point: self.zero_point,
            },
        )
    }

    /// `clamp(round(v / s) + z)`.
    pub fn quantize(&self, v: f32) -> i32 {
        let q = (v as f64 / self.scale).round() + self.zero_point as f64;
        q.clamp(self.dtype.min() as f64, self.dtype.max() as f64) as i32
    }

    /// `s · (q − z)`.
    pub fn dequantize(&self, q: i32) -> f64 {
        self.scale * (q as i64 - self.zero_point as i64) as f64
    }

    /// The largest `|q − z|` over the type's range.
    pub(crate) fn max_centered(&self) -> i64 {
        (self.dtype.max() as i64 - self.zero_point as i64)
            .max(self.zero_point as i64 - self.dtype.min() as i64)
    }

    /// The bytes of `values` quantized.
    pub fn quantize_all(&self, values: &[f32]) -> Vec<u8> {
        let mut out = vec![0u8; values.len() * self.dtype.size()];
        for (i, &v) in values.iter().enumerate() {
            write_elem(self.dtype, &mut out, i, self.quantize(v));
        }
        out
    }
}

/// Accuracy of the integer model against the float reference on one sample set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetReport {
    /// Number of samples.
    pub samples: usize,
    /// Mean over samples of the cosine similarity of the output vectors.
    pub cosine_mean: f64,
    /// Smallest per-sample cosine similarity.
    pub cosine_min: f64,
    /// Largest absolute difference of any output element (in real units).
    pub max_abs_error: f64,
    /// Mean absolute difference over all output elements.
    pub mean_abs_error: f64,
    /// Fraction of samples whose integer top-1 class equals the float one.
    pub top1_agreement: f64,
    /// Float top-1 accuracy against the labels, if the set has labels.
    pub float_accuracy: Option<f64>,
    /// Integer top-1 accuracy against the labels, if the set has labels.
    pub int_accuracy: Option<f64>,
}

/// Wall-clock time of each stage.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    /// Resolving the layers and checking the weights.
    pub resolve: Duration,
    /// Float reference over the calibration inputs.
    pub calibrate: Duration,
    /// Quantizing weights and building the model file.
    pub quantize: Duration,
    /// The accuracy report (float and integer runs of every sample).
    pub evaluate: Duration,
}

/// A converted model and its report.
#[derive(Debug)]
pub struct Converted {
    /// The opml model file.
    pub bytes: Vec<u8>,
    /// The loaded (re-checked) model.
    pub model: Model,
    /// Input quantization.
    pub input: QParams,
    /// Output quantization.
    pub output: QParams,
    /// What calibrated the activations (`"200 samples"`, `"256 synthetic inputs"`).
    pub calibration_source: String,
    /// Accuracy on the calibration set.
    pub calibration: SetReport,
    /// Accuracy on the held-out set, if one was given.
    pub holdout: Option<SetReport>,
    /// Stage times.
    pub timings: Timings,
    /// The float reference (to compare more samples).
    pub float: FloatNet,
}

impl Converted {
    /// The model root.
    pub fn model_root(&self) -> [u8; 32] {
        self.model.roots().model
    }

    /// Input bytes for `values` (a flattened sample).
    pub fn quantize_input(&self, values: &[f32]) -> Vec<u8> {
        self.input.quantize_all(values)
    }

    /// The integer model's dequantized output for a flattened input sample.
    pub fn run(&self, values: &[f32]) -> Vec<f64> {
        let out = run_int(&self.model, &self.quantize_input(values));
        let info = self.model.output_info();
        (0..info.len())
            .map(|i| self.output.dequantize(read_elem(info.dtype, &out, i)))
            .collect()
    }
}

/// Reads a weights file (any format [`crate::read_file`] detects), naming it in errors.
pub fn read_weights(path: impl AsRef<std::path::Path>) -> Result<TensorMap, BuildError> {
    let path = path.as_ref();
    crate::read_file(path).map_err(|error| BuildError::Weights {
        path: path.display().to_string(),
        error,
    })
}

/// Runs every node of `model` on `input` (the reference kernels, one thread, no commitments)
/// and returns the last node's output bytes.
pub fn run_int(model: &Model, input: &[u8]) -> Vec<u8> {
    let nodes = model.nodes();
    let mut outs: Vec<Vec<u8>> = Vec::with_capacity(nodes.len());
    outs.push(input.to_vec());
    for node in &nodes[1..] {
        let inputs: Vec<TensorRef<'_>> = node
            .sources
            .iter()
            .zip(&node.inputs)
            .map(|(s, info)| TensorRef {
                info,
                data: match *s {
                    Source::Node(j) => &outs[j as usize],
                    Source::Weight(w) => model.weight(w as usize).1,
                },
            })
            .collect();
        let mut out = vec![0u8; node.output.byte_len()];
        node.op
            .compute(&inputs, &node.output, 0..node.output.len(), &mut out);
        outs.push(out);
    }
    outs.pop().expect("a model has nodes")
}

/// What one group of layers becomes.
#[derive(Debug, Clone)]
enum Step {
    /// conv2d, optionally batchnorm2d, optionally relu.
    Conv {
        conv: usize,
        bn: Option<usize>,
        relu: bool,
        dtype: Option<ActDType>,
    },
    /// linear, optionally relu.
    Linear {
        layer: usize,
        relu: bool,
        dtype: Option<ActDType>,
    },
    /// prelu.
    Prelu {
        layer: usize,
        dtype: Option<ActDType>,
    },
    /// Layers that keep the quantization of their input.
    PassThrough { layer: usize },
}

impl Step {
    /// The layer whose float output is this step's output.
    fn last(&self) -> usize {
        match *self {
            Step::Conv { conv, bn, relu, .. } => conv + bn.is_some() as usize + relu as usize,
            Step::Linear { layer, relu, .. } => layer + relu as usize,
            Step::Prelu { layer, .. } | Step::PassThrough { layer } => layer,
        }
    }

    /// Output activation type override, for the steps that compute new values.
    fn calibrated(&self) -> Option<Option<ActDType>> {
        match *self {
            Step::Conv { dtype, .. } | Step::Linear { dtype, .. } | Step::Prelu { dtype, .. } => {
                Some(dtype)
            }
            Step::PassThrough { .. } => None,
        }
    }
}

/// Groups the layers into steps (fusing batch norm and ReLU).
fn plan(arch: &Arch) -> Result<Vec<Step>, BuildError> {
    let layers = &arch.layers;
    let is = |i: usize, k: &str| layers.get(i).is_some_and(|l| l.kind() == k);
    let mut steps = Vec::new();
    let mut i = 0;
    while i < layers.len() {
        match &layers[i] {
            Layer::Conv2d { dtype, .. } => {
                let bn = is(i + 1, "batchnorm2d").then_some(i + 1);
                let next = i + 1 + bn.is_some() as usize;
                let relu = is(next, "relu");
                steps.push(Step::Conv {
                    conv: i,
                    bn,
                    relu,
                    dtype: *dtype,
                });
                i = next + relu as usize;
            }
            Layer::Linear { dtype, .. } => {
                let relu = is(i + 1, "relu");
                steps.push(Step::Linear {
                    layer: i,
                    relu,
                    dtype: *dtype,
                });
                i += 1 + relu as usize;
            }
            Layer::Prelu { dtype, .. } => {
                steps.push(Step::Prelu {
                    layer: i,
                    dtype: *dtype,
                });
                i += 1;
            }
            Layer::Batchnorm2d { .. } => {
                return Err(BuildError::Layer {
                    layer: i,
                    kind: "batchnorm2d",
                    msg: "must directly follow a conv2d (it is folded into the convolution)".into(),
                })
            }
            _ => {
                steps.push(Step::PassThrough { layer: i });
                i += 1;
            }
        }
    }
    Ok(steps)
}

/// Range statistics of one activation over the calibration inputs.
#[derive(Debug, Clone)]
struct RangeStat {
    lo: f32,
    hi: f32,
    values: Vec<f32>,
}

impl RangeStat {
    fn new() -> Self {
        Self {
            lo: f32::INFINITY,
            hi: f32::NEG_INFINITY,
            values: Vec::new(),
        }
    }

    fn add(&mut self, v: &[f32], keep: bool) {
        for &x in v {
            self.lo = self.lo.min(x);
            self.hi = self.hi.max(x);
        }
        if keep {
            self.values.extend_from_slice(v);
        }
    }

    fn range(&mut self, method: Calibration, percentile: f64) -> (f64, f64) {
        match method {
            Calibration::MinMax => (self.lo as f64, self.hi as f64),
            Calibration::Percentile => {
                let v = &mut self.values;
                v.sort_unstable_by(f32::total_cmp);
                let at = |p: f64| {
                    let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
                    v[i.min(v.len() - 1)] as f64
                };
                (at(100.0 - percentile), at(percentile))
            }
        }
    }
}

/// A deterministic generator for synthetic calibration inputs (splitmix64).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Converts a classifier: resolves `arch` against `weights`, calibrates on `calibration` (or
/// synthetic inputs), quantizes, writes the model and measures it against the float reference
/// on the calibration set and on `holdout`.
pub fn convert(
    arch: &Arch,
    weights: &TensorMap,
    calibration: Option<&Samples>,
    holdout: Option<&Samples>,
    progress: &mut dyn Progress,
) -> Result<Converted, BuildError> {
    let mut timings = Timings::default();
    let t = Instant::now();
    arch.check().map_err(|msg| BuildError::Arch {
        what: "architecture".into(),
        msg,
    })?;
    let steps = plan(arch)?;
    let float = FloatNet::new(arch, weights)?;
    let in_len = float.input_len();
    if let Some(c) = calibration {
        if c.is_empty() {
            return Err(BuildError::Calibration(
                "the calibration set is empty".into(),
            ));
        }
        c.check_len("calibration", in_len)?;
    }
    if let Some(h) = holdout {
        h.check_len("holdout", in_len)?;
    }
    let input_dtype = arch
        .input
        .dtype
        .unwrap_or(arch.quantization.activations)
        .dtype();
    timings.resolve = t.elapsed();

    // Calibration inputs.
    let t = Instant::now();
    let synthetic;
    let (cal, calibration_source) = match (calibration, arch.input.scale) {
        (Some(c), _) => (c, format!("{} samples", c.len())),
        (None, ScaleSpec::Fixed(scale)) => {
            let q = QParams {
                dtype: input_dtype,
                scale,
                zero_point: arch.input.zero_point.unwrap_or(0),
            };
            let n = arch.quantization.synthetic_samples.max(1) as usize;
            let mut g = SplitMix(0x6F70_6D6C);
            let span = (q.dtype.max() as i64 - q.dtype.min() as i64 + 1) as u64;
            synthetic = Samples {
                inputs: (0..n)
                    .map(|_| {
                        (0..in_len)
                            .map(|_| {
                                let v = q.dtype.min() as i64 + (g.next() % span) as i64;
                                q.dequantize(v as i32) as f32
                            })
                            .collect()
                    })
                    .collect(),
                labels: None,
            };
            (&synthetic, format!("{n} synthetic inputs"))
        }
        (None, ScaleSpec::Calibrate) => {
            return Err(BuildError::Calibration(
                "input.scale = \"calibrate\" needs calibration samples (--calibration)".into(),
            ))
        }
    };
    let keep = arch.quantization.calibration == Calibration::Percentile;
    let mut input_stat = RangeStat::new();
    let mut stats: Vec<Option<RangeStat>> = steps
        .iter()
        .map(|s| s.calibrated().map(|_| RangeStat::new()))
        .collect();
    progress.start("calibrating", cal.len() as u64);
    for x in &cal.inputs {
        input_stat.add(x, keep);
        let outs = float.forward_all(x);
        for (step, stat) in steps.iter().zip(&mut stats) {
            if let Some(stat) = stat {
                stat.add(&outs[step.last()], keep);
            }
        }
        progress.advance(1);
    }
    progress.finish();
    let (method, pct) = (arch.quantization.calibration, arch.quantization.percentile);
    let input = match arch.input.scale {
        ScaleSpec::Fixed(scale) => QParams {
            dtype: input_dtype,
            scale,
            zero_point: arch.input.zero_point.unwrap_or(0),
        },
        ScaleSpec::Calibrate => {
            let (lo, hi) = input_stat.range(method, pct);
            QParams::from_range(lo, hi, input_dtype)
        }
    };
    timings.calibrate = t.elapsed();

    // The integer graph.
    let t = Instant::now();
    progress.start("quantizing", steps.len() as u64);
    let mut b = GraphBuilder::new(input.info(&float.input_shape));
    let mut x = b.input();
    let mut q = input;
    for (step, stat) in steps.iter().zip(&mut stats) {
        let out_q = match (step.calibrated(), stat) {
            (Some(dtype), Some(stat)) => {
                let (lo, hi) = stat.range(method, pct);
                let dt = dtype.unwrap_or(arch.quantization.activations).dtype();
                QParams::from_range(lo, hi, dt)
            }
            _ => q,
        };
        x = build_step(&mut b, &float, step, x, q, out_q)?;
        q = out_q;
        progress.advance(1);
    }
    progress.finish();
    let meta = metadata(arch, &float, input, q, &calibration_source);
    let bytes = b
        .to_model_bytes(&meta)
        .map_err(|e| BuildError::Graph(e.to_string()))?;
    let model = Model::from_bytes(bytes.clone()).map_err(|e| BuildError::Graph(e.to_string()))?;
    timings.quantize = t.elapsed();

    let mut converted = Converted {
        bytes,
        model,
        input,
        output: q,
        calibration_source,
        calibration: empty_report(),
        holdout: None,
        timings,
        float,
    };
    let t = Instant::now();
    converted.calibration = evaluate(&converted, cal, "evaluating calibration set", progress);
    converted.holdout = holdout.map(|h| evaluate(&converted, h, "evaluating holdout", progress));
    converted.timings.evaluate = t.elapsed();
    Ok(converted)
}

fn empty_report() -> SetReport {
    SetReport {
        samples: 0,
        cosine_mean: 0.0,
        cosine_min: 0.0,
        max_abs_error: 0.0,
        mean_abs_error: 0.0,
        top1_agreement: 0.0,
        float_accuracy: None,
        int_accuracy: None,
    }
}

fn metadata(arch: &Arch, float: &FloatNet, input: QParams, output: QParams, cal: &str) -> String {
    let tensor = |q: QParams, shape: &[usize]| {
        serde_json::json!({
            "shape": shape,
            "dtype": q.dtype.name(),
            "scale": q.scale,
            "zero_point": q.zero_point,
        })
    };
    let mut m = serde_json::json!({
        "converter": format!("opml-converter {}", env!("CARGO_PKG_VERSION")),
        "task": "classification (argmax of the output)",
        "architecture": arch.name,
        "layers": arch.layers,
        "quantization": arch.quantization,
        "calibration": cal,
        "input": tensor(input, &float.input_shape),
        "output": tensor(output, float.output_shape()),
    });
    if !arch.classes.is_empty() {
        m["classes"] = serde_json::json!(arch.classes);
    }
    m.to_string()
}

/// Index of the first largest value.
pub fn argmax<T: PartialOrd + Copy>(v: &[T]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

fn evaluate(c: &Converted, set: &Samples, stage: &str, progress: &mut dyn Progress) -> SetReport {
    progress.start(stage, set.len() as u64);
    let (mut cos_sum, mut cos_min, mut max_err, mut err_sum, mut n_err) =
        (0f64, f64::INFINITY, 0f64, 0f64, 0usize);
    let (mut agree, mut float_ok, mut int_ok) = (0usize, 0usize, 0usize);
    for (i, x) in set.inputs.iter().enumerate() {
        let f = c.float.forward(x);
        let q = c.run(x);
        let (mut dot, mut nf, mut nq) = (0f64, 0f64, 0f64);
        for (&a, &b) in f.iter().zip(&q) {
            let a = a as f64;
            dot += a * b;
            nf += a * a;
            nq += b * b;
            let e = (a - b).abs();
            max_err = max_err.max(e);
            err_sum += e;
            n_err += 1;
        }
        let cos = if nf == 0.0 && nq == 0.0 {
            1.0
        } else if nf == 0.0 || nq == 0.0 {
            0.0
        } else {
            dot / (nf.sqrt() * nq.sqrt())
        };
        cos_sum += cos;
        cos_min = cos_min.min(cos);
        let (fa, qa) = (argmax(&f), argmax(&q));
        agree += (fa == qa) as usize;
        if let Some(labels) = &set.labels {
            float_ok += (fa == labels[i]) as usize;
            int_ok += (qa == labels[i]) as usize;
        }
        progress.advance(1);
    }
    progress.finish();
    let n = set.len().max(1) as f64;
    SetReport {
        samples: set.len(),
        cosine_mean: cos_sum / n,
        cosine_min: if set.is_empty() { 1.0 } else { cos_min },
        max_abs_error: max_err,
        mean_abs_error: err_sum / n_err.max(1) as f64,
        top1_agreement: agree as f64 / n,
        float_accuracy: set.labels.as_ref().map(|_| float_ok as f64 / n),
        int_accuracy: set.labels.as_ref().map(|_| int_ok as f64 / n),
    }
}

pub(crate) fn graph_err(e: impl std::fmt::Display) -> BuildError {
    BuildError::Graph(e.to_string())
}

pub(crate) fn i32_bytes(v: &[i32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Per-channel symmetric int8 quantization of `w` (`channels` rows); returns the bytes and the
/// scales. An all-zero channel gets `zero_scale` (any value works; the caller picks one that
/// keeps its bias exact).
pub(crate) fn quantize_weights(w: &[f64], channels: usize, zero_scale: f64) -> (Vec<u8>, Vec<f64>) {
    let per = w.len() / channels;
    let mut bytes = Vec::with_capacity(w.len());
    let mut scales = Vec::with_capacity(channels);
    for row in w.chunks_exact(per) {
        let m = row.iter().fold(0f64, |a, &v| a.max(v.abs()));
        let s = if m > 0.0 { m / 127.0 } else { zero_scale };
        scales.push(s);
        bytes.extend(
            row.iter()
                .map(|&v| (v / s).round().clamp(-127.0, 127.0) as i8 as u8),
        );
    }
    (bytes, scales)
}

/// Bias, requantization table and overflow check of a linear or conv layer.
pub(crate) fn channel_tables(
    layer: usize,
    kind: &'static str,
    wq: &[u8],
    w_scales: &[f64],
    bias: &[f64],
    x: QParams,
    y: QParams,
) -> Result<(Vec<u8>, Vec<u8>), BuildError> {
    let channels = w_scales.len();
    let per = wq.len() / channels;
    let mut bias_q = Vec::with_capacity(channels);
    let mut table = Vec::with_capacity(channels * 2);
    for c in 0..channels {
        let s_acc = x.scale * w_scales[c];
        let bq = (bias[c] / s_acc).round();
        let l1: i64 = wq[c * per..(c + 1) * per]
            .iter()
            .map(|&b| (b as i8 as i64).abs())
            .sum();
        let worst = x.max_centered() * l1 + bq.abs() as i64;
        if bq.abs() > i32::MAX as f64 || worst > i32::MAX as i64 {
            return Err(BuildError::Layer {
                layer,
                kind,
                msg: format!(
                    "output channel {c}: the int32 accumulator could overflow (bias {} and \
                     |weights| sum {l1} at input type {}); use int8 inputs for this layer",
                    bias[c], x.dtype
                ),
            });
        }
        bias_q.push(bq as i32);
        let rq = Requant::from_f64(s_acc / y.scale);
        table.push(rq.multiplier);
        table.push(rq.shift);
    }
    Ok((i32_bytes(&bias_q), i32_bytes(&table)))
}

fn f64s(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| x as f64).collect()
}

fn build_step(
    b: &mut GraphBuilder,
    float: &FloatNet,
    step: &Step,
    x: Source,
    xq: QParams,
    yq: QParams,
) -> Result<Source, BuildError> {
    match *step {
        Step::Conv { conv, bn, relu, .. } => {
            let layer = &float.layers[conv];
            let FloatOp::Conv2d {
                weight,
                bias,
                out_channels,
                groups,
                window,
            } = &layer.op
            else {
                unreachable!("a conv step starts at a conv2d")
            };
            let o = *out_channels;
            let mut w = f64s(weight);
            let mut bias = f64s(bias);
            if let Some(bn) = bn {
                let FloatOp::BatchNorm {
                    gamma,
                    beta,
                    mean,
                    var,
                    eps,
                } = &float.layers[bn].op
                else {
                    unreachable!("batchnorm2d")
                };
                let per = w.len() / o;
                for c in 0..o {
                    let alpha = gamma[c] as f64 / (var[c] as f64 + eps).sqrt();
                    for v in &mut w[c * per..(c + 1) * per] {
                        *v *= alpha;
                    }
                    bias[c] = (bias[c] - mean[c] as f64) * alpha + beta[c] as f64;
                }
            }
            let last = step.last();
            let out = &float.layers[last].out_shape;
            let (wq, ws) = quantize_weights(&w, o, yq.scale / xq.scale);
            let (bias_b, table_b) = channel_tables(conv, "conv2d", &wq, &ws, &bias, xq, yq)?;
            let w_info = TensorInfo::raw(
                DType::I8,
                &[
                    o as u32,
                    layer.in_shape[1] as u32 / *groups as u32,
                    window.kernel[0] as u32,
                    window.kernel[1] as u32,
                ],
            );
            let w_src = b.weight(w_info, wq);
            let b_src = b.weight(TensorInfo::raw(DType::I32, &[o as u32]), bias_b);
            let t_src = b.weight(TensorInfo::raw(DType::I32, &[o as u32, 2]), table_b);
            let out_info = yq.info(out);
            let mut stage = OutputStage::new(Requant::IDENTITY);
            if relu {
                stage = stage.relu(&out_info);
            }
            let op = Conv2d {
                stride_h: window.stride[0] as u32,
                stride_w: window.stride[1] as u32,
                pad_top: window.pad[0] as u32,
                pad_left: window.pad[1] as u32,
                pad_bottom: window.pad[2] as u32,
                pad_right: window.pad[3] as u32,
                dilation_h: window.dilation[0] as u32,
                dilation_w: window.dilation[1] as u32,
                groups: *groups as u32,
                has_bias: true,
                per_channel: true,
                stage,
            };
            b.node(Op::Conv2d(op), &[x, w_src, b_src, t_src], out_info)
                .map_err(graph_err)
        }
        Step::Linear {
            layer: li, relu, ..
        } => {
            let layer = &float.layers[li];
            let FloatOp::Linear { weight, bias, n, k } = &layer.op else {
                unreachable!("a linear step starts at a linear")
            };
            let (wq, ws) = quantize_weights(&f64s(weight), *n, yq.scale / xq.scale);
            let (bias_b, table_b) = channel_tables(li, "linear", &wq, &ws, &f64s(bias), xq, yq)?;
            let w_src = b.weight(TensorInfo::raw(DType::I8, &[*n as u32, *k as u32]), wq);
            let b_src = b.weight(TensorInfo::raw(DType::I32, &[*n as u32]), bias_b);
            let t_src = b.weight(TensorInfo::raw(DType::I32, &[*n as u32, 2]), table_b);
            let out_info = yq.info(&float.layers[step.last()].out_shape);
            let mut stage = OutputStage::new(Requant::IDENTITY);
            if relu {
                stage = stage.relu(&out_info);
            }
            let op = MatMul {
                transpose_b: true,
                has_bias: true,
                per_channel: true,
                stage,
            };
            b.node(Op::MatMul(op), &[x, w_src, b_src, t_src], out_info)
                .map_err(graph_err)
        }
        Step::Prelu { layer: li, .. } => build_prelu(b, &float.layers[li], x, xq, yq),
        Step::PassThrough { layer: li } => {
            let layer = &float.layers[li];
            let x_info = b.info(x).clone();
            let like = |shape: &[usize]| xq.info(shape);
            match &layer.op {
                FloatOp::Relu => {
                    let stage = OutputStage::new(Requant::IDENTITY).relu(&x_info);
                    b.node(Op::Requantize(Requantize { stage }), &[x], x_info)
                        .map_err(graph_err)
                }
                FloatOp::MaxPool(w) => b
                    .node(
                        Op::Pool2d(pool(PoolKind::Max, w, false)),
                        &[x],
                        like(&layer.out_shape),
                    )
                    .map_err(graph_err),
                FloatOp::AvgPool {
                    window,
                    count_include_pad,
                } => b
                    .node(
                        Op::Pool2d(pool(PoolKind::Avg, window, *count_include_pad)),
                        &[x],
                        like(&layer.out_shape),
                    )
                    .map_err(graph_err),
                FloatOp::Flatten { permute } => {
                    let mut x = x;
                    if let Some(perm) = permute {
                        let shape: Vec<usize> = perm.iter().map(|&a| layer.in_shape[a]).collect();
                        let op = Transpose {
                            perm: perm.iter().map(|&a| a as u32).collect(),
                        };
                        x = b
                            .node(Op::Transpose(op), &[x], like(&shape))
                            .map_err(graph_err)?;
                    }
                    let op = Reshape {
                        shape: layer.out_shape.iter().map(|&d| d as u32).collect(),
                    };
                    b.node(Op::Reshape(op), &[x], like(&layer.out_shape))
                        .map_err(graph_err)
                }
                other => unreachable!("not a pass-through layer: {other:?}"),
            }
        }
    }
}

fn pool(kind: PoolKind, w: &Window, count_include_pad: bool) -> Pool2d {
    Pool2d {
        kind,
        kernel_h: w.kernel[0] as u32,
        kernel_w: w.kernel[1] as u32,
        stride_h: w.stride[0] as u32,
        stride_w: w.stride[1] as u32,
        pad_top: w.pad[0] as u32,
        pad_left: w.pad[1] as u32,
        pad_bottom: w.pad[2] as u32,
        pad_right: w.pad[3] as u32,
        count_include_pad,
    }
}

/// `y = x + (a − 1)·min(x, 0)` (see the module docs).
fn build_prelu(
    b: &mut GraphBuilder,
    layer: &FloatLayer,
    x: Source,
    xq: QParams,
    yq: QParams,
) -> Result<Source, BuildError> {
    let FloatOp::Prelu { slope } = &layer.op else {
        unreachable!("prelu")
    };
    let shape = &layer.in_shape;
    let x_info = b.info(x).clone();
    // min(x, 0): clamp from above at the zero point, same quantization.
    let neg_stage = OutputStage {
        requant: Requant::IDENTITY,
        lo: i32::MIN,
        hi: xq.zero_point,
    };
    let neg = b
        .node(
            Op::Requantize(Requantize { stage: neg_stage }),
            &[x],
            x_info.clone(),
        )
        .map_err(graph_err)?;
    // d = a − 1, int8 symmetric per tensor, shaped to broadcast along axis 1.
    let d: Vec<f64> = slope.iter().map(|&a| a as f64 - 1.0).collect();
    let dmax = d.iter().fold(0f64, |m, &v| m.max(v.abs()));
    let s_d = if dmax > 0.0 { dmax / 127.0 } else { 1.0 };
    let dq: Vec<u8> = d
        .iter()
        .map(|&v| (v / s_d).round().clamp(-127.0, 127.0) as i8 as u8)
        .collect();
    let d_shape: Vec<u32> = if d.len() == 1 {
        vec![1]
    } else {
        std::iter::once(d.len() as u32)
            .chain(std::iter::repeat_n(1, shape.len() - 2))
            .collect()
    };
    let d_src = b.weight(TensorInfo::raw(DType::I8, &d_shape), dq);
    // (a − 1)·min(x, 0) into int32 at scale s_x·s_d: |product| ≤ 65535·127, exact.
    let s_p = xq.scale * s_d;
    let p_info = QParams {
        dtype: DType::I32,
        scale: s_p,
        zero_point: 0,
    }
    .info(shape);
    let mul = Binary {
        kind: BinaryKind::Mul,
        left_shift: 0,
        a_requant: Requant::default(),
        b_requant: Requant::default(),
        stage: OutputStage::new(Requant::IDENTITY),
    };
    let p = b
        .node(Op::Binary(mul), &[neg, d_src], p_info)
        .map_err(graph_err)?;
    // x + p at the output scale: both inputs shifted left by `ls` (no saturation: the larger
    // centred magnitude times 2^ls stays ≤ 2^30) and scaled by s / (2·s_max) (TFLite's add).
    let max_a = xq.max_centered();
    let max_b = max_a * 127;
    let mut ls = 20u32;
    while ls > 0 && (max_b.max(max_a) << ls) > (1 << 30) {
        ls -= 1;
    }
    let s_max = xq.scale.max(s_p);
    let add = Binary {
        kind: BinaryKind::Add,
        left_shift: ls,
        a_requant: Requant::from_f64(xq.scale / (2.0 * s_max)),
        b_requant: Requant::from_f64(s_p / (2.0 * s_max)),
        stage: OutputStage::new(Requant::from_f64(
            2.0 * s_max / (1u64 << ls) as f64 / yq.scale,
        )),
    };
    b.node(Op::Binary(add), &[x, p], yq.info(shape))
        .map_err(graph_err)
}
