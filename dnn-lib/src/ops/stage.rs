//! The output stage shared by the accumulating ops: requantize, add the output zero point,
//! clamp (docs/spec.md §8.4, "Output stage").

use crate::codec::{DecodeError, Reader, Writer};
use crate::quant::Requant;
use crate::tensor::{DType, TensorInfo};

/// `clamp(requant(acc) + zero_point, max(lo, dtype.min), min(hi, dtype.max))`. A fused ReLU is
/// `lo = zero_point`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputStage {
    /// Per-tensor multiplier (ops with per-channel multipliers take them from an input).
    pub requant: Requant,
    /// Lower clamp, before intersecting with the dtype's range.
    pub lo: i32,
    /// Upper clamp, before intersecting with the dtype's range.
    pub hi: i32,
}

impl OutputStage {
    /// Requantize with `requant` and clamp only to the dtype.
    pub const fn new(requant: Requant) -> Self {
        Self {
            requant,
            lo: i32::MIN,
            hi: i32::MAX,
        }
    }

    /// The stage with the lower clamp at the zero point of `output` (a fused ReLU).
    pub fn relu(self, output: &TensorInfo) -> Self {
        Self {
            lo: output.quant.zero_point,
            ..self
        }
    }

    /// The final value for accumulator `acc` with multiplier `requant`.
    #[inline(always)]
    pub fn finish(&self, acc: i32, requant: Requant, zero_point: i32, dtype: DType) -> i32 {
        let v = requant.apply(acc) as i64 + zero_point as i64;
        let lo = if self.lo > dtype.min() {
            self.lo
        } else {
            dtype.min()
        } as i64;
        let hi = if self.hi < dtype.max() {
            self.hi
        } else {
            dtype.max()
        } as i64;
        // lo > hi (an empty clamp) yields lo: still total and deterministic.
        (if v > hi { hi } else { v }).max(lo) as i32
    }

    /// Appends multiplier, shift, lo, hi.
    pub fn encode(&self, w: &mut Writer) {
        w.i32(self.requant.multiplier);
        w.i32(self.requant.shift);
        w.i32(self.lo);
        w.i32(self.hi);
    }

    /// Reads what [`encode`](Self::encode) wrote; rejects a shift out of range.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let requant = Requant {
            multiplier: r.i32()?,
            shift: r.i32()?,
        };
        if !requant.is_valid() {
            return Err(DecodeError::Invalid("requantization shift"));
        }
        Ok(Self {
            requant,
            lo: r.i32()?,
            hi: r.i32()?,
        })
    }
}

/// Reads a per-channel multiplier table: an i32 tensor `[channels, 2]` of (multiplier, shift).
#[inline(always)]
pub fn channel_requant(table: &[u8], channel: usize) -> Requant {
    let at = |i: usize| {
        i32::from_le_bytes([
            table[4 * i],
            table[4 * i + 1],
            table[4 * i + 2],
            table[4 * i + 3],
        ])
    };
    Requant {
        multiplier: at(2 * channel),
        shift: at(2 * channel + 1),
    }
}
