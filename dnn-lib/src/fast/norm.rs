//! Layer and RMS normalization row by row: the row's statistics in one pass, gamma and beta
//! widened once per call, and the per-element rounded division by the row's denominator in f64,
//! where every operand is an integer below 2^53 (so exact, see [`row_norm`]). Same integer
//! results as the reference kernel.

use std::vec;
use std::vec::Vec;

use super::elementwise::{Finish, Simd};
use super::par::for_pieces;
use super::softmax::load_row;
#[cfg(target_arch = "x86_64")]
use super::x86;
use super::Isa;
use crate::ops::{Norm, NormKind};
use crate::quant::isqrt_u64;
use crate::tensor::{TensorInfo, TensorRef};

pub(super) fn norm(
    isa: Isa,
    op: &Norm,
    inputs: &[TensorRef<'_>],
    output: &TensorInfo,
    out: &mut [u8],
) {
    let finish = Finish::new(isa, op.stage, output);
    let path = Simd::new(isa);
    let (x, gamma) = (inputs[0], inputs[1]);
    let n = x.info.last_dim();
    let zx = x.info.quant.zero_point;
    // ḡ lies in ±65535 and |q| ≤ 2^15, so q · ḡ fits an i32 (|q · ḡ| ≤ 2^15 · 65535 < 2^31), and
    // `saturate_i32(q · ḡ + beta)` (i64 in the reference) is the saturating i32 sum.
    let g: Vec<i32> = (0..n).map(|c| gamma.centered(c)).collect();
    let beta: Vec<i32> = match op.kind {
        NormKind::Layer => (0..n).map(|c| inputs[2].get(c)).collect(),
        NormKind::Rms => vec![0; n],
    };
    let size = output.dtype.size();
    let n64 = n as u64;
    let eps = (op.eps as u64).saturating_mul(n64.saturating_mul(n64));
    for_pieces(out, size, n, 15, |start, dst| {
        let end = start + dst.len() / size;
        let mut d = vec![0i32; n];
        let mut acc = vec![0i32; n];
        let mut idx = start;
        while idx < end {
            let (row, c0) = (idx / n, idx % n);
            let c1 = (end - idx + c0).min(n);
            load_row(&x, row * n, &mut d);
            let (sum, sq) = path.center(&mut d, zx);
            let nq = n64.saturating_mul(sq);
            let var_n2 = match op.kind {
                NormKind::Layer => {
                    nq.saturating_sub(sum.unsigned_abs().saturating_mul(sum.unsigned_abs()))
                }
                NormKind::Rms => nq,
            };
            let den = isqrt_u64(var_n2.saturating_add(eps)) as i64;
            let acc = &mut acc[..c1 - c0];
            let (g, beta) = (&g[c0..c1], &beta[c0..c1]);
            if den == 0 {
                // q = 0.
                acc.copy_from_slice(beta);
            } else {
                // Every value below is an integer under 2^53: exact in f64.
                let k = NormRow {
                    n: n as f64,
                    shift: if op.kind == NormKind::Layer { sum } else { 0 } as f64,
                    half: (den / 2) as f64,
                    den: den as f64,
                };
                path.row(&k, &d[c0..c1], g, beta, acc);
            }
            let at = (idx - start) * size;
            finish.store(acc, &mut dst[at..at + acc.len() * size]);
            idx += c1 - c0;
        }
    });
}

/// Centers a row (`d − zx`, in place) and returns `(Σ d, Σ d²)` (exact: `|d| ≤ 2^15`,
/// `n ≤ 2^16`).
#[inline(always)]
pub(super) fn row_center(d: &mut [i32], zx: i32) -> (i64, u64) {
    let (mut sum, mut sq) = (0i64, 0u64);
    for v in d.iter_mut() {
        *v -= zx;
        let w = *v as i64;
        sum += w;
        sq += (w * w) as u64;
    }
    (sum, sq)
}

/// 2^52: adding it to an integer-valued `0 ≤ x < 2^32` puts `x` in the low mantissa bits.
const TWO_52: f64 = 4_503_599_627_370_496.0;

/// One row's constants: `n`, the subtracted `S` (0 for RMS), `⌊den / 2⌋` and `den ≥ 1`.
#[derive(Clone, Copy)]
pub(super) struct NormRow {
    n: f64,
    shift: f64,
    half: f64,
    den: f64,
}

/// `acc = saturate_i32(q · ḡ + beta)` with `q = clamp(div_round((n·d − S) · 2^12, den), −2^15,
/// 2^15 − 1)`, as the reference computes it in i64, here in f64 on exact integers:
///
/// - `|n·d| ≤ 2^16 · 2^15` and `|S| ≤ 2^31`, so `num = n·d − S` is exact (`|num| ≤ 2^32`);
/// - `m = |num| · 2^12 + ⌊den/2⌋ < 2^45 + 2^31` is exact;
/// - for integers `0 ≤ m < 2^53` and `1 ≤ den < 2^53`, `⌊fl(m / den)⌋ = ⌊m / den⌋`: a
///   quotient below the integer `k + 1` is below it by at least `1/den`, more than half an ulp of
///   the quotient (`m / den · 2^−53 < 1/den`), so rounding cannot reach `k + 1`; so the
///   truncation of `min(fl(m / den), 2^15)` is `min(⌊m / den⌋, 2^15)`, the rounded quotient
///   of `div_round_i64` (ties away from zero) capped where the clamp to ±2^15 decides anyway;
/// - `|q · ḡ| ≤ 2^15 · 65535 < 2^31`, so only the `+ beta` can leave the i32 range, and the
///   saturating i32 sum equals the saturated i64 one.
#[inline(always)]
pub(super) fn row_norm(k: &NormRow, d: &[i32], g: &[i32], beta: &[i32], acc: &mut [i32]) {
    for (((a, &dc), &gc), &bc) in acc.iter_mut().zip(d).zip(g).zip(beta) {
        let num = k.n * dc as f64 - k.shift;
        let m = num.abs() * 4096.0 + k.half;
        // The integer 0 ≤ ⌊·⌋ ≤ 2^15 read from the low mantissa bits of `⌊·⌋ + 2^52` (exact),
        // which vectorizes (a saturating `as i32` does not).
        let t = ((m / k.den).min(32768.0).trunc() + TWO_52).to_bits() as i32;
        let q = (if num < 0.0 { -t } else { t }).clamp(-(1 << 15), (1 << 15) - 1);
        *a = (q * gc).saturating_add(bc);
    }
}

impl Simd {
    /// [`row_center`] compiled for this path.
    #[inline]
    fn center(self, d: &mut [i32], zx: i32) -> (i64, u64) {
        match self {
            Simd::None => row_center(d, zx),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512(t) => x86::row_center_avx512(t, d, zx),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2(t) => x86::row_center_avx2(t, d, zx),
        }
    }

    /// [`row_norm`] compiled for this path.
    #[inline]
    fn row(self, k: &NormRow, d: &[i32], g: &[i32], beta: &[i32], acc: &mut [i32]) {
        match self {
            Simd::None => row_norm(k, d, g, beta, acc),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512(t) => x86::row_norm_avx512(t, k, d, g, beta, acc),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2(t) => x86::row_norm_avx2(t, k, d, g, beta, acc),
        }
    }
}
