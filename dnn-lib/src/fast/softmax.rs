//! Softmax row by row: the row loaded once into i32, its maximum and exponential sum in tight
//! loops, and the per-element division by the row's sum as a multiplication
//! ([`DivU32`], exact). Same formula, same u32 arithmetic as the reference kernel.

use std::vec;
use std::vec::Vec;

use super::divide::{div_by_halves, DivU32};
use super::elementwise::store;
use super::par::for_pieces;
#[cfg(target_arch = "x86_64")]
use super::x86;
use super::Isa;
use crate::ops::softmax::EXP_ONE;
use crate::ops::Softmax;
use crate::tensor::{DType, TensorInfo, TensorRef};

/// Loads elements `start..start + out.len()` of an i8 or i16 tensor as i32.
#[inline]
pub(super) fn load_row(t: &TensorRef<'_>, start: usize, out: &mut [i32]) {
    let n = out.len();
    match t.info.dtype {
        DType::I8 => {
            for (o, &b) in out.iter_mut().zip(&t.data[start..start + n]) {
                *o = b as i8 as i32;
            }
        }
        DType::I16 => {
            for (o, b) in out
                .iter_mut()
                .zip(t.data[2 * start..2 * (start + n)].chunks_exact(2))
            {
                *o = i16::from_le_bytes([b[0], b[1]]) as i32;
            }
        }
        DType::I32 => {
            for (o, b) in out
                .iter_mut()
                .zip(t.data[4 * start..4 * (start + n)].chunks_exact(4))
            {
                *o = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            }
        }
    }
}

/// The constants of one row's output values: `zo + min(⌊(e·range + half) / sum⌋, cap)` with the
/// division by `sum ≥ 2` through the halves of its multiplier ([`div_by_halves`]).
#[derive(Clone, Copy)]
pub(super) struct RowProbs {
    range: u32,
    half: u32,
    c_hi: u32,
    c_lo: u32,
    zo: i32,
    /// `dtype.max − zo` (≥ 0): `p ≥ 0`, so `saturate(zo + p) = zo + min(p, cap)`.
    cap: u32,
}

/// The output values of the exponentials `es` (one row's visible part) into `out`.
#[inline(always)]
pub(super) fn row_probs(k: &RowProbs, es: &[u32], out: &mut [i32]) {
    for (o, &e) in out.iter_mut().zip(es) {
        // e ≤ 2^15, range ≤ 65535, half ≤ 2^30: below 2^32 (see the reference kernel).
        let p = div_by_halves(e * k.range + k.half, k.c_hi, k.c_lo);
        *o = k.zo + p.min(k.cap) as i32;
    }
}

/// The exponentials `es` of the row `xs` (its visible part, not empty): `table[min(max − x,
/// L − 1)]` with `table` already clamped into `0..=2^15`; returns their sum (at most
/// 2^16 · 2^15 = 2^31: no wrap, as in the reference).
#[inline(always)]
pub(super) fn row_exps(table: &[u32], xs: &[i32], es: &mut [u32]) -> u32 {
    let max = xs.iter().copied().fold(xs[0], i32::max);
    let last = table.len() - 1;
    let mut sum = 0u32;
    for (e, &v) in es.iter_mut().zip(xs) {
        *e = table[((max - v) as u32 as usize).min(last)];
        sum = sum.wrapping_add(*e);
    }
    sum
}

/// [`row_exps`] for an i8 row (`max − x` in 0..=255), from the table over every difference.
#[inline(always)]
pub(super) fn row_exps_i8(table: &[u32; 256], xs: &[i32], es: &mut [u32]) -> u32 {
    let max = xs.iter().copied().fold(xs[0], i32::max);
    let mut sum = 0u32;
    for (e, &v) in es.iter_mut().zip(xs) {
        *e = table[(max - v) as u8 as usize];
        sum = sum.wrapping_add(*e);
    }
    sum
}

/// [`row_exps`] and [`row_probs`] compiled for the backend's instruction set.
#[derive(Clone, Copy)]
enum ProbsPath {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Avx512(x86::Avx512Vnni),
    #[cfg(target_arch = "x86_64")]
    Avx2(x86::Avx2),
}

impl ProbsPath {
    fn new(isa: Isa) -> Self {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512Vnni => x86::Avx512Vnni::detect().map_or(Self::Portable, Self::Avx512),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => x86::Avx2::detect().map_or(Self::Portable, Self::Avx2),
            _ => Self::Portable,
        }
    }

    #[inline]
    fn exps(self, table: &[u32], xs: &[i32], es: &mut [u32]) -> u32 {
        match self {
            Self::Portable => row_exps(table, xs, es),
            #[cfg(target_arch = "x86_64")]
            Self::Avx512(t) => x86::row_exps_avx512(t, table, xs, es),
            #[cfg(target_arch = "x86_64")]
            Self::Avx2(t) => x86::row_exps_avx2(t, table, xs, es),
        }
    }

    #[inline]
    fn exps_i8(self, table: &[u32; 256], xs: &[i32], es: &mut [u32]) -> u32 {
        match self {
            Self::Portable => row_exps_i8(table, xs, es),
            #[cfg(target_arch = "x86_64")]
            Self::Avx512(t) => x86::row_exps_i8_avx512(t, table, xs, es),
            #[cfg(target_arch = "x86_64")]
            Self::Avx2(t) => x86::row_exps_i8_avx2(t, table, xs, es),
        }
    }

    #[inline]
    fn run(self, k: &RowProbs, es: &[u32], out: &mut [i32]) {
        match self {
            Self::Portable => row_probs(k, es, out),
            #[cfg(target_arch = "x86_64")]
            Self::Avx512(t) => x86::row_probs_avx512(t, k, es, out),
            #[cfg(target_arch = "x86_64")]
            Self::Avx2(t) => x86::row_probs_avx2(t, k, es, out),
        }
    }
}

pub(super) fn softmax(
    isa: Isa,
    op: &Softmax,
    inputs: &[TensorRef<'_>],
    output: &TensorInfo,
    out: &mut [u8],
) {
    let path = ProbsPath::new(isa);
    let (x, e) = (inputs[0], inputs[1]);
    let n = x.info.last_dim();
    let rank = x.info.shape.len();
    let rows = if op.causal {
        x.info.shape[rank - 2] as usize
    } else {
        1
    };
    // The table clamped into 0..=2^15, as `exp_at` reads it; index min(diff, L − 1).
    let table: Vec<u32> = (0..e.info.shape[0] as usize)
        .map(|k| e.get(k).clamp(0, EXP_ONE) as u32)
        .collect();
    // An i8 row's differences `max − x` lie in 0..=255: the table over all of them (each
    // `table[min(k, L − 1)]`) is indexed without a bounds check, and the lookups vectorize.
    let table_i8: Option<[u32; 256]> = (x.info.dtype == DType::I8).then(|| {
        let mut t = [0u32; 256];
        for (k, v) in t.iter_mut().enumerate() {
            *v = table[k.min(table.len() - 1)];
        }
        t
    });
    let (dtype, zo) = (output.dtype, output.quant.zero_point as i64);
    let (lo, hi) = (dtype.min() as i64, dtype.max() as i64);
    let size = dtype.size();
    let range = op.out_range;
    for_pieces(out, size, n, 14, |start, dst| {
        let table = &table[..];
        let end = start + dst.len() / size;
        let mut row_x = vec![0i32; n];
        let mut row_e = vec![0u32; n];
        let mut vals = vec![0i32; n];
        let mut idx = start;
        while idx < end {
            let (row, c0) = (idx / n, idx % n);
            let c1 = (end - idx + c0).min(n);
            let cols = if op.causal {
                (row % rows + 1).min(n)
            } else {
                n
            };
            let base = row * n;
            load_row(&x, base, &mut row_x[..cols]);
            let xs = &row_x[..cols];
            let sum = match &table_i8 {
                Some(t) => path.exps_i8(t, xs, &mut row_e[..cols]),
                None => path.exps(table, xs, &mut row_e[..cols]),
            };
            let vals = &mut vals[..c1 - c0];
            if sum == 0 {
                vals.fill(dtype.saturate(zo));
            } else {
                let half = sum / 2;
                let visible = cols.clamp(c0, c1);
                let es = &row_e[c0..visible];
                match DivU32::new(sum).halves() {
                    Some((c_hi, c_lo)) => {
                        let k = RowProbs {
                            range,
                            half,
                            c_hi,
                            c_lo,
                            zo: zo as i32,
                            cap: (hi - zo) as u32,
                        };
                        path.run(&k, es, &mut vals[..visible - c0]);
                    }
                    None => {
                        // sum = 1: the quotient is the numerator.
                        for (v, &e) in vals.iter_mut().zip(es) {
                            *v = (zo + (e * range + half) as i64).clamp(lo, hi) as i32;
                        }
                    }
                }
                vals[visible - c0..].fill(dtype.saturate(zo));
            }
            let at = (idx - start) * size;
            store(dtype, vals, &mut dst[at..at + vals.len() * size]);
            idx += c1 - c0;
        }
    });
}
