//! Architecture descriptions of MLP and CNN classifiers: a small TOML file that lists the
//! layers in order with the state-dict names of their tensors (format in `converter/README.md`).
//!
//! ```
//! let arch = opml_converter::arch::Arch::parse(r#"
//!     name = "tiny"
//!     [input]
//!     shape = [1, 4]
//!     scale = 0.05
//!     zero_point = 0
//!     [[layers]]
//!     type = "linear"
//!     weight = "fc.weight"
//!     bias = "fc.bias"
//! "#)?;
//! assert_eq!(arch.layers.len(), 1);
//! # Ok::<(), opml_converter::BuildError>(())
//! ```

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::error::BuildError;

/// A classifier: input, quantization settings and layers, in order.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Arch {
    /// Name recorded in the model's metadata.
    #[serde(default = "default_name")]
    pub name: String,
    /// Class names, one per output (recorded in the metadata; optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    /// The input tensor.
    pub input: InputSpec,
    /// How activations are quantized.
    #[serde(default)]
    pub quantization: QuantSpec,
    /// The layers, applied in order.
    pub layers: Vec<Layer>,
}

fn default_name() -> String {
    "classifier".into()
}

/// The model input: shape (batch 1 first) and quantization.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Dimensions, batch first (`[1, features]` for an MLP, `[1, C, H, W]` for a CNN).
    pub shape: Vec<u32>,
    /// Real value of one integer step, or `"calibrate"` (from the calibration inputs' range).
    #[serde(default)]
    pub scale: ScaleSpec,
    /// The integer of real zero; required with a numeric scale, computed when calibrating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_point: Option<i32>,
    /// Element type of the input (default: the quantization's `activations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtype: Option<ActDType>,
}

/// A fixed input scale or calibration.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum ScaleSpec {
    /// Computed from the calibration inputs' range.
    #[default]
    Calibrate,
    /// Given.
    Fixed(f64),
}

impl Serialize for ScaleSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ScaleSpec::Calibrate => s.serialize_str("calibrate"),
            ScaleSpec::Fixed(v) => s.serialize_f64(*v),
        }
    }
}

impl<'de> Deserialize<'de> for ScaleSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ScaleSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a positive number or \"calibrate\"")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScaleSpec, E> {
                if v.is_finite() && v > 0.0 {
                    Ok(ScaleSpec::Fixed(v))
                } else {
                    Err(E::custom(format!("scale {v} must be positive and finite")))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScaleSpec, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScaleSpec, E> {
                self.visit_f64(v as f64)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScaleSpec, E> {
                if v == "calibrate" {
                    Ok(ScaleSpec::Calibrate)
                } else {
                    Err(E::custom(format!(
                        "scale \"{v}\": expected a positive number or \"calibrate\""
                    )))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Element type of an activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActDType {
    /// int8, asymmetric (zero point anywhere in −128..=127).
    #[default]
    I8,
    /// int16, symmetric (zero point 0).
    I16,
}

impl ActDType {
    /// The tensor element type.
    pub fn dtype(self) -> opml_dnn::tensor::DType {
        match self {
            ActDType::I8 => opml_dnn::tensor::DType::I8,
            ActDType::I16 => opml_dnn::tensor::DType::I16,
        }
    }
}

/// How the range of an activation is taken from the calibration outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Calibration {
    /// The smallest and largest value seen.
    #[default]
    MinMax,
    /// The `percentile`-th and `(100 − percentile)`-th percentiles of all values seen.
    Percentile,
}

/// Activation quantization settings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuantSpec {
    /// Default activation type of every layer that computes new values (linear, conv2d, prelu).
    #[serde(default)]
    pub activations: ActDType,
    /// Range estimator.
    #[serde(default)]
    pub calibration: Calibration,
    /// Upper percentile for `calibration = "percentile"`, in (50, 100].
    #[serde(default = "default_percentile")]
    pub percentile: f64,
    /// Inputs drawn uniformly over the input's range when no calibration samples are given
    /// (needs a fixed input scale).
    #[serde(default = "default_synthetic")]
    pub synthetic_samples: u32,
}

fn default_percentile() -> f64 {
    99.99
}

fn default_synthetic() -> u32 {
    256
}

impl Default for QuantSpec {
    fn default() -> Self {
        Self {
            activations: ActDType::I8,
            calibration: Calibration::MinMax,
            percentile: default_percentile(),
            synthetic_samples: default_synthetic(),
        }
    }
}

/// One layer. Tensor fields hold state-dict names.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Layer {
    /// `y = x·Wᵀ + b` over the last axis; weight `[out, in]`, bias `[out]`.
    Linear {
        /// Weight name.
        weight: String,
        /// Bias name (none: no bias).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bias: Option<String>,
        /// Output activation type (default: `quantization.activations`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dtype: Option<ActDType>,
    },
    /// 2-D convolution over `[1, C, H, W]`; weight `[O, C/groups, KH, KW]`, bias `[O]`.
    Conv2d {
        /// Weight name.
        weight: String,
        /// Bias name (none: no bias).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bias: Option<String>,
        /// `s` or `[sh, sw]` (default 1).
        #[serde(default = "one")]
        stride: Ints,
        /// `p`, `[ph, pw]` or `[top, left, bottom, right]` (default 0), zero padding.
        #[serde(default = "zero")]
        padding: Ints,
        /// `d` or `[dh, dw]` (default 1).
        #[serde(default = "one")]
        dilation: Ints,
        /// Channel groups (default 1; the input channel count for depthwise).
        #[serde(default = "one_u32")]
        groups: u32,
        /// Output activation type (default: `quantization.activations`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dtype: Option<ActDType>,
    },
    /// Batch normalization (inference: running statistics), folded into the conv2d before it.
    Batchnorm2d {
        /// Gamma name (none: 1).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weight: Option<String>,
        /// Beta name (none: 0).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bias: Option<String>,
        /// Running mean name.
        running_mean: String,
        /// Running variance name.
        running_var: String,
        /// Added to the variance (default 1e-5, PyTorch's).
        #[serde(default = "default_eps")]
        eps: f64,
    },
    /// `max(x, 0)`; fused into the linear or conv2d (+ batchnorm2d) before it when there is one.
    Relu {},
    /// `max(x, 0) + a·min(x, 0)` with one slope or one per channel (axis 1).
    Prelu {
        /// Slope name: `[1]` or `[C]`.
        weight: String,
        /// Output activation type (default: `quantization.activations`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dtype: Option<ActDType>,
    },
    /// Max pooling; padding never wins (PyTorch pads with −∞).
    Maxpool2d {
        /// `k` or `[kh, kw]`.
        kernel: Ints,
        /// Default: the kernel.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stride: Option<Ints>,
        /// `p` or `[ph, pw]` (default 0).
        #[serde(default = "zero")]
        padding: Ints,
    },
    /// Average pooling, or global average pooling with `global = true`.
    Avgpool2d {
        /// `k` or `[kh, kw]`; not with `global`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kernel: Option<Ints>,
        /// The whole plane (`AdaptiveAvgPool2d(1)`).
        #[serde(default)]
        global: bool,
        /// Default: the kernel.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stride: Option<Ints>,
        /// `p` or `[ph, pw]` (default 0).
        #[serde(default = "zero")]
        padding: Ints,
        /// Divide by the whole window, padding included (PyTorch's default: true).
        #[serde(default = "yes")]
        count_include_pad: bool,
    },
    /// `[1, ...]` → `[1, n]`, after permuting the axes by `permute` when given (e.g.
    /// `[0, 2, 3, 1]` for a linear layer trained on NHWC-flattened features).
    Flatten {
        /// Axis permutation applied first (over all axes, batch included).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        permute: Option<Vec<u32>>,
    },
}

fn one() -> Ints {
    Ints(vec![1])
}
fn zero() -> Ints {
    Ints(vec![0])
}
fn one_u32() -> u32 {
    1
}
fn yes() -> bool {
    true
}
fn default_eps() -> f64 {
    1e-5
}

impl Layer {
    /// The layer type as written in the file.
    pub fn kind(&self) -> &'static str {
        match self {
            Layer::Linear { .. } => "linear",
            Layer::Conv2d { .. } => "conv2d",
            Layer::Batchnorm2d { .. } => "batchnorm2d",
            Layer::Relu {} => "relu",
            Layer::Prelu { .. } => "prelu",
            Layer::Maxpool2d { .. } => "maxpool2d",
            Layer::Avgpool2d { .. } => "avgpool2d",
            Layer::Flatten { .. } => "flatten",
        }
    }
}

/// A non-negative integer or a list of them (`stride = 2`, `padding = [1, 0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ints(pub Vec<u32>);

impl Ints {
    /// `[h, w]` from `n` or `[h, w]`.
    pub fn pair(&self, what: &str) -> Result<[u32; 2], String> {
        match self.0[..] {
            [v] => Ok([v, v]),
            [h, w] => Ok([h, w]),
            _ => Err(format!(
                "{what} must be an integer or [h, w], got {:?}",
                self.0
            )),
        }
    }

    /// `[top, left, bottom, right]` from `p`, `[ph, pw]` or all four.
    pub fn padding(&self, four_allowed: bool) -> Result<[u32; 4], String> {
        match self.0[..] {
            [p] => Ok([p; 4]),
            [h, w] => Ok([h, w, h, w]),
            [t, l, b, r] if four_allowed => Ok([t, l, b, r]),
            _ if four_allowed => Err(format!(
                "padding must be an integer, [h, w] or [top, left, bottom, right], got {:?}",
                self.0
            )),
            _ => Err(format!(
                "padding must be an integer or [h, w], got {:?}",
                self.0
            )),
        }
    }
}

impl Serialize for Ints {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0[..] {
            [v] => s.serialize_u32(v),
            _ => self.0.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Ints {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ints;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer or a list of them")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Ints, E> {
                u32::try_from(v)
                    .map(|v| Ints(vec![v]))
                    .map_err(|_| E::custom(format!("{v} is not a non-negative 32-bit integer")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Ints, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(-1))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ints, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<u32>()? {
                    out.push(v);
                }
                if out.is_empty() || out.len() > 4 {
                    return Err(de::Error::custom(format!(
                        "a list of 1 to 4 integers, got {}",
                        out.len()
                    )));
                }
                Ok(Ints(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Arch {
    /// Parses and checks an architecture description.
    pub fn parse(text: &str) -> Result<Self, BuildError> {
        Self::parse_named(text, "architecture")
    }

    /// Reads, parses and checks an architecture file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, BuildError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| BuildError::Arch {
            what: path.display().to_string(),
            msg: e.to_string(),
        })?;
        Self::parse_named(&text, &path.display().to_string())
    }

    fn parse_named(text: &str, what: &str) -> Result<Self, BuildError> {
        let arch: Arch = toml::from_str(text).map_err(|e| BuildError::Arch {
            what: what.to_string(),
            msg: e.to_string().trim_end().to_string(),
        })?;
        arch.check().map_err(|msg| BuildError::Arch {
            what: what.to_string(),
            msg,
        })?;
        Ok(arch)
    }

    /// Checks what does not depend on the weights.
    pub fn check(&self) -> Result<(), String> {
        let shape = &self.input.shape;
        if shape.is_empty() || shape.len() > 4 || shape[0] != 1 || shape.contains(&0) {
            return Err(format!(
                "input.shape {shape:?}: expected a batch of 1 first, rank 2 to 4, no zero dimension"
            ));
        }
        if shape.len() < 2 {
            return Err(format!("input.shape {shape:?}: rank must be at least 2"));
        }
        let dtype = self.input.dtype.unwrap_or(self.quantization.activations);
        match (self.input.scale, self.input.zero_point) {
            (ScaleSpec::Fixed(_), None) => {
                return Err("input.zero_point is required with a numeric input.scale".into())
            }
            (ScaleSpec::Calibrate, Some(_)) => {
                return Err(
                    "input.zero_point is computed when input.scale = \"calibrate\"; remove it"
                        .into(),
                )
            }
            (ScaleSpec::Fixed(_), Some(z)) => {
                let dt = dtype.dtype();
                if z < dt.min() || z > dt.max() {
                    return Err(format!("input.zero_point {z} is outside {dt}"));
                }
            }
            (ScaleSpec::Calibrate, None) => {}
        }
        let p = self.quantization.percentile;
        if !(p > 50.0 && p <= 100.0) {
            return Err(format!("quantization.percentile {p} must be in (50, 100]"));
        }
        if self.layers.is_empty() {
            return Err("no layers".into());
        }
        Ok(())
    }
}
