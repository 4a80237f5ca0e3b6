//! Rotary position embedding, HF LLaMA "rotate_half" pairing (docs/spec.md §8.4, `rope`).

use alloc::vec::Vec;
use core::ops::Range;

use super::{ensure, input_count, same_type, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::quant::rounding_divide_by_pot;
use crate::tensor::{read_elem, write_elem, DType, TensorInfo, TensorRef};

/// Fractional bits of the cos/sin table.
pub const ROPE_FRAC_BITS: u32 = 14;
/// The table's 1.0; entries are clamped into `−ROPE_ONE..=ROPE_ONE` when used.
pub const ROPE_ONE: i32 = 1 << ROPE_FRAC_BITS;

/// Rotates pairs `(i, i + D/2)` of the last axis of X by the angle of the position.
///
/// Inputs: X (i8 or i16, rank ≥ 2, `[..., T, D]`, D even) and the table R (i16 `[T, D/2, 2]`:
/// `(cos, sin)` in Q14, each clamped into `−2^14..=2^14` when used). With `h = D/2`, `t` the index
/// along axis rank − 2, `c = R[t, i, 0]`, `s = R[t, i, 1]` for `i < h`:
///
/// - `out[i] = zx + div_round(x̄[i]·c − x̄[i+h]·s, 2^14)`,
/// - `out[i+h] = zx + div_round(x̄[i+h]·c + x̄[i]·s, 2^14)`,
///
/// clamped to X's dtype (ties away from zero). The output has X's dtype, shape and quantization.
/// Width: all i32. `|x̄| ≤ 65535` and `|c|, |s| ≤ 2^14`, so each sum is at most
/// `2 · 65535 · 2^14 = 2^31 − 2^15` in magnitude (this is why the table is clamped: a raw i16
/// entry of −2^15 would overflow).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rope;

impl Kernel for Rope {
    const NAME: &'static str = "rope";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 2..=2)?;
        let (x, table) = (inputs[0], inputs[1]);
        ensure!(
            x.dtype != DType::I32,
            "rope: X must be i8 or i16, got {}",
            x.dtype
        );
        ensure!(
            (x.dtype.min()..=x.dtype.max()).contains(&x.quant.zero_point),
            "rope: X's zero point {} is outside {}",
            x.quant.zero_point,
            x.dtype
        );
        let rank = x.shape.len();
        ensure!(rank >= 2, "rope: X needs rank ≥ 2, got {x}");
        let (t, d) = (x.shape[rank - 2], x.shape[rank - 1]);
        ensure!(d % 2 == 0, "rope: the last dimension must be even, got {x}");
        ensure!(
            table.dtype == DType::I16 && table.shape == [t, d / 2, 2],
            "rope: the table must be i16 [{t}, {}, 2], got {table}",
            d / 2
        );
        Ok(x.shape.clone())
    }

    fn check_output(&self, inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
        same_type(Self::NAME, inputs[0], output)
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let (x, table) = (inputs[0], inputs[1]);
        let rank = x.info.shape.len();
        let (positions, d) = (
            x.info.shape[rank - 2] as usize,
            x.info.shape[rank - 1] as usize,
        );
        let h = d / 2;
        let zx = x.info.quant.zero_point;
        let entry = |i: usize| read_elem(DType::I16, table.data, i).clamp(-ROPE_ONE, ROPE_ONE);
        for (slot, idx) in range.enumerate() {
            let (row, col) = (idx / d, idx % d);
            let t = row % positions;
            let base = row * d;
            let i = if col < h { col } else { col - h };
            let (a, b) = (x.get(base + i) - zx, x.get(base + i + h) - zx);
            let at = 2 * (t * h + i);
            let (c, s) = (entry(at), entry(at + 1));
            let rotated = if col < h {
                a * c - b * s
            } else {
                b * c + a * s
            };
            let v = zx + rounding_divide_by_pot(rotated, ROPE_FRAC_BITS);
            write_elem(output.dtype, dst, slot, output.dtype.saturate(v as i64));
        }
    }

    fn encode(&self, _w: &mut Writer) {}

    fn decode(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testutil::{out_info, rejects, run, tensor, Tensor};
    use crate::ops::Op;
    use crate::quant::div_round_i64;
    use std::vec;

    /// A table of `(cos, sin)` pairs, `[T, h, 2]`.
    fn table(t: u32, h: u32, f: impl Fn(u32, u32) -> (i32, i32)) -> Tensor {
        let mut v = Vec::new();
        for p in 0..t {
            for i in 0..h {
                let (c, s) = f(p, i);
                v.extend([c, s]);
            }
        }
        tensor(DType::I16, &[t, h, 2], 0, &v)
    }

    #[test]
    fn identity_at_position_zero() {
        for (dtype, zx) in [(DType::I8, -5), (DType::I16, 100)] {
            let vals: Vec<i32> = (0..12)
                .map(|i| [dtype.min(), dtype.max(), 0, -1, 7, 3][i % 6])
                .collect();
            let x = tensor(dtype, &[2, 1, 6], zx, &vals);
            let out = run(
                &Op::Rope(Rope),
                &[x, table(1, 3, |_, _| (ROPE_ONE, 0))],
                &out_info(dtype, &[2, 1, 6], zx),
            );
            assert_eq!(out, vals);
        }
    }

    #[test]
    fn quarter_turn() {
        // cos = 0, sin = 1: out[i] = −x̄[i+h], out[i+h] = x̄[i] (then clamped).
        let x = tensor(DType::I16, &[1, 4], 0, &[-32768, 5, -32768, -7]);
        let out = run(
            &Op::Rope(Rope),
            &[x, table(1, 2, |_, _| (0, ROPE_ONE))],
            &out_info(DType::I16, &[1, 4], 0),
        );
        assert_eq!(out, vec![32767, 7, -32768, 5]); // −(−32768) clamps
                                                    // i8 with a zero point: x̄ = x + 128 up to 255; −255 clamps.
        let x = tensor(DType::I8, &[1, 2], -128, &[127, -128]);
        let out = run(
            &Op::Rope(Rope),
            &[x, table(1, 1, |_, _| (0, ROPE_ONE))],
            &out_info(DType::I8, &[1, 2], -128),
        );
        assert_eq!(out, vec![-128, 127]);
    }

    #[test]
    fn positions_and_rounding() {
        // Two positions: t = 0 identity, t = 1 a rotation with cos = 3/4, sin = 1/2 (Q14).
        let (c, s) = (12288, 8192);
        let x = tensor(DType::I8, &[2, 2], 1, &[11, 4, 11, 4]); // x̄ = (10, 3)
        let out = run(
            &Op::Rope(Rope),
            &[
                x,
                table(2, 1, |t, _| if t == 0 { (ROPE_ONE, 0) } else { (c, s) }),
            ],
            &out_info(DType::I8, &[2, 2], 1),
        );
        let first = 1 + div_round_i64(10 * c as i64 - 3 * s as i64, 16384) as i32; // 7.5 − 1.5 = 6
        let second = 1 + div_round_i64(3 * c as i64 + 10 * s as i64, 16384) as i32; // 2.25 + 5 → 7
        assert_eq!(out, vec![11, 4, first, second]);
        assert_eq!((first, second), (7, 8));
        // Ties: x̄ = 1, cos = 2^13: 0.5 → 1, and −0.5 → −1.
        let x = tensor(DType::I8, &[1, 2], 0, &[1, -1]);
        let out = run(
            &Op::Rope(Rope),
            &[x, table(1, 1, |_, _| (8192, 0))],
            &out_info(DType::I8, &[1, 2], 0),
        );
        assert_eq!(out, vec![1, -1]);
        // The position is the index along axis rank − 2 in every batch.
        let x = tensor(
            DType::I8,
            &[3, 2, 2],
            0,
            &[1, 0, 1, 0, 2, 0, 2, 0, 3, 0, 3, 0],
        );
        let out = run(
            &Op::Rope(Rope),
            &[
                x,
                table(
                    2,
                    1,
                    |t, _| if t == 0 { (ROPE_ONE, 0) } else { (0, ROPE_ONE) },
                ),
            ],
            &out_info(DType::I8, &[3, 2, 2], 0),
        );
        assert_eq!(out, vec![1, 0, 0, 1, 2, 0, 0, 2, 3, 0, 0, 3]);
    }

    #[test]
    fn table_entries_are_clamped() {
        // 2^15 − 1 acts as 2^14 (1.0) and −2^15 as −2^14 (−1.0).
        let x = tensor(DType::I16, &[1, 2], 0, &[-32768, 32767]); // (a, b)
        let out = run(
            &Op::Rope(Rope),
            &[x, table(1, 1, |_, _| (32767, -32768))],
            &out_info(DType::I16, &[1, 2], 0),
        );
        // a·1 − b·(−1) = −1; b·1 + a·(−1) = 65535, clamped. (Unclamped entries would give 0.)
        assert_eq!(out, vec![-1, 32767]);
        // The largest sums: x̄ = ∓65535 with c = −1, s = 1 gives a·c − b·s = 2 · 65535 · 2^14.
        let x = tensor(DType::I16, &[1, 2], 32767, &[-32768, -32768]);
        let out = run(
            &Op::Rope(Rope),
            &[x, table(1, 1, |_, _| (-32768, 32767))],
            &out_info(DType::I16, &[1, 2], 32767),
        );
        assert_eq!(out, vec![32767, 32767]);
        let x = tensor(DType::I16, &[1, 2], -32768, &[32767, 32767]); // x̄ = 65535
        let out = run(
            &Op::Rope(Rope),
            &[x, table(1, 1, |_, _| (-32768, 32767))],
            &out_info(DType::I16, &[1, 2], -32768),
        );
        // −2 · 65535 and 0.
        assert_eq!(out, vec![-32768, -32768]);
    }

    #[test]
    fn rejects_bad_inputs() {
        let op = Op::Rope(Rope);
        let x = out_info(DType::I8, &[3, 4], 0);
        let r = out_info(DType::I16, &[3, 2, 2], 0);
        assert!(op.check(&[&x, &r], &x).is_ok());
        rejects(&op, &[&x, &r], &out_info(DType::I8, &[3, 4], 1));
        rejects(&op, &[&x, &r], &out_info(DType::I16, &[3, 4], 0));
        rejects(&op, &[&x, &out_info(DType::I8, &[3, 2, 2], 0)], &x);
        rejects(&op, &[&x, &out_info(DType::I16, &[2, 2, 2], 0)], &x);
        rejects(&op, &[&x, &out_info(DType::I16, &[3, 4, 2], 0)], &x);
        let odd = out_info(DType::I8, &[3, 5], 0);
        rejects(&op, &[&odd, &out_info(DType::I16, &[3, 2, 2], 0)], &odd);
        let flat = out_info(DType::I8, &[4], 0);
        rejects(&op, &[&flat, &out_info(DType::I16, &[1, 2, 2], 0)], &flat);
        let wide = out_info(DType::I32, &[3, 4], 0);
        rejects(&op, &[&wide, &r], &wide);
        // A zero point outside the dtype (a description that skipped validation).
        let bad = TensorInfo::new(
            DType::I8,
            &[3, 4],
            crate::tensor::Quant {
                zero_point: 128,
                ..Default::default()
            },
        );
        rejects(&op, &[&bad, &r], &bad);
    }

    /// Quality: rope vs a float rotation of the dequantized input by the exact angles.
    ///
    /// Bound: `|ŷ − y| ≤ s · (1/2 + (|x̄[i]| + |x̄[i+h]|) · 2^−15)` per element, with s the
    /// scale of X and y clamped to X's representable range: output rounding, and the Q14
    /// rounding of cos and sin (each within 2^−15).
    #[test]
    fn float_rotation_quality() {
        let mut rng = crate::testgen::XorShift32::new(3);
        for (dtype, zx, sx) in [(DType::I8, -3, 0.04), (DType::I16, 0, 0.0002)] {
            let (b, t, d) = (2u32, 9u32, 16u32);
            let h = d / 2;
            let theta = |p: u32, i: u32| p as f64 * 10000f64.powf(-2.0 * i as f64 / d as f64);
            let r = table(t, h, |p, i| {
                let a = theta(p, i);
                (
                    (a.cos() * 16384.0).round() as i32,
                    (a.sin() * 16384.0).round() as i32,
                )
            });
            let vals: Vec<i32> = (0..b * t * d)
                .map(|_| {
                    let v = rng.next_u32() as i32;
                    match dtype {
                        DType::I8 => v >> 24,
                        _ => v >> 16,
                    }
                })
                .collect();
            let x = tensor(dtype, &[b, t, d], zx, &vals);
            let out = run(&Op::Rope(Rope), &[x, r], &out_info(dtype, &[b, t, d], zx));
            let (lo, hi) = (
                sx * (dtype.min() - zx) as f64,
                sx * (dtype.max() - zx) as f64,
            );
            for row in 0..(b * t) as usize {
                let p = row as u32 % t;
                let xr = |k: usize| (vals[row * d as usize + k] - zx) as f64;
                for col in 0..d as usize {
                    let i = col % h as usize;
                    let a = theta(p, i as u32);
                    let (u, w) = (xr(i), xr(i + h as usize));
                    let y = sx
                        * if col < h as usize {
                            u * a.cos() - w * a.sin()
                        } else {
                            w * a.cos() + u * a.sin()
                        };
                    let got = sx * (out[row * d as usize + col] - zx) as f64;
                    let bound = sx * (0.5 + (u.abs() + w.abs()) / 32768.0) + 1e-12;
                    assert!(
                        (got - y.clamp(lo, hi)).abs() <= bound,
                        "{dtype} t={p} col={col}: {got} vs {y} (bound {bound})"
                    );
                }
            }
        }
    }
}
