//! The float reference: an f32 forward pass of an [`Arch`]'s layers with the weights as read,
//! batch 1. It gives the calibration statistics and the "float" side of the accuracy report.
//!
//! The issue suggests burn for the float side. For MLP and CNN classifiers the float ops are a
//! few loops each (conv2d, linear, batch norm, (P)ReLU, pooling, flatten), while burn with a CPU
//! backend is a large dependency tree that takes many minutes to build on the project's 2-core
//! machines (and CI builds from scratch); so the ops are written here, directly, with
//! PyTorch's semantics (zero padding for conv and average pooling, −∞ padding for max pooling,
//! `count_include_pad`, batch norm from running statistics with `eps`). Accumulation is f32 in a
//! fixed order, so results are deterministic; they differ from PyTorch's own kernels only by
//! rounding (checked against torch's logits in the tests).
//!
//! Resolving an [`Arch`] against a [`TensorMap`] is where tensors are looked up and checked:
//! missing names, wrong shapes, integer dtypes and non-finite values are errors naming the
//! layer and the tensor.

use crate::arch::{Arch, Layer};
use crate::error::BuildError;
use crate::tensor::{DType, FloatTensor, TensorMap};

/// Sliding-window geometry of one conv or pool layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// `[kh, kw]`.
    pub kernel: [usize; 2],
    /// `[sh, sw]`.
    pub stride: [usize; 2],
    /// `[top, left, bottom, right]`.
    pub pad: [usize; 4],
    /// `[dh, dw]` (1 for pooling).
    pub dilation: [usize; 2],
}

impl Window {
    /// Output extent along axis `a` (0 rows, 1 columns) for input extent `size`, or `None` if
    /// the window does not fit.
    pub fn out_size(&self, a: usize, size: usize) -> Option<usize> {
        let padded = size + self.pad[a] + self.pad[a + 2];
        let span = self.dilation[a] * (self.kernel[a] - 1) + 1;
        (self.stride[a] >= 1 && padded >= span).then(|| (padded - span) / self.stride[a] + 1)
    }

    /// Input index of tap `k` of output position `o` along axis `a`, if not in the padding.
    fn at(&self, a: usize, o: usize, k: usize, size: usize) -> Option<usize> {
        (o * self.stride[a] + k * self.dilation[a])
            .checked_sub(self.pad[a])
            .filter(|&i| i < size)
    }
}

/// One resolved layer.
#[derive(Debug, Clone, PartialEq)]
pub enum FloatOp {
    /// Weight `[n, k]` row-major, bias `[n]`.
    Linear {
        /// `[n, k]`.
        weight: Vec<f32>,
        /// `[n]` (zeros without a bias).
        bias: Vec<f32>,
        /// Output features.
        n: usize,
        /// Input features.
        k: usize,
    },
    /// Weight `[o, c/groups, kh, kw]`, bias `[o]`.
    Conv2d {
        /// `[o, c/groups, kh, kw]`.
        weight: Vec<f32>,
        /// `[o]` (zeros without a bias).
        bias: Vec<f32>,
        /// Output channels.
        out_channels: usize,
        /// Groups.
        groups: usize,
        /// Geometry.
        window: Window,
    },
    /// `(x − mean) / sqrt(var + eps) · gamma + beta` per channel (axis 1).
    BatchNorm {
        /// Gamma.
        gamma: Vec<f32>,
        /// Beta.
        beta: Vec<f32>,
        /// Running mean.
        mean: Vec<f32>,
        /// Running variance.
        var: Vec<f32>,
        /// Epsilon.
        eps: f64,
    },
    /// `max(x, 0)`.
    Relu,
    /// `x` if positive else `a·x`, `a` per channel (axis 1) or one for all.
    Prelu {
        /// One slope or one per channel.
        slope: Vec<f32>,
    },
    /// Max over each window (padding ignored).
    MaxPool(Window),
    /// Mean over each window.
    AvgPool {
        /// Geometry.
        window: Window,
        /// Divide by the kernel area (padding counts as zeros) instead of the in-bounds count.
        count_include_pad: bool,
    },
    /// Permute (optional), then `[1, rest]`.
    Flatten {
        /// Axis permutation.
        permute: Option<Vec<usize>>,
    },
}

/// A resolved layer: its op and output shape.
#[derive(Debug, Clone, PartialEq)]
pub struct FloatLayer {
    /// Layer type.
    pub kind: &'static str,
    /// The op with its weights.
    pub op: FloatOp,
    /// Shape of the layer's input.
    pub in_shape: Vec<usize>,
    /// Shape of the layer's output.
    pub out_shape: Vec<usize>,
}

/// The float network of an architecture with its weights.
#[derive(Debug, Clone, PartialEq)]
pub struct FloatNet {
    /// Input shape (batch 1 first).
    pub input_shape: Vec<usize>,
    /// The layers in order.
    pub layers: Vec<FloatLayer>,
}

/// Looks up and checks the tensors of one layer.
struct Lookup<'a> {
    map: &'a TensorMap,
    layer: usize,
    kind: &'static str,
}

impl Lookup<'_> {
    fn get(&self, role: &'static str, name: &str) -> Result<&FloatTensor, BuildError> {
        let t = self
            .map
            .tensors
            .get(name)
            .ok_or_else(|| BuildError::MissingTensor {
                layer: self.layer,
                kind: self.kind,
                role,
                name: name.to_string(),
                hint: hint(self.map, name),
            })?;
        let float = matches!(
            t.source_dtype,
            DType::F32
                | DType::F16
                | DType::BF16
                | DType::F64
                | DType::Q8_0
                | DType::Q4_0
                | DType::Q4_1
        );
        if !float {
            return Err(self.values(
                name,
                format!(
                    "holds {} values; {role} must be floating point (F32, F16, BF16, F64, or \
                     GGUF Q8_0/Q4_0/Q4_1)",
                    t.source_dtype
                ),
            ));
        }
        if let Some(i) = t.data.iter().position(|v| !v.is_finite()) {
            return Err(self.values(name, format!("holds a non-finite value at index {i}")));
        }
        Ok(t)
    }

    /// The tensor with exactly `shape` (or, if `alt` is given, that shape instead).
    fn shaped(
        &self,
        role: &'static str,
        name: &str,
        shape: &[usize],
        expected: impl FnOnce() -> String,
    ) -> Result<Vec<f32>, BuildError> {
        let t = self.get(role, name)?;
        if t.shape != shape {
            return Err(self.shape(name, &t.shape, expected()));
        }
        Ok(t.data.clone())
    }

    fn shape(&self, name: &str, actual: &[usize], expected: String) -> BuildError {
        BuildError::Shape {
            layer: self.layer,
            kind: self.kind,
            name: name.to_string(),
            actual: actual.to_vec(),
            expected,
        }
    }

    fn values(&self, name: &str, msg: String) -> BuildError {
        BuildError::TensorValues {
            layer: self.layer,
            kind: self.kind,
            name: name.to_string(),
            msg,
        }
    }

    fn layer_err(&self, msg: impl Into<String>) -> BuildError {
        BuildError::Layer {
            layer: self.layer,
            kind: self.kind,
            msg: msg.into(),
        }
    }
}

/// `"; similar: a, b"` for names sharing the missing name's last component, else a few names.
fn hint(map: &TensorMap, name: &str) -> String {
    if map.tensors.is_empty() {
        return "; the file has no tensors".into();
    }
    let suffix = name.rsplit('.').next().unwrap_or(name);
    let similar: Vec<&str> = map
        .tensors
        .keys()
        .filter(|k| k.rsplit('.').next() == Some(suffix))
        .map(String::as_str)
        .take(8)
        .collect();
    if !similar.is_empty() {
        return format!("; tensors named *.{suffix}: {}", similar.join(", "));
    }
    let some: Vec<&str> = map.tensors.keys().map(String::as_str).take(8).collect();
    format!(
        "; the file has {} tensors: {}{}",
        map.tensors.len(),
        some.join(", "),
        if map.tensors.len() > 8 { ", ..." } else { "" }
    )
}

fn shape_str(s: &[usize]) -> String {
    format!("{s:?}")
}

impl FloatNet {
    /// Resolves `arch`'s layers against `weights`, checking every tensor and shape.
    pub fn new(arch: &Arch, weights: &TensorMap) -> Result<Self, BuildError> {
        let input_shape: Vec<usize> = arch.input.shape.iter().map(|&d| d as usize).collect();
        let mut shape = input_shape.clone();
        let mut layers = Vec::with_capacity(arch.layers.len());
        for (i, layer) in arch.layers.iter().enumerate() {
            let lk = Lookup {
                map: weights,
                layer: i,
                kind: layer.kind(),
            };
            let (op, out_shape) = resolve(&lk, layer, &shape)?;
            layers.push(FloatLayer {
                kind: layer.kind(),
                op,
                in_shape: shape.clone(),
                out_shape: out_shape.clone(),
            });
            shape = out_shape;
        }
        Ok(Self {
            input_shape,
            layers,
        })
    }

    /// Number of input elements.
    pub fn input_len(&self) -> usize {
        self.input_shape.iter().product()
    }

    /// Shape of the output.
    pub fn output_shape(&self) -> &[usize] {
        self.layers
            .last()
            .map_or(&self.input_shape[..], |l| &l.out_shape[..])
    }

    /// Every layer's output for `input` (row-major, `input_len()` values).
    pub fn forward_all(&self, input: &[f32]) -> Vec<Vec<f32>> {
        assert_eq!(input.len(), self.input_len(), "input length");
        let mut outs: Vec<Vec<f32>> = Vec::with_capacity(self.layers.len());
        for (i, layer) in self.layers.iter().enumerate() {
            let x = if i == 0 { input } else { &outs[i - 1] };
            let y = apply(layer, x);
            outs.push(y);
        }
        outs
    }

    /// The output (logits) for `input`.
    pub fn forward(&self, input: &[f32]) -> Vec<f32> {
        let mut x = input.to_vec();
        for layer in &self.layers {
            x = apply(layer, &x);
        }
        x
    }
}

fn resolve(
    lk: &Lookup<'_>,
    layer: &Layer,
    shape: &[usize],
) -> Result<(FloatOp, Vec<usize>), BuildError> {
    let spatial = |what: &str| -> Result<[usize; 3], BuildError> {
        match shape {
            [1, c, h, w] => Ok([*c, *h, *w]),
            _ => Err(lk.layer_err(format!(
                "{what} needs a [1, C, H, W] input, got {}",
                shape_str(shape)
            ))),
        }
    };
    let bias = |name: &Option<String>, n: usize| -> Result<Vec<f32>, BuildError> {
        match name {
            Some(b) => lk.shaped("bias", b, &[n], || format!("[{n}]")),
            None => Ok(vec![0.0; n]),
        }
    };
    let pair = |v: &crate::arch::Ints, what: &str| -> Result<[usize; 2], BuildError> {
        let p = v.pair(what).map_err(|m| lk.layer_err(m))?;
        Ok([p[0] as usize, p[1] as usize])
    };
    let pad4 = |v: &crate::arch::Ints, four: bool| -> Result<[usize; 4], BuildError> {
        let p = v.padding(four).map_err(|m| lk.layer_err(m))?;
        Ok(p.map(|x| x as usize))
    };
    match layer {
        Layer::Linear {
            weight, bias: b, ..
        } => {
            let k = *shape.last().expect("rank ≥ 2");
            let t = lk.get("weight", weight)?;
            if t.shape.len() != 2 || t.shape[1] != k {
                return Err(lk.shape(
                    weight,
                    &t.shape,
                    format!(
                        "[out_features, {k}] (the input {} has {k} features)",
                        shape_str(shape)
                    ),
                ));
            }
            let n = t.shape[0];
            let w = t.data.clone();
            let mut out = shape.to_vec();
            *out.last_mut().expect("rank ≥ 2") = n;
            Ok((
                FloatOp::Linear {
                    weight: w,
                    bias: bias(b, n)?,
                    n,
                    k,
                },
                out,
            ))
        }
        Layer::Conv2d {
            weight,
            bias: b,
            stride,
            padding,
            dilation,
            groups,
            ..
        } => {
            let [c, h, w] = spatial("conv2d")?;
            let groups = *groups as usize;
            if groups == 0 || c % groups != 0 {
                return Err(lk.layer_err(format!(
                    "groups {groups} must divide the input channels {c}"
                )));
            }
            let t = lk.get("weight", weight)?;
            let cg = c / groups;
            if t.shape.len() != 4 || t.shape[1] != cg || t.shape[0] % groups != 0 || t.shape[0] == 0
            {
                return Err(lk.shape(
                    weight,
                    &t.shape,
                    format!(
                        "[out_channels (a multiple of {groups}), {cg}, kh, kw] (input {} with \
                         {c} channels, groups {groups})",
                        shape_str(shape)
                    ),
                ));
            }
            let o = t.shape[0];
            let window = Window {
                kernel: [t.shape[2], t.shape[3]],
                stride: pair(stride, "stride")?,
                pad: pad4(padding, true)?,
                dilation: pair(dilation, "dilation")?,
            };
            if window.stride.contains(&0) || window.dilation.contains(&0) {
                return Err(lk.layer_err("stride and dilation must be ≥ 1"));
            }
            let (oh, ow) = match (window.out_size(0, h), window.out_size(1, w)) {
                (Some(a), Some(b)) => (a, b),
                _ => {
                    return Err(lk.layer_err(format!(
                        "a {}×{} kernel (dilation {:?}, padding {:?}) does not fit the input {}",
                        window.kernel[0],
                        window.kernel[1],
                        window.dilation,
                        window.pad,
                        shape_str(shape)
                    )))
                }
            };
            Ok((
                FloatOp::Conv2d {
                    weight: t.data.clone(),
                    bias: bias(b, o)?,
                    out_channels: o,
                    groups,
                    window,
                },
                vec![1, o, oh, ow],
            ))
        }
        Layer::Batchnorm2d {
            weight,
            bias: b,
            running_mean,
            running_var,
            eps,
        } => {
            let [c, _, _] = spatial("batchnorm2d")?;
            let expected = || format!("[{c}] (the input has {c} channels)");
            let gamma = match weight {
                Some(g) => lk.shaped("weight", g, &[c], expected)?,
                None => vec![1.0; c],
            };
            let beta = bias(b, c)?;
            let mean = lk.shaped("running_mean", running_mean, &[c], expected)?;
            let var = lk.shaped("running_var", running_var, &[c], expected)?;
            if let Some(i) = var.iter().position(|&v| v < 0.0) {
                return Err(lk.values(
                    running_var,
                    format!("has a negative variance {} at channel {i}", var[i]),
                ));
            }
            if !(eps.is_finite() && *eps >= 0.0) {
                return Err(lk.layer_err(format!("eps {eps} must be finite and ≥ 0")));
            }
            Ok((
                FloatOp::BatchNorm {
                    gamma,
                    beta,
                    mean,
                    var,
                    eps: *eps,
                },
                shape.to_vec(),
            ))
        }
        Layer::Relu {} => Ok((FloatOp::Relu, shape.to_vec())),
        Layer::Prelu { weight, .. } => {
            let c = shape[1];
            let t = lk.get("weight", weight)?;
            if !(t.shape == [c] || t.shape == [1]) {
                return Err(lk.shape(
                    weight,
                    &t.shape,
                    format!(
                        "[1] or [{c}] (one slope, or one per channel of {})",
                        shape_str(shape)
                    ),
                ));
            }
            Ok((
                FloatOp::Prelu {
                    slope: t.data.clone(),
                },
                shape.to_vec(),
            ))
        }
        Layer::Maxpool2d {
            kernel,
            stride,
            padding,
        }
        | Layer::Avgpool2d {
            kernel: Some(kernel),
            global: false,
            stride,
            padding,
            ..
        } => {
            let [c, h, w] = spatial(layer.kind())?;
            let kernel = pair(kernel, "kernel")?;
            let window = Window {
                kernel,
                stride: match stride {
                    Some(s) => pair(s, "stride")?,
                    None => kernel,
                },
                pad: pad4(padding, false)?,
                dilation: [1, 1],
            };
            if kernel.contains(&0) || window.stride.contains(&0) {
                return Err(lk.layer_err("kernel and stride must be ≥ 1"));
            }
            if window.pad[0] >= kernel[0] || window.pad[1] >= kernel[1] {
                return Err(lk.layer_err(format!(
                    "padding {:?} must be smaller than the kernel {kernel:?}",
                    &window.pad[..2]
                )));
            }
            let (oh, ow) = match (window.out_size(0, h), window.out_size(1, w)) {
                (Some(a), Some(b)) => (a, b),
                _ => {
                    return Err(lk.layer_err(format!(
                        "a {kernel:?} window does not fit the input {}",
                        shape_str(shape)
                    )))
                }
            };
            let op = match layer {
                Layer::Avgpool2d {
                    count_include_pad, ..
                } => FloatOp::AvgPool {
                    window,
                    count_include_pad: *count_include_pad,
                },
                _ => FloatOp::MaxPool(window),
            };
            Ok((op, vec![1, c, oh, ow]))
        }
        Layer::Avgpool2d { kernel, global, .. } => {
            let [c, h, w] = spatial("avgpool2d")?;
            if kernel.is_some() || !*global {
                return Err(lk.layer_err("give either kernel or global = true"));
            }
            Ok((
                FloatOp::AvgPool {
                    window: Window {
                        kernel: [h, w],
                        stride: [1, 1],
                        pad: [0; 4],
                        dilation: [1, 1],
                    },
                    count_include_pad: false,
                },
                vec![1, c, 1, 1],
            ))
        }
        Layer::Flatten { permute } => {
            let permute = match permute {
                Some(p) => {
                    let mut sorted: Vec<usize> = p.iter().map(|&a| a as usize).collect();
                    sorted.sort_unstable();
                    if sorted != (0..shape.len()).collect::<Vec<_>>() {
                        return Err(lk.layer_err(format!(
                            "permute {p:?} is not a permutation of the {} axes of {}",
                            shape.len(),
                            shape_str(shape)
                        )));
                    }
                    Some(p.iter().map(|&a| a as usize).collect())
                }
                None => None,
            };
            let n: usize = shape.iter().product();
            Ok((FloatOp::Flatten { permute }, vec![1, n]))
        }
    }
}

/// Applies one layer to `x` (of `layer.in_shape`).
fn apply(layer: &FloatLayer, x: &[f32]) -> Vec<f32> {
    let s = &layer.in_shape;
    match &layer.op {
        FloatOp::Linear { weight, bias, n, k } => {
            let rows = x.len() / k;
            let mut y = vec![0f32; rows * n];
            for r in 0..rows {
                let xr = &x[r * k..(r + 1) * k];
                for j in 0..*n {
                    let wr = &weight[j * k..(j + 1) * k];
                    let mut acc = 0f32;
                    for (a, b) in xr.iter().zip(wr) {
                        acc += a * b;
                    }
                    y[r * n + j] = acc + bias[j];
                }
            }
            y
        }
        FloatOp::Conv2d {
            weight,
            bias,
            out_channels,
            groups,
            window,
        } => {
            let (c, h, w) = (s[1], s[2], s[3]);
            let (oh, ow) = (layer.out_shape[2], layer.out_shape[3]);
            let (kh, kw) = (window.kernel[0], window.kernel[1]);
            let cg = c / groups;
            let og = out_channels / groups;
            let mut y = vec![0f32; out_channels * oh * ow];
            for o in 0..*out_channels {
                let g = o / og;
                for py in 0..oh {
                    for px in 0..ow {
                        let mut acc = 0f32;
                        for ci in 0..cg {
                            let ic = g * cg + ci;
                            for ky in 0..kh {
                                let Some(iy) = window.at(0, py, ky, h) else {
                                    continue;
                                };
                                for kx in 0..kw {
                                    let Some(ix) = window.at(1, px, kx, w) else {
                                        continue;
                                    };
                                    acc += x[(ic * h + iy) * w + ix]
                                        * weight[((o * cg + ci) * kh + ky) * kw + kx];
                                }
                            }
                        }
                        y[(o * oh + py) * ow + px] = acc + bias[o];
                    }
                }
            }
            y
        }
        FloatOp::BatchNorm {
            gamma,
            beta,
            mean,
            var,
            eps,
        } => {
            let plane = s[2..].iter().product::<usize>();
            let mut y = x.to_vec();
            for ch in 0..s[1] {
                let alpha = gamma[ch] / (var[ch] + *eps as f32).sqrt();
                let shift = beta[ch] - mean[ch] * alpha;
                for v in &mut y[ch * plane..(ch + 1) * plane] {
                    *v = *v * alpha + shift;
                }
            }
            y
        }
        FloatOp::Relu => x.iter().map(|&v| v.max(0.0)).collect(),
        FloatOp::Prelu { slope } => {
            let plane = s[2..].iter().product::<usize>();
            x.iter()
                .enumerate()
                .map(|(i, &v)| {
                    let a = if slope.len() == 1 {
                        slope[0]
                    } else {
                        slope[(i / plane) % s[1]]
                    };
                    if v > 0.0 {
                        v
                    } else {
                        a * v
                    }
                })
                .collect()
        }
        FloatOp::MaxPool(window) | FloatOp::AvgPool { window, .. } => {
            let (c, h, w) = (s[1], s[2], s[3]);
            let (oh, ow) = (layer.out_shape[2], layer.out_shape[3]);
            let mut y = vec![0f32; c * oh * ow];
            for ch in 0..c {
                for py in 0..oh {
                    for px in 0..ow {
                        let (mut mx, mut sum, mut count) = (f32::NEG_INFINITY, 0f32, 0usize);
                        for ky in 0..window.kernel[0] {
                            let Some(iy) = window.at(0, py, ky, h) else {
                                continue;
                            };
                            for kx in 0..window.kernel[1] {
                                let Some(ix) = window.at(1, px, kx, w) else {
                                    continue;
                                };
                                let v = x[(ch * h + iy) * w + ix];
                                mx = mx.max(v);
                                sum += v;
                                count += 1;
                            }
                        }
                        y[(ch * oh + py) * ow + px] = match &layer.op {
                            FloatOp::AvgPool {
                                count_include_pad: true,
                                ..
                            } => sum / (window.kernel[0] * window.kernel[1]) as f32,
                            FloatOp::AvgPool { .. } => sum / count as f32,
                            _ => mx,
                        };
                    }
                }
            }
            y
        }
        FloatOp::Flatten { permute } => match permute {
            None => x.to_vec(),
            Some(perm) => permute_axes(x, s, perm),
        },
    }
}

/// `out[i_0..i_r] = x[j]` where output axis `a` is input axis `perm[a]`.
pub(crate) fn permute_axes(x: &[f32], shape: &[usize], perm: &[usize]) -> Vec<f32> {
    let rank = shape.len();
    let mut in_strides = vec![1usize; rank];
    for a in (0..rank.saturating_sub(1)).rev() {
        in_strides[a] = in_strides[a + 1] * shape[a + 1];
    }
    let out_shape: Vec<usize> = perm.iter().map(|&p| shape[p]).collect();
    let mut y = Vec::with_capacity(x.len());
    let mut idx = vec![0usize; rank];
    for _ in 0..x.len() {
        let src: usize = (0..rank).map(|a| idx[a] * in_strides[perm[a]]).sum();
        y.push(x[src]);
        for a in (0..rank).rev() {
            idx[a] += 1;
            if idx[a] < out_shape[a] {
                break;
            }
            idx[a] = 0;
        }
    }
    y
}
