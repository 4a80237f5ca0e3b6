//! Softmax over the last axis with an exponential table, optionally causal (docs/spec.md §8.4,
//! `softmax`).

use alloc::vec::Vec;
use core::ops::Range;

use super::{ensure, input_count, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::tensor::{read_elem, write_elem, DType, TensorInfo, TensorRef};

/// Longest row (last dimension): keeps the sum of a row's exponentials within a u32.
pub const MAX_SOFTMAX_ROW: u32 = 1 << 16;
/// Largest `out_range`.
pub const MAX_SOFTMAX_RANGE: u32 = 65535;
/// The table's 1.0: entries are clamped into `0..=EXP_ONE` when used.
pub const EXP_ONE: i32 = 1 << 15;

/// Softmax of each row of X (its last axis) with an exponential table.
///
/// Inputs: X (i8 or i16, rank ≥ 1, rank ≥ 2 if causal, last dim ≤ 2^16) and the table E (i32
/// `[L]`, L ≥ 1; the converter sets `E[k] = round(2^15 · exp(−k · scale_x))`). For a row,
/// `mx` is the largest X over the unmasked positions; an unmasked position has
/// `e = clamp(E[min(mx − x, L − 1)], 0, 2^15)`, a masked one `e = 0`; `sum = Σ e`. The output is
/// `zo + floor((e · out_range + floor(sum / 2)) / sum)` clamped to the output dtype (i8 or i16,
/// any zero point), and `zo` where masked or where `sum = 0` (possible only if `E[0] ≤ 0`).
///
/// Causal: the row index `r` is the index along axis rank − 2 and the column `c` the index along
/// the last axis; positions with `c > r` are masked.
///
/// Width: `sum ≤ 2^16 · 2^15 = 2^31` and `e · out_range + sum / 2 ≤ 2^15 · 65535 + 2^30 < 2^32`,
/// so the whole computation is exact in u32 (the result equals the same formula in u64).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Softmax {
    /// Mask the positions above the diagonal (`c > r`).
    pub causal: bool,
    /// The output value of probability 1 above the zero point (≤ 65535): 255 for i8 with zero
    /// point −128, 32767 for i16 with zero point 0.
    pub out_range: u32,
}

/// Row statistics: the largest unmasked X and the sum of the exponentials.
struct RowStats {
    max: i32,
    sum: u32,
}

/// `E[min(diff, L − 1)]` clamped into `0..=2^15`.
#[inline(always)]
fn exp_at(table: &[u8], len: u32, diff: u32) -> u32 {
    let k = if diff < len - 1 { diff } else { len - 1 };
    read_elem(DType::I32, table, k as usize).clamp(0, EXP_ONE) as u32
}

impl Kernel for Softmax {
    const NAME: &'static str = "softmax";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 2..=2)?;
        let (x, e) = (inputs[0], inputs[1]);
        ensure!(
            x.dtype != DType::I32,
            "softmax: X must be i8 or i16, got {}",
            x.dtype
        );
        let rank = x.shape.len();
        let min_rank = if self.causal { 2 } else { 1 };
        ensure!(
            rank >= min_rank,
            "softmax: X needs rank ≥ {min_rank}, got {x}"
        );
        ensure!(
            x.shape[rank - 1] <= MAX_SOFTMAX_ROW,
            "softmax: rows longer than {MAX_SOFTMAX_ROW}: {x}"
        );
        ensure!(
            e.dtype == DType::I32 && e.shape.len() == 1 && e.shape[0] >= 1,
            "softmax: the exponential table must be i32 [L] with L ≥ 1, got {e}"
        );
        ensure!(
            self.out_range <= MAX_SOFTMAX_RANGE,
            "softmax: out_range {} exceeds {MAX_SOFTMAX_RANGE}",
            self.out_range
        );
        Ok(x.shape.clone())
    }

    fn check_output(&self, _inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
        ensure!(
            output.dtype != DType::I32,
            "softmax: output must be i8 or i16"
        );
        Ok(())
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let (x, e) = (inputs[0], inputs[1]);
        let n = x.info.last_dim();
        let rank = x.info.shape.len();
        let rows = if self.causal {
            x.info.shape[rank - 2] as usize
        } else {
            1
        };
        let len = e.info.shape[0];
        let zo = output.quant.zero_point as i64;
        // The unmasked columns of row `row` (flat index): `0..=r` if causal, else all.
        let visible = |row: usize| {
            if self.causal {
                (row % rows + 1).min(n)
            } else {
                n
            }
        };
        let mut stats = RowStats { max: 0, sum: 0 };
        let mut cached_row = usize::MAX;
        for (slot, idx) in range.enumerate() {
            let (row, col) = (idx / n, idx % n);
            let cols = visible(row);
            if row != cached_row {
                // Once per row touched by the range.
                let base = row * n;
                let mut max = x.get(base);
                for c in 1..cols {
                    max = max.max(x.get(base + c));
                }
                let mut sum = 0u32;
                for c in 0..cols {
                    sum += exp_at(e.data, len, (max - x.get(base + c)) as u32);
                }
                stats = RowStats { max, sum };
                cached_row = row;
            }
            let v = if col >= cols || stats.sum == 0 {
                zo
            } else {
                let ex = exp_at(e.data, len, (stats.max - x.get(idx)) as u32);
                let p = (ex * self.out_range + stats.sum / 2) / stats.sum;
                zo + p as i64
            };
            write_elem(output.dtype, dst, slot, output.dtype.saturate(v));
        }
    }

    fn encode(&self, w: &mut Writer) {
        w.u32(self.causal as u32);
        w.u32(self.out_range);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            causal: r.bool()?,
            out_range: r.u32()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testutil::{i32s, out_info, rejects, run, tensor, Tensor};
    use crate::ops::Op;
    use std::vec;

    /// `E[k] = round(2^15 · exp(−k · s))` for `k < len`.
    fn exp_table(s: f64, len: u32) -> Tensor {
        let v: Vec<i32> = (0..len)
            .map(|k| (32768.0 * (-(k as f64) * s).exp()).round() as i32)
            .collect();
        i32s(&[len], &v)
    }

    fn op(causal: bool, out_range: u32) -> Op {
        Op::Softmax(Softmax { causal, out_range })
    }

    #[test]
    fn hand_computed_row() {
        // E halves per step: 2^15, 2^14, 2^13, 2^12.
        let e = i32s(&[4], &[32768, 16384, 8192, 4096]);
        let x = tensor(DType::I8, &[1, 4], 5, &[3, 2, 1, 0]);
        let out = run(
            &op(false, 255),
            &[x, e],
            &out_info(DType::I8, &[1, 4], -128),
        );
        // sum = 61440; (e · 255 + 30720) / 61440: 136.5 → 136, 68.5 → 68, 34.5 → 34, 17.5 → 17.
        assert_eq!(out, vec![8, -60, -94, -111]);
    }

    #[test]
    fn all_equal_rows_are_uniform() {
        for (dtype, zo, range) in [(DType::I8, -128, 255), (DType::I16, 0, 32767)] {
            for n in [1u32, 2, 3, 4, 7, 64] {
                let x = tensor(dtype, &[2, n], 0, &vec![-7; 2 * n as usize]);
                let out = run(
                    &op(false, range),
                    &[x, exp_table(0.1, 40)],
                    &out_info(dtype, &[2, n], zo),
                );
                let want = zo
                    + ((range as u64 * 32768 + (n as u64 * 32768) / 2) / (n as u64 * 32768)) as i32;
                assert!(out.iter().all(|&v| v == want), "n = {n}: {out:?}");
            }
        }
    }

    #[test]
    fn one_huge_value_takes_everything() {
        // Beyond the table (k clamps to L − 1, whose entry is 0).
        let mut v = vec![-32768; 9];
        v[4] = 32767;
        let x = tensor(DType::I16, &[9], 0, &v);
        let out = run(
            &op(false, 32767),
            &[x, exp_table(0.01, 2000)],
            &out_info(DType::I16, &[9], 0),
        );
        let mut want = vec![0; 9];
        want[4] = 32767;
        assert_eq!(out, want);
        // The last table entry is used for every distance beyond the table, even if nonzero.
        let x = tensor(DType::I8, &[3], 0, &[127, -128, 126]);
        let e = i32s(&[2], &[32768, 1]);
        let out = run(&op(false, 255), &[x, e], &out_info(DType::I8, &[3], -128));
        // sum = 32770: 255 · 32768 / 32770 ≈ 254.98 → 255 − 128; 255 / 32770 → 0.
        assert_eq!(out, vec![127, -128, -128]);
    }

    #[test]
    fn causal_mask() {
        // [2, 3, 3]: two heads of a 3×3 score matrix; all scores equal.
        let x = tensor(DType::I8, &[2, 3, 3], 0, &[10; 18]);
        let out = run(
            &op(true, 255),
            &[x, exp_table(0.1, 16)],
            &out_info(DType::I8, &[2, 3, 3], -128),
        );
        // Row 0 sees only column 0; row 1 splits evenly, (32768 · 255 + 32768) / 65536 = 128;
        // row 2: (32768 · 255 + 49152) / 98304 = 85.5, floored.
        let row1 = -128 + 128;
        let row2 = -128 + 85;
        let want = [127, -128, -128, row1, row1, -128, row2, row2, row2];
        assert_eq!(out[..9], want);
        assert_eq!(out[9..], want);
        // More rows than columns: rows ≥ n see every column.
        let x = tensor(DType::I16, &[4, 2], 0, &[1, 2, 1, 2, 1, 2, 1, 2]);
        let e = i32s(&[2], &[32768, 16384]);
        let out = run(&op(true, 32767), &[x, e], &out_info(DType::I16, &[4, 2], 0));
        let (lo, hi) = (
            (16384 * 32767 + 24576) / 49152,
            (32768 * 32767 + 24576) / 49152,
        );
        assert_eq!(out, vec![32767, 0, lo, hi, lo, hi, lo, hi]);
        // Masked positions are ignored by the maximum: row 0 of [[0, 100]] is one-hot.
        let x = tensor(DType::I8, &[2, 2], 0, &[0, 100, 0, 100]);
        let out = run(
            &op(true, 255),
            &[x, exp_table(0.5, 300)],
            &out_info(DType::I8, &[2, 2], -128),
        );
        assert_eq!(out, vec![127, -128, -128, 127]);
    }

    #[test]
    fn table_entries_are_clamped_and_zero_sum_gives_the_zero_point() {
        let x = tensor(DType::I8, &[3], 0, &[0, -1, -2]);
        // E[0] above 2^15 counts as 2^15, negative entries as 0.
        let e = i32s(&[3], &[i32::MAX, -5, 32768]);
        let out = run(
            &op(false, 100),
            &[x.clone(), e],
            &out_info(DType::I8, &[3], 0),
        );
        assert_eq!(out, vec![50, 0, 50]);
        let e = i32s(&[3], &[0, 0, i32::MIN]);
        let out = run(&op(false, 100), &[x, e], &out_info(DType::I8, &[3], 9));
        assert_eq!(out, vec![9, 9, 9]);
    }

    #[test]
    fn output_clamps_to_the_dtype() {
        let x = tensor(DType::I8, &[2], 0, &[0, 0]);
        let out = run(
            &op(false, 65535),
            &[x, exp_table(0.1, 4)],
            &out_info(DType::I8, &[2], 0),
        );
        assert_eq!(out, vec![127, 127]);
    }

    #[test]
    fn longest_row_does_not_overflow() {
        let n = MAX_SOFTMAX_ROW;
        let x = tensor(DType::I16, &[n], 0, &vec![0; n as usize]);
        let out = run(
            &op(false, 65535),
            &[x, i32s(&[1], &[32768])],
            &out_info(DType::I16, &[n], -32768),
        );
        // sum = 2^31; (2^15 · 65535 + 2^30) / 2^31 = 1.49… → 1.
        assert!(out.iter().all(|&v| v == -32767));
    }

    #[test]
    fn rejects_bad_inputs() {
        let x = out_info(DType::I8, &[2, 4], 0);
        let e = out_info(DType::I32, &[8], 0);
        let o = out_info(DType::I8, &[2, 4], 0);
        run(
            &op(true, 255),
            &[
                tensor(DType::I8, &[2, 4], 0, &[0; 8]),
                i32s(&[8], &[32768; 8]),
            ],
            &o,
        );
        let r = rejects;
        r(&op(false, 65536), &[&x, &e], &o);
        r(
            &op(true, 255),
            &[&out_info(DType::I8, &[4], 0), &e],
            &out_info(DType::I8, &[4], 0),
        );
        r(&op(false, 255), &[&x, &out_info(DType::I16, &[8], 0)], &o);
        r(
            &op(false, 255),
            &[&x, &out_info(DType::I32, &[2, 4], 0)],
            &o,
        );
        r(
            &op(false, 255),
            &[&x, &e],
            &out_info(DType::I32, &[2, 4], 0),
        );
        r(
            &op(false, 255),
            &[&out_info(DType::I32, &[2, 4], 0), &e],
            &o,
        );
        r(&op(false, 255), &[&x, &out_info(DType::I32, &[0], 0)], &o);
        let long = out_info(DType::I8, &[MAX_SOFTMAX_ROW + 1], 0);
        r(&op(false, 255), &[&long, &e], &long);
    }

    /// Quality: softmax with a float-built exponential table vs float softmax of the dequantized
    /// input.
    ///
    /// Bound: `|p̂ − p| ≤ 1 / (2 · out_range) + (1 + n) / 2^16` for a row of n, where p̂ is the
    /// dequantized output `(out − zo) / out_range`. The first term is the output rounding; the
    /// second the table rounding: each `e` is within 1/2 of `2^15 · exp(·)`, the sum is at least
    /// 2^15 (the maximum's entry), so `|e/Σe − E/ΣE| ≤ (1/2 + p · n/2) / 2^15`. The table is long
    /// enough that its last entry rounds to 0.
    #[test]
    fn float_softmax_quality() {
        let mut rng = crate::testgen::XorShift32::new(7);
        for (dtype, zo, range, sx) in [
            (DType::I8, -128, 255u32, 0.08),
            (DType::I8, -128, 255, 0.02),
            (DType::I16, 0, 32767, 0.0005),
            (DType::I16, 0, 32767, 0.003),
        ] {
            for n in [1u32, 5, 16, 64, 200] {
                let rows = 4u32;
                let len = ((17.0 * core::f64::consts::LN_2 / sx).ceil() as u32 + 2).min(70_000);
                let vals: Vec<i32> = (0..rows * n)
                    .map(|_| {
                        let r = rng.next_u32();
                        match dtype {
                            DType::I8 => (r >> 24) as u8 as i8 as i32,
                            _ => ((r >> 16) as u16 as i16 as i32) / 4,
                        }
                    })
                    .collect();
                let x = tensor(dtype, &[rows, n], 0, &vals);
                let out = run(
                    &op(false, range),
                    &[x, exp_table(sx, len)],
                    &out_info(dtype, &[rows, n], zo),
                );
                let bound = 0.5 / range as f64 + (1 + n) as f64 / 65536.0;
                for r in 0..rows as usize {
                    let row = &vals[r * n as usize..(r + 1) * n as usize];
                    let mx = row.iter().copied().max().unwrap();
                    let ex: Vec<f64> = row.iter().map(|&v| (sx * (v - mx) as f64).exp()).collect();
                    let total: f64 = ex.iter().sum();
                    for (c, &w) in ex.iter().enumerate() {
                        let p = w / total;
                        let q = (out[r * n as usize + c] - zo) as f64 / range as f64;
                        assert!(
                            (q - p).abs() <= bound,
                            "{dtype} n={n} s={sx}: {q} vs {p} (bound {bound})"
                        );
                    }
                }
            }
        }
    }
}
