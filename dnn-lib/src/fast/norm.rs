//! Layer and RMS normalization row by row: the row's statistics in one pass, gamma and beta
//! widened once per call, and the per-element rounded division by the row's denominator as a
//! multiplication ([`DivU64`], exact). Same integer formula as the reference kernel.

use std::vec;
use std::vec::Vec;

use super::divide::DivU64;
use super::elementwise::Finish;
use super::par::for_pieces;
use super::softmax::load_row;
use super::Isa;
use crate::ops::norm::NORM_FRAC_BITS;
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
    for_pieces(out, size, n, 10, |start, dst| {
        let end = start + dst.len() / size;
        let mut d = vec![0i32; n];
        let mut acc = vec![0i32; n];
        let mut idx = start;
        while idx < end {
            let (row, c0) = (idx / n, idx % n);
            let c1 = (end - idx + c0).min(n);
            load_row(&x, row * n, &mut d);
            let (mut sum, mut sq) = (0i64, 0u64);
            for v in d.iter_mut() {
                *v -= zx;
                let w = *v as i64;
                sum += w;
                sq += (w * w) as u64;
            }
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
                let div = DivU64::new(den as u64);
                let half = (den / 2) as u64;
                let shift = if op.kind == NormKind::Layer { sum } else { 0 };
                let n = n as i64;
                for (a, &dc) in acc.iter_mut().zip(&d[c0..c1]) {
                    let num = (n * dc as i64 - shift) << NORM_FRAC_BITS;
                    // div_round_i64: ties away from zero.
                    let m = div.div(num.unsigned_abs() + half) as i64;
                    *a = (if num >= 0 { m } else { -m }).clamp(-(1 << 15), (1 << 15) - 1) as i32;
                }
                for ((a, &gc), &bc) in acc.iter_mut().zip(g).zip(beta) {
                    *a = (*a * gc).saturating_add(bc);
                }
            }
            let at = (idx - start) * size;
            finish.store(acc, &mut dst[at..at + acc.len() * size]);
            idx += c1 - c0;
        }
    });
}
