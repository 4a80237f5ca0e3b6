//! Layer normalization and RMS normalization over the last axis (docs/spec.md §8.4, `norm`).

use alloc::vec::Vec;
use core::ops::Range;

use super::stage::OutputStage;
use super::{ensure, input_count, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::quant::{div_round_i64, isqrt_u64};
use crate::tensor::{read_elem, write_elem, DType, TensorInfo, TensorRef};

/// Longest normalized row (last dimension).
pub const MAX_NORM_ROW: u32 = 1 << 16;
/// Fractional bits of the normalized value `q`.
pub const NORM_FRAC_BITS: u32 = 12;

/// Which normalization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NormKind {
    /// `(x − mean) / sqrt(var + eps) · gamma + beta`.
    Layer = 0,
    /// `x / sqrt(mean(x²) + eps) · gamma` (no beta).
    Rms = 1,
}

/// Normalization of each row (the last axis) of X, then a per-channel scale (and shift).
///
/// Inputs: X (i8, or i16 with zero point 0; last dim `n ≤ 2^16`), gamma (i8 or i16 `[n]`, centred
/// by its zero point: `ḡ`), and for `Layer` beta (i32 `[n]`). With `d = x − zx` (`|d| ≤ 2^15`),
/// `S = Σ d`, `Q = Σ d²` over the row:
///
/// - Layer: `num = n·d − S`, `V = n·Q − S²`; Rms: `num = n·d`, `V = n·Q`;
/// - `den = isqrt(V + eps·n²)` (u64, saturating);
/// - `q = 0` if `den = 0`, else `clamp(div_round(num · 2^12, den), −2^15, 2^15 − 1)`: the
///   normalized value in Q12;
/// - `out = stage(saturate_i32(q · ḡ[c] + beta[c]))` (beta = 0 for Rms).
///
/// `eps` is in units of `d²` (the converter writes `eps_real / scale_x²`, rounded). Width: this
/// op needs 64-bit integers (`S` and `num` in i64, `Q`, `V` and `den²` in u64; `|num · 2^12| ≤
/// 2^44`, `n·Q, S² ≤ 2^62`); WGSL emulates them. Statistics are computed once per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Norm {
    /// Layer or RMS normalization.
    pub kind: NormKind,
    /// The epsilon in units of the squared input step.
    pub eps: u32,
    /// Multiplier (`scale_gamma / 2^12 / scale_out`) and clamp.
    pub stage: OutputStage,
}

/// Row statistics: `S` and the denominator.
#[derive(Clone, Copy)]
struct RowStats {
    sum: i64,
    den: i64,
}

impl Norm {
    fn inputs_expected(&self) -> usize {
        match self.kind {
            NormKind::Layer => 3,
            NormKind::Rms => 2,
        }
    }

    /// The statistics of the row starting at element `base` of X.
    fn row_stats(&self, x: &TensorRef<'_>, base: usize, n: usize) -> RowStats {
        let zx = x.info.quant.zero_point;
        let (mut sum, mut sq) = (0i64, 0u64);
        for c in 0..n {
            let d = (x.get(base + c) - zx) as i64;
            sum += d;
            sq += (d * d) as u64;
        }
        let n64 = n as u64;
        let nq = n64.saturating_mul(sq);
        let var_n2 = match self.kind {
            // n·Q ≥ S² (Cauchy–Schwarz); saturating only as a guard.
            NormKind::Layer => {
                nq.saturating_sub(sum.unsigned_abs().saturating_mul(sum.unsigned_abs()))
            }
            NormKind::Rms => nq,
        };
        let eps = (self.eps as u64).saturating_mul(n64.saturating_mul(n64));
        RowStats {
            sum,
            // ≤ 2^32: fits an i64.
            den: isqrt_u64(var_n2.saturating_add(eps)) as i64,
        }
    }
}

impl Kernel for Norm {
    const NAME: &'static str = "norm";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        let expected = self.inputs_expected();
        input_count(Self::NAME, inputs, expected..=expected)?;
        let (x, gamma) = (inputs[0], inputs[1]);
        ensure!(
            x.dtype == DType::I8 || (x.dtype == DType::I16 && x.quant.zero_point == 0),
            "norm: X must be i8, or i16 with zero point 0, got {x} with zero point {}",
            x.quant.zero_point
        );
        ensure!(!x.shape.is_empty(), "norm: X needs rank ≥ 1");
        for t in [x, gamma] {
            ensure!(
                (t.dtype.min()..=t.dtype.max()).contains(&t.quant.zero_point),
                "norm: zero point {} is outside {}",
                t.quant.zero_point,
                t.dtype
            );
        }
        let n = x.last_dim() as u32;
        ensure!(
            n <= MAX_NORM_ROW,
            "norm: rows longer than {MAX_NORM_ROW}: {x}"
        );
        ensure!(
            gamma.dtype != DType::I32 && gamma.shape == [n],
            "norm: gamma must be i8 or i16 [{n}], got {gamma}"
        );
        if self.kind == NormKind::Layer {
            let beta = inputs[2];
            ensure!(
                beta.dtype == DType::I32 && beta.shape == [n],
                "norm: beta must be i32 [{n}], got {beta}"
            );
        }
        Ok(x.shape.clone())
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let (x, gamma) = (inputs[0], inputs[1]);
        let beta = (self.kind == NormKind::Layer).then(|| inputs[2].data);
        let n = x.info.last_dim();
        let zx = x.info.quant.zero_point;
        let mut stats = RowStats { sum: 0, den: 0 };
        let mut cached_row = usize::MAX;
        for (slot, idx) in range.enumerate() {
            let (row, c) = (idx / n, idx % n);
            if row != cached_row {
                stats = self.row_stats(&x, row * n, n);
                cached_row = row;
            }
            let q = if stats.den == 0 {
                0
            } else {
                let nd = n as i64 * (x.get(idx) - zx) as i64;
                let num = match self.kind {
                    NormKind::Layer => nd - stats.sum,
                    NormKind::Rms => nd,
                };
                div_round_i64(num << NORM_FRAC_BITS, stats.den).clamp(-(1 << 15), (1 << 15) - 1)
            };
            let g = gamma.centered(c) as i64;
            let b = beta.map_or(0, |b| read_elem(DType::I32, b, c)) as i64;
            let acc = DType::I32.saturate(q * g + b);
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
        w.u32(self.eps);
        self.stage.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let kind = match r.u32()? {
            0 => NormKind::Layer,
            1 => NormKind::Rms,
            _ => return Err(DecodeError::Invalid("norm kind")),
        };
        Ok(Self {
            kind,
            eps: r.u32()?,
            stage: OutputStage::decode(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testutil::{i32s, out_info, rejects, run, tensor, Tensor};
    use crate::ops::Op;
    use crate::quant::Requant;
    use crate::tensor::Quant;
    use std::vec;

    fn op(kind: NormKind, eps: u32, requant: Requant) -> Op {
        Op::Norm(Norm {
            kind,
            eps,
            stage: OutputStage::new(requant),
        })
    }

    /// Output = accumulator (identity stage into i32).
    const ID: Requant = Requant::IDENTITY;

    #[test]
    fn layer_norm_by_hand() {
        // d = [-3, -1, 1, 3] (zx = 2): S = 0, Q = 20, V = 4·20 = 80, den = isqrt(80) = 8;
        // num = 4·d = [-12, -4, 4, 12]; q = round(num · 4096 / 8) = [-6144, -2048, 2048, 6144].
        let x = tensor(DType::I8, &[1, 4], 2, &[-1, 1, 3, 5]);
        let g = tensor(DType::I8, &[4], 1, &[2, 2, 3, -1]); // ḡ = [1, 1, 2, −2]
        let b = i32s(&[4], &[0, 10, -10, 7]);
        let out = run(
            &op(NormKind::Layer, 0, ID),
            &[x, g, b],
            &out_info(DType::I32, &[1, 4], 0),
        );
        assert_eq!(out, vec![-6144, -2038, 4086, -12281]);
    }

    #[test]
    fn rms_norm_by_hand() {
        // d = [1, 2, 3, 4, 5] (zx = 0): Q = 55, V = 5·55 = 275, eps = 1 → + 25 → isqrt(300) = 17;
        // num = 5·d; q = round(5·d·4096 / 17) = [1205, 2409, 3614, 4819, 6024].
        let x = tensor(DType::I16, &[5], 0, &[1, 2, 3, 4, 5]);
        let g = tensor(DType::I16, &[5], 0, &[1, 1, 1, 1, 1]);
        let out = run(
            &op(NormKind::Rms, 1, ID),
            &[x, g],
            &out_info(DType::I32, &[5], 0),
        );
        let want: Vec<i32> = (1..=5)
            .map(|d| div_round_i64(5 * d * 4096, 17) as i32)
            .collect();
        assert_eq!(want, vec![1205, 2409, 3614, 4819, 6024]);
        assert_eq!(out, want);
    }

    #[test]
    fn zero_variance_rows_give_the_stage_of_beta() {
        let rq = Requant::from_f64(0.01);
        for eps in [0, 1, u32::MAX] {
            // Three rows, each constant (one at the dtype's extremes).
            let x = tensor(
                DType::I8,
                &[3, 5],
                -20,
                &[[7; 5], [-128; 5], [127; 5]].concat(),
            );
            let g = tensor(DType::I8, &[5], 0, &[127, -128, 1, 0, 50]);
            let beta = [1000, -1000, 123_456, i32::MIN, i32::MAX];
            let out = run(
                &op(NormKind::Layer, eps, rq),
                &[x, g, i32s(&[5], &beta)],
                &out_info(DType::I16, &[3, 5], 3),
            );
            let stage = OutputStage::new(rq);
            let want: Vec<i32> = beta
                .iter()
                .map(|&b| stage.finish(b, rq, 3, DType::I16))
                .collect();
            assert_eq!(
                out,
                [want.clone(), want.clone(), want].concat(),
                "eps {eps}"
            );
        }
        // RMS of an all-zero row: den = 0 without eps, q = 0.
        let x = tensor(DType::I8, &[4], 5, &[5; 4]);
        let g = tensor(DType::I8, &[4], 0, &[1, 2, 3, 4]);
        let out = run(
            &op(NormKind::Rms, 0, ID),
            &[x, g],
            &out_info(DType::I8, &[4], -9),
        );
        assert_eq!(out, vec![-9; 4]);
    }

    #[test]
    fn extreme_gamma_and_saturation() {
        // i16 X at its extremes, gamma i16 with ḡ = ±65535, beta at the i32 extremes.
        let x = tensor(DType::I16, &[2], 0, &[-32768, 32767]);
        let g = tensor(DType::I16, &[2], 32767, &[-32768, -32768]); // ḡ = −65535
        let b = i32s(&[2], &[i32::MIN, i32::MAX]);
        let out = run(
            &op(NormKind::Layer, 0, ID),
            &[x.clone(), g, b],
            &out_info(DType::I32, &[2], 0),
        );
        // V = 2·Q − S² = 65535², so z = ∓1 exactly: q = ∓4096, q·ḡ = ±268_431_360; the sums
        // with beta stay in i32 and the identity stage clamps them to ∓2^30.
        assert_eq!(
            out,
            vec![
                ID.apply(i32::MIN + 268_431_360),
                ID.apply(DType::I32.saturate(i32::MAX as i64 - 268_431_360))
            ]
        );
        // The Q12 clamp: eps = 0 and one outlier in a long row gives |z| ≈ sqrt(n − 1) > 8.
        let n = 1000u32;
        let mut v = vec![0; n as usize];
        v[0] = 32767;
        let x = tensor(DType::I16, &[n], 0, &v);
        let g = tensor(DType::I16, &[n], -32768, &vec![32767; n as usize]); // ḡ = 65535
        let b = i32s(&[n], &vec![i32::MAX; n as usize]);
        let out = run(
            &op(NormKind::Layer, 0, ID),
            &[x, g, b],
            &out_info(DType::I32, &[n], 0),
        );
        // q clamps to 2^15 − 1; q·ḡ + beta saturates; the identity stage clamps to 2^30.
        assert_eq!(out[0], 1 << 30);
    }

    #[test]
    fn rejects_bad_inputs() {
        let x = out_info(DType::I8, &[2, 4], 0);
        let g = out_info(DType::I8, &[4], 0);
        let b = out_info(DType::I32, &[4], 0);
        let o = out_info(DType::I8, &[2, 4], 0);
        let layer = op(NormKind::Layer, 0, ID);
        let rms = op(NormKind::Rms, 0, ID);
        let x16 = |zp| {
            TensorInfo::new(
                DType::I16,
                &[2, 4],
                Quant {
                    zero_point: zp,
                    ..Quant::default()
                },
            )
        };
        assert!(layer.check(&[&x16(0), &g, &b], &o).is_ok());
        rejects(&layer, &[&x16(1), &g, &b], &o);
        rejects(&layer, &[&x, &g], &o);
        rejects(&rms, &[&x, &g, &b], &o);
        rejects(&layer, &[&x, &out_info(DType::I8, &[2], 0), &b], &o);
        rejects(&layer, &[&x, &out_info(DType::I32, &[4], 0), &b], &o);
        rejects(&layer, &[&x, &g, &out_info(DType::I16, &[4], 0)], &o);
        rejects(&layer, &[&out_info(DType::I32, &[2, 4], 0), &g, &b], &o);
        rejects(&layer, &[&info(DType::I8, &[2, 4], -129), &g, &b], &o);
        rejects(&layer, &[&x, &info(DType::I8, &[4], 200), &b], &o);
        let long = out_info(DType::I8, &[MAX_NORM_ROW + 1], 0);
        rejects(
            &rms,
            &[&long, &out_info(DType::I8, &[MAX_NORM_ROW + 1], 0)],
            &long,
        );
    }

    fn quantize(v: f64, scale: f64, zp: i32, dtype: DType) -> i32 {
        dtype.saturate(((v / scale).round() as i64) + zp as i64)
    }

    fn info(dtype: DType, shape: &[u32], zp: i32) -> TensorInfo {
        TensorInfo::new(
            dtype,
            shape,
            Quant {
                zero_point: zp,
                ..Quant::default()
            },
        )
    }

    /// Quality: layer and RMS norm vs the float op on the dequantized input, gamma and beta.
    ///
    /// Bound, per element with `|z| < 8` (always for layer norm with n ≤ 65, `|z| ≤ sqrt(n − 1)`):
    /// `|ŷ − y| ≤ s_o + |γ| · (2^−13 + |z| / (n·σ − 1))`, where `z` is the float normalized
    /// value, `σ = sqrt(var_d + eps)` the row's deviation in input steps (RMS: `sqrt(mean d² +
    /// eps)`) and `γ` the dequantized gamma. Terms: output requantization (≤ 1 step, two
    /// roundings), Q12 rounding of q, and the floor of the integer square root (`den ≥ n·σ − 1`).
    /// The output is compared with the float value clamped to the output's representable range.
    #[test]
    fn float_norm_quality() {
        let mut rng = crate::testgen::XorShift32::new(99);
        let mut uniform =
            |lo: f64, hi: f64| lo + (hi - lo) * (rng.next_u32() as f64 / 4294967296.0);
        for kind in [NormKind::Layer, NormKind::Rms] {
            for (n, spread) in [(8u32, 30.0), (32, 100.0), (48, 10.0), (64, 60.0)] {
                let rows = 6u32;
                let (zx, sx) = (uniform(-20.0, 20.0).round() as i32, 0.05);
                let xs: Vec<i32> = (0..rows * n)
                    .map(|_| (zx as f64 + uniform(-spread, spread)).round() as i32)
                    .map(|v| v.clamp(-128, 127))
                    .collect();
                let (sg, zg) = (2.0 / 127.0, 3);
                let gs: Vec<i32> = (0..n)
                    .map(|_| quantize(uniform(-2.0, 2.0), sg, zg, DType::I8))
                    .collect();
                let s_acc = sg / 4096.0;
                let bs: Vec<i32> = (0..n)
                    .map(|_| (uniform(-1.0, 1.0) / s_acc).round() as i32)
                    .collect();
                let (so, zo) = (12.0 / 255.0, -2);
                let eps_d = 1u32; // eps_real = s_x² · 1
                let rq = Requant::from_f64(s_acc / so);
                let mut inputs: Vec<Tensor> = vec![
                    tensor(DType::I8, &[rows, n], zx, &xs),
                    tensor(DType::I8, &[n], zg, &gs),
                ];
                if kind == NormKind::Layer {
                    inputs.push(i32s(&[n], &bs));
                }
                let out = run(
                    &op(kind, eps_d, rq),
                    &inputs,
                    &info(DType::I8, &[rows, n], zo),
                );
                let (lo, hi) = (so * (-128 - zo) as f64, so * (127 - zo) as f64);
                for r in 0..rows as usize {
                    let d: Vec<f64> = xs[r * n as usize..(r + 1) * n as usize]
                        .iter()
                        .map(|&v| sx * (v - zx) as f64)
                        .collect();
                    let mean = match kind {
                        NormKind::Layer => d.iter().sum::<f64>() / n as f64,
                        NormKind::Rms => 0.0,
                    };
                    let var = d.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
                    let std = (var + eps_d as f64 * sx * sx).sqrt();
                    let sigma = std / sx;
                    for c in 0..n as usize {
                        let gamma = sg * (gs[c] - zg) as f64;
                        let beta = if kind == NormKind::Layer {
                            s_acc * bs[c] as f64
                        } else {
                            0.0
                        };
                        let z = (d[c] - mean) / std;
                        assert!(z.abs() < 8.0);
                        let y = (gamma * z + beta).clamp(lo, hi);
                        let got = so * (out[r * n as usize + c] - zo) as f64;
                        let bound =
                            so + gamma.abs() * (1.0 / 8192.0 + z.abs() / (n as f64 * sigma - 1.0));
                        assert!(
                            (got - y).abs() <= bound,
                            "{kind:?} n={n} row {r} col {c}: {got} vs {y} (bound {bound})"
                        );
                    }
                }
            }
        }
    }
}
