//! Table lookup: the elementwise nonlinearities (GELU, SiLU, sigmoid, tanh, exp) as a table that
//! the converter fills (docs/spec.md §8.4, `lut`).

use alloc::vec::Vec;
use core::ops::Range;

use super::{ensure, input_count, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::quant::rounding_divide_by_pot;
use crate::tensor::{write_elem, DType, TensorInfo, TensorRef};

/// `out = T[x + 128]` for an i8 X (T has 256 entries); for an i16 X (T has 257 entries) the table
/// is sampled every 256 steps and interpolated linearly: with `u = x + 32768`, `i = u >> 8`,
/// `f = u & 255`, `out = T[i] + div_round((T[i + 1] − T[i]) · f, 256)` (ties away from zero).
///
/// Inputs: X (i8 or i16, any shape) and the table T (rank 1, dtype = the output's, i8 or i16).
/// The output has X's shape and its own quantization; T holds output values directly, so the
/// output's zero point is not added. All arithmetic is i32: `|(T[i+1] − T[i]) · f| < 2^24`, and
/// the interpolated value lies between `T[i]` and `T[i + 1]` (the final clamp to the output dtype
/// never changes it; it is kept as a guard).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lut;

/// Entries of the table of an X of `dtype`.
fn table_len(dtype: DType) -> u32 {
    match dtype {
        DType::I8 => 256,
        _ => 257,
    }
}

impl Kernel for Lut {
    const NAME: &'static str = "lut";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        input_count(Self::NAME, inputs, 2..=2)?;
        let (x, t) = (inputs[0], inputs[1]);
        ensure!(
            x.dtype != DType::I32,
            "lut: X must be i8 or i16, got {}",
            x.dtype
        );
        let len = table_len(x.dtype);
        ensure!(
            t.shape == [len],
            "lut: the table of an {} X must be [{len}], got {t}",
            x.dtype
        );
        ensure!(
            t.dtype != DType::I32,
            "lut: the table must be i8 or i16, got {}",
            t.dtype
        );
        Ok(x.shape.clone())
    }

    fn check_output(&self, inputs: &[&TensorInfo], output: &TensorInfo) -> Result<(), OpError> {
        ensure!(
            output.dtype == inputs[1].dtype,
            "lut: output dtype {} differs from the table's {}",
            output.dtype,
            inputs[1].dtype
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
        let (x, t) = (inputs[0], inputs[1]);
        let wide = x.info.dtype != DType::I8;
        for (slot, idx) in range.enumerate() {
            let v = x.get(idx);
            let out = if wide {
                // 0 ≤ u ≤ 65535, so i ≤ 255 and i + 1 ≤ 256.
                let u = (v + 32768) as u32;
                let (i, f) = ((u >> 8) as usize, (u & 255) as i32);
                let (lo, hi) = (t.get(i), t.get(i + 1));
                lo + rounding_divide_by_pot((hi - lo) * f, 8)
            } else {
                t.get((v + 128) as u32 as usize)
            };
            write_elem(output.dtype, dst, slot, output.dtype.saturate(out as i64));
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
    use crate::ops::testutil::{out_info, rejects, run, tensor};
    use crate::ops::Op;
    use crate::quant::div_round_i64;
    use std::vec;

    #[test]
    fn i8_lookup() {
        let table: Vec<i32> = (0..256).map(|j| 127 - j).collect();
        let t = tensor(DType::I8, &[256], 0, &table);
        let x = tensor(DType::I8, &[5], 3, &[-128, -1, 0, 1, 127]);
        let out = run(&Op::Lut(Lut), &[x, t], &out_info(DType::I8, &[5], -7));
        // T[x + 128] = 127 − (x + 128) = −1 − x; the zero points play no part.
        assert_eq!(out, vec![127, 0, -1, -2, -128]);
    }

    #[test]
    fn i16_interpolation_and_both_ends() {
        let mut table: Vec<i32> = (0..257).map(|j| j * 100 - 12800).collect();
        table[0] = -32768;
        table[1] = 32767;
        table[255] = -5;
        table[256] = 4;
        let t = tensor(DType::I16, &[257], 0, &table);
        let xs = [
            -32768,
            -32767,
            -32768 + 128,
            -32768 + 255,
            32767 - 255,
            32767,
            0,
            128,
            129,
        ];
        let x = tensor(DType::I16, &[xs.len() as u32], 0, &xs);
        let out = run(
            &Op::Lut(Lut),
            &[x, t],
            &out_info(DType::I16, &[xs.len() as u32], 0),
        );
        let full = 65535;
        assert_eq!(
            out,
            vec![
                -32768,                                         // f = 0: T[0] exactly
                -32768 + div_round_i64(full, 256) as i32,       // f = 1: 255.996 → 256
                -32768 + div_round_i64(full * 128, 256) as i32, // half way
                -32768 + div_round_i64(full * 255, 256) as i32,
                -5,                                      // u = 65280: T[255]
                -5 + div_round_i64(9 * 255, 256) as i32, // x = 32767: towards T[256]
                0,                                       // u = 32768: T[128] = 0
                50,                                      // T[128] + 100 · 128 / 256
                50,                                      // 100 · 129 / 256 = 50.39 → 50
            ]
        );
        assert_eq!(out[5], 4); // 8.96 → 9: −5 + 9
    }

    #[test]
    fn interpolation_rounds_ties_away_from_zero() {
        // (T[1] − T[0]) · f / 256 = ±0.5 exactly for a difference of ±1 and f = 128.
        for (d, want) in [(1, 1), (-1, -1), (3, 2), (-3, -2)] {
            let mut table = vec![0; 257];
            table[1] = d;
            let t = tensor(DType::I8, &[257], 0, &table);
            let x = tensor(DType::I16, &[1], 0, &[-32768 + 128]);
            let out = run(&Op::Lut(Lut), &[x, t], &out_info(DType::I8, &[1], 0));
            assert_eq!(out, vec![want], "difference {d}");
        }
        for n in -70_000..70_000 {
            assert_eq!(
                rounding_divide_by_pot(n, 8) as i64,
                div_round_i64(n as i64, 256),
                "{n}"
            );
        }
    }

    #[test]
    fn rejects_bad_tables() {
        let x8 = out_info(DType::I8, &[4], 0);
        let x16 = out_info(DType::I16, &[4], 0);
        let t = |d, n| out_info(d, &[n], 0);
        let op = Op::Lut(Lut);
        rejects(
            &op,
            &[&x8, &t(DType::I8, 257)],
            &out_info(DType::I8, &[4], 0),
        );
        rejects(&op, &[&x16, &t(DType::I16, 256)], &x16);
        rejects(
            &op,
            &[&x8, &t(DType::I16, 256)],
            &out_info(DType::I8, &[4], 0),
        );
        rejects(
            &op,
            &[&x8, &t(DType::I32, 256)],
            &out_info(DType::I32, &[4], 0),
        );
        rejects(
            &op,
            &[&out_info(DType::I32, &[4], 0), &t(DType::I8, 257)],
            &x8,
        );
        rejects(&op, &[&x8, &out_info(DType::I8, &[16, 16], 0)], &x8);
        rejects(&op, &[&x8], &x8);
    }

    /// GELU, `max |gelu''| = gelu''(0) ≈ 0.798`.
    fn gelu(v: f64) -> f64 {
        // The tanh form (GPT-2); the table and the reference only need to be the same function.
        0.5 * v * (1.0 + ((2.0 / core::f64::consts::PI).sqrt() * (v + 0.044715 * v * v * v)).tanh())
    }

    /// Quality of a GELU table, dequantized output vs float GELU of the dequantized input.
    ///
    /// Bound: i8 X (256 exact entries): `|ŷ − gelu(x)| ≤ s_o / 2` (table rounding only, the
    /// output range covers GELU's range). i16 X (257 entries, step `h = 256 · s_x`):
    /// `|ŷ − gelu(x)| ≤ s_o + h² · max|gelu''| / 8` with `max|gelu''| ≤ 0.8` — table rounding
    /// (`s_o / 2`), interpolation rounding (`s_o / 2`) and linear interpolation error.
    #[test]
    fn gelu_quality() {
        // i8: X in [-8, 8) with s_x = 1/16, zp 0; output i8 over [-0.25, 8], s_o = 8.25/255.
        let (sx, so, zo) = (
            1.0 / 16.0,
            8.25 / 255.0,
            -128 + (0.25f64 / (8.25 / 255.0)).round() as i32,
        );
        let quant_out = |y: f64| ((y / so).round() as i32 + zo).clamp(-128, 127);
        let table: Vec<i32> = (0..256)
            .map(|j| quant_out(gelu(sx * (j - 128) as f64)))
            .collect();
        let xs: Vec<i32> = (-128..128).collect();
        let out = run(
            &Op::Lut(Lut),
            &[
                tensor(DType::I8, &[256], 0, &xs),
                tensor(DType::I8, &[256], zo, &table),
            ],
            &out_info(DType::I8, &[256], zo),
        );
        let mut worst = 0f64;
        for (&x, &q) in xs.iter().zip(&out) {
            let err = (so * (q - zo) as f64 - gelu(sx * x as f64)).abs();
            worst = worst.max(err);
        }
        assert!(
            worst <= so / 2.0 + 1e-12,
            "i8 GELU error {worst} > {}",
            so / 2.0
        );

        // i16: X in [-8, 8) with s_x = 8/32768; output i16 zp 0 over [-8, 8], s_o = 8/32767.
        let (sx, so) = (8.0 / 32768.0, 8.0 / 32767.0);
        let h = 256.0 * sx;
        let table: Vec<i32> = (0..257)
            .map(|j| ((gelu(h * (j - 128) as f64) / so).round() as i32).clamp(-32768, 32767))
            .collect();
        let xs: Vec<i32> = (-32768..32768).step_by(7).chain([32767]).collect();
        let n = xs.len() as u32;
        let out = run(
            &Op::Lut(Lut),
            &[
                tensor(DType::I16, &[n], 0, &xs),
                tensor(DType::I16, &[257], 0, &table),
            ],
            &out_info(DType::I16, &[n], 0),
        );
        let bound = so + h * h * 0.8 / 8.0;
        let mut worst = 0f64;
        for (&x, &q) in xs.iter().zip(&out) {
            worst = worst.max((so * q as f64 - gelu(sx * x as f64)).abs());
        }
        assert!(worst <= bound, "i16 GELU error {worst} > {bound}");
    }
}
