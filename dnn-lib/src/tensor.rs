//! Tensor descriptions: element type, shape and quantization (docs/spec.md §8.1), and borrowed
//! views of tensor bytes (row-major, little-endian).

use alloc::vec::Vec;
use core::fmt;

use crate::codec::{DecodeError, Reader, Writer};
use crate::quant::Requant;

/// Largest tensor, in bytes: one VM memory slot (a depth-23 tree of 32-byte leaves).
pub const MAX_TENSOR_BYTES: u64 = 1 << 28;
/// Largest rank.
pub const MAX_RANK: usize = 6;

/// Element type. Values are stored little-endian, two's complement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum DType {
    /// Signed 8-bit.
    I8 = 0,
    /// Signed 16-bit.
    I16 = 1,
    /// Signed 32-bit.
    I32 = 2,
}

impl DType {
    /// Bytes per element.
    pub const fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 => 2,
            DType::I32 => 4,
        }
    }

    /// Smallest value.
    pub const fn min(self) -> i32 {
        match self {
            DType::I8 => i8::MIN as i32,
            DType::I16 => i16::MIN as i32,
            DType::I32 => i32::MIN,
        }
    }

    /// Largest value.
    pub const fn max(self) -> i32 {
        match self {
            DType::I8 => i8::MAX as i32,
            DType::I16 => i16::MAX as i32,
            DType::I32 => i32::MAX,
        }
    }

    /// The type with code `code`.
    pub const fn from_code(code: u32) -> Option<Self> {
        match code {
            0 => Some(DType::I8),
            1 => Some(DType::I16),
            2 => Some(DType::I32),
            _ => None,
        }
    }

    /// Its lower-case name.
    pub const fn name(self) -> &'static str {
        match self {
            DType::I8 => "i8",
            DType::I16 => "i16",
            DType::I32 => "i32",
        }
    }

    /// `v` clamped to this type's range.
    pub const fn saturate(self, v: i64) -> i32 {
        let (lo, hi) = (self.min() as i64, self.max() as i64);
        (if v < lo {
            lo
        } else if v > hi {
            hi
        } else {
            v
        }) as i32
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Quantization of a tensor: `real = scale · (q − zero_point)`, `scale` as a [`Requant`]
/// (a zero multiplier means "no scale", as for raw accumulators and indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Quant {
    /// Fixed-point scale.
    pub scale: Requant,
    /// The integer that represents real zero; within the dtype's range.
    pub zero_point: i32,
}

/// Element type, shape and quantization of a tensor.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TensorInfo {
    /// Element type.
    pub dtype: DType,
    /// Dimensions, outermost first; each ≥ 1; at most [`MAX_RANK`]. Rank 0 is a scalar.
    pub shape: Vec<u32>,
    /// Quantization.
    pub quant: Quant,
}

/// Why a [`TensorInfo`] is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// More than [`MAX_RANK`] dimensions.
    RankTooLarge(usize),
    /// A dimension is zero.
    ZeroDimension,
    /// More than [`MAX_TENSOR_BYTES`] bytes.
    TooLarge(u64),
    /// The zero point is outside the dtype's range.
    ZeroPointOutOfRange(i32),
    /// The scale's shift is outside the allowed range.
    InvalidScale,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeError::RankTooLarge(r) => write!(f, "rank {r} exceeds {MAX_RANK}"),
            ShapeError::ZeroDimension => f.write_str("a dimension is zero"),
            ShapeError::TooLarge(b) => {
                write!(f, "{b} bytes exceed the {MAX_TENSOR_BYTES}-byte limit")
            }
            ShapeError::ZeroPointOutOfRange(z) => write!(f, "zero point {z} is outside the dtype"),
            ShapeError::InvalidScale => f.write_str("scale shift out of range"),
        }
    }
}

impl TensorInfo {
    /// A tensor of `dtype` and `shape` with the given quantization.
    pub fn new(dtype: DType, shape: &[u32], quant: Quant) -> Self {
        Self {
            dtype,
            shape: shape.to_vec(),
            quant,
        }
    }

    /// A tensor without quantization (zero scale, zero point 0).
    pub fn raw(dtype: DType, shape: &[u32]) -> Self {
        Self::new(dtype, shape, Quant::default())
    }

    /// Checks the limits of [`ShapeError`].
    pub fn validate(&self) -> Result<(), ShapeError> {
        if self.shape.len() > MAX_RANK {
            return Err(ShapeError::RankTooLarge(self.shape.len()));
        }
        if self.shape.contains(&0) {
            return Err(ShapeError::ZeroDimension);
        }
        let mut bytes = self.dtype.size() as u64;
        for &d in &self.shape {
            bytes = bytes.saturating_mul(d as u64);
        }
        if bytes > MAX_TENSOR_BYTES {
            return Err(ShapeError::TooLarge(bytes));
        }
        if self.quant.zero_point < self.dtype.min() || self.quant.zero_point > self.dtype.max() {
            return Err(ShapeError::ZeroPointOutOfRange(self.quant.zero_point));
        }
        if !self.quant.scale.is_valid() {
            return Err(ShapeError::InvalidScale);
        }
        Ok(())
    }

    /// Number of elements (valid after [`validate`](Self::validate): at most 2^28).
    pub fn len(&self) -> usize {
        self.shape.iter().map(|&d| d as usize).product()
    }

    /// Whether the tensor has no elements (never, for a validated tensor).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Size in bytes.
    pub fn byte_len(&self) -> usize {
        self.len() * self.dtype.size()
    }

    /// The last dimension (1 for a scalar).
    pub fn last_dim(&self) -> usize {
        self.shape.last().map_or(1, |&d| d as usize)
    }

    /// Encodes the canonical bytes (docs/spec.md §8.3).
    pub fn encode(&self, w: &mut Writer) {
        w.u32(self.dtype as u32);
        w.u32(self.shape.len() as u32);
        for &d in &self.shape {
            w.u32(d);
        }
        w.i32(self.quant.zero_point);
        w.i32(self.quant.scale.multiplier);
        w.i32(self.quant.scale.shift);
    }

    /// Decodes and validates.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let code = r.u32()?;
        let dtype = DType::from_code(code).ok_or(DecodeError::UnknownDType(code))?;
        let rank = r.u32()? as usize;
        if rank > MAX_RANK {
            return Err(DecodeError::Shape(ShapeError::RankTooLarge(rank)));
        }
        let mut shape = Vec::with_capacity(rank);
        for _ in 0..rank {
            shape.push(r.u32()?);
        }
        let zero_point = r.i32()?;
        let scale = Requant {
            multiplier: r.i32()?,
            shift: r.i32()?,
        };
        let info = Self {
            dtype,
            shape,
            quant: Quant { scale, zero_point },
        };
        info.validate().map_err(DecodeError::Shape)?;
        Ok(info)
    }
}

impl fmt::Display for TensorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[", self.dtype)?;
        for (i, d) in self.shape.iter().enumerate() {
            if i > 0 {
                f.write_str("×")?;
            }
            write!(f, "{d}")?;
        }
        f.write_str("]")
    }
}

/// A tensor's description and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct TensorRef<'a> {
    /// What the bytes are.
    pub info: &'a TensorInfo,
    /// Exactly `info.byte_len()` bytes.
    pub data: &'a [u8],
}

impl<'a> TensorRef<'a> {
    /// Element `i` widened to i32.
    #[inline(always)]
    pub fn get(&self, i: usize) -> i32 {
        read_elem(self.info.dtype, self.data, i)
    }

    /// Element `i` minus the zero point (as i32, wrapping).
    #[inline(always)]
    pub fn centered(&self, i: usize) -> i32 {
        self.get(i).wrapping_sub(self.info.quant.zero_point)
    }
}

/// Element `i` of little-endian `data` of type `dtype`, widened to i32.
#[inline(always)]
pub fn read_elem(dtype: DType, data: &[u8], i: usize) -> i32 {
    match dtype {
        DType::I8 => data[i] as i8 as i32,
        DType::I16 => i16::from_le_bytes([data[2 * i], data[2 * i + 1]]) as i32,
        DType::I32 => i32::from_le_bytes([
            data[4 * i],
            data[4 * i + 1],
            data[4 * i + 2],
            data[4 * i + 3],
        ]),
    }
}

/// Writes `v` (already in range) as element `i` of `out`.
#[inline(always)]
pub fn write_elem(dtype: DType, out: &mut [u8], i: usize, v: i32) {
    match dtype {
        DType::I8 => out[i] = v as i8 as u8,
        DType::I16 => out[2 * i..2 * i + 2].copy_from_slice(&(v as i16).to_le_bytes()),
        DType::I32 => out[4 * i..4 * i + 4].copy_from_slice(&v.to_le_bytes()),
    }
}

/// Row-major strides of `shape`, in elements.
pub fn strides(shape: &[u32]) -> Vec<usize> {
    let mut s = alloc::vec![1usize; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1] as usize;
    }
    s
}
