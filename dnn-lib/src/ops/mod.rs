//! The ops: parameters, shape rules and reference kernels (docs/spec.md §8.4).
//!
//! Every kernel computes any contiguous range of its output elements ([`Kernel::compute`]);
//! [`compute_bytes`] turns that into any contiguous range of output *bytes*. Kernels are pure
//! integer code with wrapping i32 accumulation: the guest links this very source.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use crate::codec::{DecodeError, Reader, Writer};
use crate::tensor::{TensorInfo, TensorRef};

pub mod binary;
pub mod conv;
pub mod embedding;
pub mod lut;
pub mod matmul;
pub mod norm;
pub mod pool;
pub mod reduce;
pub mod requantize;
pub mod rope;
pub mod shape;
pub mod softmax;
pub mod stage;
#[cfg(test)]
mod testutil;

pub use binary::{Binary, BinaryKind};
pub use conv::Conv2d;
pub use embedding::Embedding;
pub use lut::Lut;
pub use matmul::MatMul;
pub use norm::{Norm, NormKind};
pub use pool::{Pool2d, PoolKind};
pub use reduce::{ArgMax, ReduceMean};
pub use requantize::Requantize;
pub use rope::Rope;
pub use shape::{Concat, Reshape, Slice, Transpose};
pub use softmax::Softmax;
pub use stage::OutputStage;

/// Why an op does not accept its inputs or output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError(pub String);

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `Err(OpError(format!(...)))` unless `cond`.
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err($crate::ops::OpError(alloc::format!($($fmt)+)));
        }
    };
}
pub(crate) use ensure;

/// One op's parameters, shape rule and reference kernel.
pub trait Kernel: Sized {
    /// Short lower-case name.
    const NAME: &'static str;

    /// Checks the inputs and returns the output's shape; the output's dtype and quantization are
    /// checked by [`check_output`](Self::check_output).
    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError>;

    /// Op-specific rules on the output's dtype and quantization.
    fn check_output(&self, _inputs: &[&TensorInfo], _output: &TensorInfo) -> Result<(), OpError> {
        Ok(())
    }

    /// Writes output elements `range` into `dst` (exactly `range.len()` elements). Only called
    /// after the op was checked against these inputs and this output; never panics then.
    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    );

    /// Appends the canonical parameter bytes.
    fn encode(&self, w: &mut Writer);

    /// Reads the parameter bytes (the whole of `r`).
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

/// Requires exactly `n` inputs (or `n..=m`).
pub(crate) fn input_count(
    name: &str,
    inputs: &[&TensorInfo],
    range: core::ops::RangeInclusive<usize>,
) -> Result<(), OpError> {
    ensure!(
        range.contains(&inputs.len()),
        "{name}: {} inputs, expected {}..={}",
        inputs.len(),
        range.start(),
        range.end()
    );
    Ok(())
}

macro_rules! ops {
    ($($(#[$doc:meta])* $variant:ident($ty:ty) = $code:literal,)*) => {
        /// An op with its parameters. The numbers are the op codes of node descriptors.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Op {
            /// The graph's input (node 0 only); never computed.
            Input,
            $($(#[$doc])* $variant($ty),)*
        }

        impl Op {
            /// The op code.
            pub fn code(&self) -> u32 {
                match self {
                    Op::Input => 0,
                    $(Op::$variant(_) => $code,)*
                }
            }

            /// The op's name.
            pub fn name(&self) -> &'static str {
                match self {
                    Op::Input => "input",
                    $(Op::$variant(_) => <$ty as Kernel>::NAME,)*
                }
            }

            /// Appends the parameter bytes.
            pub fn encode_params(&self, w: &mut Writer) {
                match self {
                    Op::Input => {}
                    $(Op::$variant(p) => p.encode(w),)*
                }
            }

            /// Decodes the parameters of op `code` from all of `params`.
            pub fn decode_params(code: u32, params: &[u8]) -> Result<Self, DecodeError> {
                let mut r = Reader::new(params);
                let op = match code {
                    0 => Op::Input,
                    $($code => Op::$variant(<$ty as Kernel>::decode(&mut r)?),)*
                    _ => return Err(DecodeError::UnknownOp(code)),
                };
                r.finish()?;
                Ok(op)
            }

            /// The output shape for `inputs`.
            pub fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
                match self {
                    Op::Input => Err(OpError("input: has no computed shape".into())),
                    $(Op::$variant(p) => p.output_shape(inputs),)*
                }
            }

            /// Checks inputs and output.
            pub fn check(&self, inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
                match self {
                    Op::Input => {
                        ensure!(inputs.is_empty(), "input: takes no inputs");
                        Ok(())
                    }
                    $(Op::$variant(p) => {
                        let shape = p.output_shape(inputs)?;
                        ensure!(
                            shape == output.shape,
                            "{}: output shape {:?}, expected {:?}",
                            <$ty as Kernel>::NAME,
                            output.shape,
                            shape
                        );
                        p.check_output(inputs, output)
                    })*
                }
            }

            /// Computes output elements `range` into `dst`. Call only after [`check`](Self::check)
            /// succeeded for these inputs and this output.
            pub fn compute(
                &self,
                inputs: &[TensorRef<'_>],
                output: &TensorInfo,
                range: Range<usize>,
                dst: &mut [u8],
            ) {
                match self {
                    Op::Input => {}
                    $(Op::$variant(p) => p.compute(inputs, output, range, dst),)*
                }
            }
        }
    };
}

ops! {
    /// Batched matrix product with bias and requantization.
    MatMul(MatMul) = 1,
    /// 2-D convolution (NCHW) with padding, stride, dilation, groups, bias and requantization.
    Conv2d(Conv2d) = 2,
    /// 2-D max or average pooling (NCHW).
    Pool2d(Pool2d) = 3,
    /// Elementwise add or mul with broadcasting and rescaling.
    Binary(Binary) = 4,
    /// Rescale, change dtype and clamp (ReLU is a clamp at the zero point).
    Requantize(Requantize) = 5,
    /// Table lookup (i8) or interpolated table lookup (i16): the elementwise nonlinearities.
    Lut(Lut) = 6,
    /// Softmax over the last axis with an exponential table, optionally causal.
    Softmax(Softmax) = 7,
    /// Layer or RMS normalization over the last axis.
    Norm(Norm) = 8,
    /// Row lookup in an embedding table.
    Embedding(Embedding) = 9,
    /// Same bytes, another shape.
    Reshape(Reshape) = 10,
    /// Permutes axes.
    Transpose(Transpose) = 11,
    /// Joins inputs along an axis.
    Concat(Concat) = 12,
    /// A box of the input.
    Slice(Slice) = 13,
    /// Rotary position embedding (rotate_half pairing).
    Rope(Rope) = 14,
    /// Index of the largest element along the last axis.
    ArgMax(ArgMax) = 15,
    /// Mean along an axis, rescaled.
    ReduceMean(ReduceMean) = 16,
}

/// The output shape `op` gives for `inputs` (the graph input has none).
pub fn output_shape(op: &Op, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
    op.output_shape(inputs)
}

/// Computes output bytes `bytes` (any contiguous range within the output) into `dst`
/// (`bytes.len()` long): the elements that cover the range are computed and the requested bytes
/// copied out.
pub fn compute_bytes(
    op: &Op,
    inputs: &[TensorRef<'_>],
    output: &TensorInfo,
    bytes: Range<usize>,
    dst: &mut [u8],
) {
    let size = output.dtype.size();
    let first = bytes.start / size;
    let last = bytes.end.div_ceil(size);
    if bytes.start == first * size && bytes.end == last * size {
        op.compute(inputs, output, first..last, dst);
        return;
    }
    let mut tmp = vec![0u8; (last - first) * size];
    op.compute(inputs, output, first..last, &mut tmp);
    let skip = bytes.start - first * size;
    dst.copy_from_slice(&tmp[skip..skip + bytes.len()]);
}

/// The whole output of `op`.
pub fn compute_all(op: &Op, inputs: &[TensorRef<'_>], output: &TensorInfo) -> Vec<u8> {
    let mut out = vec![0u8; output.byte_len()];
    op.compute(inputs, output, 0..output.len(), &mut out);
    out
}

/// Checks that `output` has the same dtype and quantization as `input` (ops that move bytes).
pub(crate) fn same_type(
    name: &str,
    input: &TensorInfo,
    output: &TensorInfo,
) -> Result<(), OpError> {
    ensure!(
        input.dtype == output.dtype && input.quant == output.quant,
        "{name}: output must keep the input's dtype and quantization"
    );
    Ok(())
}

/// Formats a shape for error messages.
pub(crate) fn shape_str(shape: &[u32]) -> String {
    format!("{shape:?}")
}
