//! Softmax row by row: the row loaded once into i32, its maximum and exponential sum in tight
//! loops, and the per-element division by the row's sum as a multiplication
//! ([`DivU32`], exact). Same formula, same u32 arithmetic as the reference kernel.

use std::vec;
use std::vec::Vec;

use super::divide::DivU32;
use super::elementwise::store;
use super::par::for_pieces;
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

pub(super) fn softmax(op: &Softmax, inputs: &[TensorRef<'_>], output: &TensorInfo, out: &mut [u8]) {
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
    let last = (table.len() - 1) as u32;
    let (dtype, zo) = (output.dtype, output.quant.zero_point as i64);
    let (lo, hi) = (dtype.min() as i64, dtype.max() as i64);
    let size = dtype.size();
    let range = op.out_range;
    for_pieces(out, size, n, 6, |start, dst| {
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
            let max = xs.iter().copied().fold(xs[0], i32::max);
            // The row's exponentials (`exp_at`) and their sum.
            let mut sum = 0u32;
            for (e, &v) in row_e[..cols].iter_mut().zip(xs) {
                *e = table[((max - v) as u32).min(last) as usize];
                sum += *e;
            }
            let vals = &mut vals[..c1 - c0];
            if sum == 0 {
                vals.fill(dtype.saturate(zo));
            } else {
                let div = DivU32::new(sum);
                let half = sum / 2;
                let visible = cols.clamp(c0, c1);
                for (v, &e) in vals.iter_mut().zip(&row_e[c0..visible]) {
                    let p = div.div(e * range + half);
                    // `dtype.saturate`.
                    *v = (zo + p as i64).clamp(lo, hi) as i32;
                }
                vals[visible - c0..].fill(dtype.saturate(zo));
            }
            let at = (idx - start) * size;
            store(dtype, vals, &mut dst[at..at + vals.len() * size]);
            idx += c1 - c0;
        }
    });
}
