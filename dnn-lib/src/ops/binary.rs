//! Elementwise add and mul with numpy-style broadcasting and rescaling (docs/spec.md §8.4,
//! `binary`).

use alloc::vec::Vec;
use core::ops::Range;

use super::stage::OutputStage;
use super::{ensure, input_count, shape_str, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::quant::{saturating_shift_left, Requant};
use crate::tensor::{strides, write_elem, TensorInfo, TensorRef};

/// Add or mul.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryKind {
    /// `stage(ra(sat(a − za) << s) + rb(sat(b − zb) << s))` (TFLite's quantized add).
    Add = 0,
    /// `stage((a − za)(b − zb))`, wrapping.
    Mul = 1,
}

/// An elementwise binary op. Shapes broadcast as in numpy: aligned at the last axis, a
/// dimension of 1 (or a missing one) repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    /// Add or mul.
    pub kind: BinaryKind,
    /// Add only: the left shift applied to both centered inputs before rescaling (0..=20).
    pub left_shift: u32,
    /// Add only: the multiplier of A.
    pub a_requant: Requant,
    /// Add only: the multiplier of B.
    pub b_requant: Requant,
    /// Output requantization and clamp.
    pub stage: OutputStage,
}

/// The numpy broadcast of two shapes.
pub fn broadcast_shape(a: &[u32], b: &[u32]) -> Option<Vec<u32>> {
    let rank = a.len().max(b.len());
    let dim = |s: &[u32], i: usize| {
        if i + s.len() >= rank {
            s[i + s.len() - rank]
        } else {
            1
        }
    };
    (0..rank)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// Element strides of `shape` seen through the broadcast to rank `rank` (0 where it repeats).
pub(crate) fn broadcast_strides(shape: &[u32], out: &[u32]) -> Vec<usize> {
    let own = strides(shape);
    let pad = out.len() - shape.len();
    (0..out.len())
        .map(|i| {
            if i < pad || shape[i - pad] == 1 {
                0
            } else {
                own[i - pad]
            }
        })
        .collect()
}

impl Kernel for Binary {
    const NAME: &'static str = "binary";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 2..=2)?;
        let (a, b) = (inputs[0], inputs[1]);
        ensure!(
            self.left_shift <= 20,
            "binary: left shift {} exceeds 20",
            self.left_shift
        );
        broadcast_shape(&a.shape, &b.shape).ok_or_else(|| {
            OpError(alloc::format!(
                "binary: shapes {} and {} do not broadcast",
                shape_str(&a.shape),
                shape_str(&b.shape)
            ))
        })
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let (a, b) = (inputs[0], inputs[1]);
        let out_strides = strides(&output.shape);
        let sa = broadcast_strides(&a.info.shape, &output.shape);
        let sb = broadcast_strides(&b.info.shape, &output.shape);
        for (slot, idx) in range.enumerate() {
            let (mut ia, mut ib, mut rest) = (0, 0, idx);
            for d in 0..out_strides.len() {
                let coord = rest / out_strides[d];
                rest %= out_strides[d];
                ia += coord * sa[d];
                ib += coord * sb[d];
            }
            let (x, y) = (a.centered(ia), b.centered(ib));
            let acc = match self.kind {
                BinaryKind::Add => {
                    let x = self
                        .a_requant
                        .apply(saturating_shift_left(x, self.left_shift));
                    let y = self
                        .b_requant
                        .apply(saturating_shift_left(y, self.left_shift));
                    x.wrapping_add(y)
                }
                BinaryKind::Mul => x.wrapping_mul(y),
            };
            let v = self.stage.finish(
                acc,
                self.stage.requant,
                output.quant.zero_point,
                output.dtype,
            );
            write_elem(output.dtype, dst, slot, v);
        }
    }

    fn encode(&self, w: &mut Writer) {
        w.u32(self.kind as u32);
        w.u32(self.left_shift);
        for rq in [self.a_requant, self.b_requant] {
            w.i32(rq.multiplier);
            w.i32(rq.shift);
        }
        self.stage.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let kind = match r.u32()? {
            0 => BinaryKind::Add,
            1 => BinaryKind::Mul,
            _ => return Err(DecodeError::Invalid("binary kind")),
        };
        let left_shift = r.u32()?;
        let mut requant = || -> Result<Requant, DecodeError> {
            let rq = Requant {
                multiplier: r.i32()?,
                shift: r.i32()?,
            };
            rq.is_valid()
                .then_some(rq)
                .ok_or(DecodeError::Invalid("requantization shift"))
        };
        let (a_requant, b_requant) = (requant()?, requant()?);
        Ok(Self {
            kind,
            left_shift,
            a_requant,
            b_requant,
            stage: OutputStage::decode(r)?,
        })
    }
}
