//! 2-D max and average pooling over NCHW tensors (docs/spec.md §8.4, `pool2d`).

use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;

use super::conv::Axis;
use super::{ensure, input_count, same_type, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::quant::div_round_i64;
use crate::tensor::{write_elem, TensorInfo, TensorRef};

/// What a pooling window computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum PoolKind {
    /// The largest in-bounds element.
    Max = 0,
    /// The rounded mean of the window.
    Avg = 1,
}

/// Pooling windows of `kernel_h × kernel_w` over each plane of X `[N, C, H, W]` (i8, i16 or i32).
/// The output `[N, C, OH, OW]` keeps X's dtype and quantization, with
/// `OH = (H + pad_top + pad_bottom − kernel_h) / stride_h + 1 ≥ 1`, likewise OW. The window of
/// `(oh, ow)` covers rows `oh·stride_h − pad_top + (0..kernel_h)` and the columns likewise;
/// padding must be smaller than the kernel on every side, so every window holds at least one
/// in-bounds element.
///
/// - Max: the largest in-bounds element (padding is ignored).
/// - Avg: `zp + div_round(Σ X̄, count)` clamped to the dtype, the sum over the in-bounds
///   elements with `X̄ = x − zp` exact in i64 (no wrapping, even for i32), `count` the number of
///   in-bounds elements, or `kernel_h·kernel_w` when `count_include_pad` (padding then counts as
///   the zero point). `div_round` rounds ties away from zero.
///
/// Global average pooling is `kernel = H × W`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool2d {
    /// Max or average.
    pub kind: PoolKind,
    /// Window rows (≥ 1).
    pub kernel_h: u32,
    /// Window columns (≥ 1).
    pub kernel_w: u32,
    /// Vertical step between windows (≥ 1).
    pub stride_h: u32,
    /// Horizontal step between windows (≥ 1).
    pub stride_w: u32,
    /// Rows of padding above the input (< kernel_h).
    pub pad_top: u32,
    /// Columns of padding left of the input (< kernel_w).
    pub pad_left: u32,
    /// Rows of padding below the input (< kernel_h).
    pub pad_bottom: u32,
    /// Columns of padding right of the input (< kernel_w).
    pub pad_right: u32,
    /// Avg divides by the whole window, padding included (ignored by max).
    pub count_include_pad: bool,
}

impl Pool2d {
    /// A `kernel × kernel` window moved by `stride`, without padding.
    pub fn new(kind: PoolKind, kernel: u32, stride: u32) -> Self {
        Self {
            kind,
            kernel_h: kernel,
            kernel_w: kernel,
            stride_h: stride,
            stride_w: stride,
            pad_top: 0,
            pad_left: 0,
            pad_bottom: 0,
            pad_right: 0,
            count_include_pad: false,
        }
    }

    fn axes(&self, inputs: &[&TensorInfo]) -> Result<(Axis, Axis, Vec<u32>), OpError> {
        input_count(Self::NAME, inputs, 1..=1)?;
        let x = inputs[0];
        ensure!(
            x.shape.len() == 4,
            "pool2d: X must be [N, C, H, W], got {x}"
        );
        let rows = Axis {
            size: x.shape[2],
            taps: self.kernel_h,
            stride: self.stride_h,
            dilation: 1,
            pad_before: self.pad_top,
            pad_after: self.pad_bottom,
        };
        let cols = Axis {
            size: x.shape[3],
            taps: self.kernel_w,
            stride: self.stride_w,
            dilation: 1,
            pad_before: self.pad_left,
            pad_after: self.pad_right,
        };
        let oh = rows.output_size(Self::NAME, "h")?;
        let ow = cols.output_size(Self::NAME, "w")?;
        ensure!(
            self.pad_top < self.kernel_h
                && self.pad_bottom < self.kernel_h
                && self.pad_left < self.kernel_w
                && self.pad_right < self.kernel_w,
            "pool2d: padding must be smaller than the kernel on every side"
        );
        Ok((rows, cols, vec![x.shape[0], x.shape[1], oh, ow]))
    }
}

impl Kernel for Pool2d {
    const NAME: &'static str = "pool2d";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        Ok(self.axes(inputs)?.2)
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
        let x = inputs[0];
        let Ok((rows, cols, shape)) = self.axes(&[x.info]) else {
            return;
        };
        let (h, w) = (rows.size as usize, cols.size as usize);
        let (oh_n, ow_n) = (shape[2] as usize, shape[3] as usize);
        let zp = x.info.quant.zero_point;
        // kernel_h·kernel_w < 2^64; capped at 2^62 it still divides exactly as the full count
        // would: |Σ X̄| ≤ 2^28 · 2^32 = 2^60, so any count ≥ 2^61 rounds the mean to 0.
        let window = (self.kernel_h as u64 * self.kernel_w as u64).min(1 << 62) as i64;
        for (slot, idx) in range.enumerate() {
            // idx = (plane·OH + oh)·OW + ow with plane = n·C + c.
            let ow = idx % ow_n;
            let rest = idx / ow_n;
            let (oh, plane) = (rest % oh_n, rest / oh_n);
            let (tr, tc) = (rows.taps_at(oh), cols.taps_at(ow));
            let base = plane * h * w;
            let v = match self.kind {
                PoolKind::Max => {
                    let mut best = output.dtype.min();
                    for ih in tr.positions() {
                        for iw in tc.positions() {
                            best = best.max(x.get(base + ih * w + iw));
                        }
                    }
                    best
                }
                PoolKind::Avg => {
                    let mut sum = 0i64;
                    for ih in tr.positions() {
                        for iw in tc.positions() {
                            sum += x.get(base + ih * w + iw) as i64 - zp as i64;
                        }
                    }
                    let count = if self.count_include_pad {
                        window
                    } else {
                        // ≤ H·W ≤ 2^28; never 0 for a checked op (max(1) keeps it total).
                        (tr.len() as u64 * tc.len() as u64).max(1) as i64
                    };
                    output.dtype.saturate(zp as i64 + div_round_i64(sum, count))
                }
            };
            write_elem(output.dtype, dst, slot, v);
        }
    }

    fn encode(&self, w: &mut Writer) {
        for v in [
            self.kind as u32,
            self.kernel_h,
            self.kernel_w,
            self.stride_h,
            self.stride_w,
            self.pad_top,
            self.pad_left,
            self.pad_bottom,
            self.pad_right,
            self.count_include_pad as u32,
        ] {
            w.u32(v);
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let kind = match r.u32()? {
            0 => PoolKind::Max,
            1 => PoolKind::Avg,
            _ => return Err(DecodeError::Invalid("pool kind")),
        };
        Ok(Self {
            kind,
            kernel_h: r.u32()?,
            kernel_w: r.u32()?,
            stride_h: r.u32()?,
            stride_w: r.u32()?,
            pad_top: r.u32()?,
            pad_left: r.u32()?,
            pad_bottom: r.u32()?,
            pad_right: r.u32()?,
            count_include_pad: r.bool()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;
    use crate::ops::conv::tests::{check_err, info, run};
    use crate::ops::Op;
    use crate::tensor::DType;

    /// [`run`] with the single input `x`.
    fn run1(op: &Op, x: &(TensorInfo, Vec<i32>), output: &TensorInfo) -> Vec<i32> {
        run(op, core::slice::from_ref(x), output)
    }

    fn pool(p: Pool2d) -> Op {
        Op::Pool2d(p)
    }

    /// `p` with padding `pad` on every side.
    fn padded(p: Pool2d, pad: u32) -> Pool2d {
        Pool2d {
            pad_top: pad,
            pad_left: pad,
            pad_bottom: pad,
            pad_right: pad,
            ..p
        }
    }

    fn nine() -> (TensorInfo, Vec<i32>) {
        (info(DType::I8, &[1, 1, 3, 3], 0), (1..=9).collect())
    }

    fn same(x: &TensorInfo, shape: &[u32]) -> TensorInfo {
        TensorInfo {
            shape: shape.to_vec(),
            ..x.clone()
        }
    }

    #[test]
    fn max_pool() {
        let x = nine();
        let out = same(&x.0, &[1, 1, 2, 2]);
        let p = Pool2d::new(PoolKind::Max, 2, 1);
        assert_eq!(run1(&pool(p.clone()), &x, &out), [5, 6, 8, 9]);
        // Stride 2, padding 1: windows rows {0}, {1, 2} and the same columns.
        let p2 = padded(Pool2d::new(PoolKind::Max, 2, 2), 1);
        assert_eq!(run1(&pool(p2.clone()), &x, &out), [1, 3, 7, 9]);
        // Negative values: a window touching the padding still takes an input element (a
        // padded 0 or zero point would win otherwise).
        let x = (
            info(DType::I16, &[1, 1, 3, 3], 5),
            (1..=9).map(|v| -v).collect(),
        );
        let out = same(&x.0, &[1, 1, 2, 2]);
        assert_eq!(run1(&pool(p2), &x, &out), [-1, -2, -4, -5]);
    }

    #[test]
    fn avg_pool_count_include_pad_both_ways() {
        let x = nine();
        let out = same(&x.0, &[1, 1, 3, 3]);
        let p = padded(Pool2d::new(PoolKind::Avg, 3, 1), 1);
        // In-bounds counts 4 (corners), 6 (edges), 9 (centre); 3.5, 4.5, 5.5, 6.5 round up.
        assert_eq!(
            run1(&pool(p.clone()), &x, &out),
            [3, 4, 4, 5, 5, 6, 6, 7, 7]
        );
        // Divided by 9 throughout: 12/9, 21/9, 16/9, 27/9, 45/9, 33/9, 24/9, 39/9, 28/9.
        let p = Pool2d {
            count_include_pad: true,
            ..p
        };
        assert_eq!(run1(&pool(p), &x, &out), [1, 2, 2, 3, 5, 4, 3, 4, 3]);
    }

    #[test]
    fn avg_pool_zero_point_and_negative_ties() {
        // Centred [−3, −2]: −2.5 rounds away from zero to −3; output 10 − 3.
        let x = (info(DType::I8, &[1, 1, 1, 2], 10), vec![7, 8]);
        let p = Pool2d {
            kernel_h: 1,
            kernel_w: 2,
            ..Pool2d::new(PoolKind::Avg, 1, 1)
        };
        assert_eq!(run1(&pool(p), &x, &same(&x.0, &[1, 1, 1, 1])), [7]);
        // Padding counts as the zero point: centred [−3, −2, (0)] / 3 = −1.67 → −2.
        let p = Pool2d {
            kernel_h: 1,
            kernel_w: 3,
            pad_right: 1,
            count_include_pad: true,
            ..Pool2d::new(PoolKind::Avg, 1, 1)
        };
        assert_eq!(run1(&pool(p), &x, &same(&x.0, &[1, 1, 1, 1])), [8]);
    }

    #[test]
    fn global_average_pooling() {
        // Two images of two channels, 2×3 planes: kernel = H × W.
        let x = (
            info(DType::I16, &[2, 2, 2, 3], -1),
            vec![
                0, 1, 2, 3, 4, 5, /**/ -7, -7, -7, -7, -7, -8, //
                100, 0, 0, 0, 0, 0, /**/ 30000, 30000, 30000, 30000, 30000, 32767,
            ],
        );
        let p = Pool2d {
            kernel_h: 2,
            kernel_w: 3,
            ..Pool2d::new(PoolKind::Avg, 1, 1)
        };
        // Centred sums / 6: 21/6 = 3.5 → 4; −37/6 = −6.17 → −6; 106/6 = 17.67 → 18;
        // 182773/6 = 30462.17 → 30462; each minus 1.
        let out = same(&x.0, &[2, 2, 1, 1]);
        assert_eq!(run1(&pool(p), &x, &out), [3, -7, 17, 30461]);
    }

    /// i32 inputs: the centred values and their sum are exact in i64.
    #[test]
    fn i32_inputs_are_exact() {
        let p = Pool2d {
            kernel_h: 1,
            kernel_w: 2,
            ..Pool2d::new(PoolKind::Avg, 1, 1)
        };
        // Centred 2^31 each (over i32), mean 2^31, plus −1.
        let x = (
            info(DType::I32, &[1, 1, 1, 2], -1),
            vec![i32::MAX, i32::MAX],
        );
        let out = same(&x.0, &[1, 1, 1, 1]);
        assert_eq!(run1(&pool(p.clone()), &x, &out), [i32::MAX]);
        let x = (
            info(DType::I32, &[1, 1, 1, 2], i32::MAX),
            vec![i32::MIN, i32::MIN],
        );
        let out = same(&x.0, &[1, 1, 1, 1]);
        assert_eq!(run1(&pool(p.clone()), &x, &out), [i32::MIN]);
        let max = Pool2d {
            kind: PoolKind::Max,
            ..p
        };
        assert_eq!(run1(&pool(max), &x, &out), [i32::MIN]);
    }

    /// Kernel and padding near 2^31, stride 2^31: one window over a single element; the full
    /// window count 2^62 keeps the exact result (the zero point).
    #[test]
    fn extreme_parameters() {
        let p = Pool2d {
            kind: PoolKind::Avg,
            kernel_h: 1 << 31,
            kernel_w: 1 << 31,
            stride_h: 1 << 31,
            stride_w: 1 << 31,
            pad_top: (1 << 31) - 1,
            pad_left: (1 << 31) - 1,
            pad_bottom: (1 << 31) - 1,
            pad_right: (1 << 31) - 1,
            count_include_pad: false,
        };
        let x = (info(DType::I8, &[1, 1, 1, 1], 3), vec![-100]);
        let out = same(&x.0, &[1, 1, 1, 1]);
        assert_eq!(run1(&pool(p.clone()), &x, &out), [-100]);
        let incl = Pool2d {
            count_include_pad: true,
            ..p.clone()
        };
        assert_eq!(run1(&pool(incl), &x, &out), [3]);
        let max = Pool2d {
            kind: PoolKind::Max,
            ..p
        };
        assert_eq!(run1(&pool(max), &x, &out), [-100]);
        // Stride u32::MAX: only the windows at row 0 and column 0.
        let p = Pool2d {
            kernel_h: 1,
            kernel_w: 2,
            stride_h: u32::MAX,
            stride_w: u32::MAX,
            ..Pool2d::new(PoolKind::Max, 1, 1)
        };
        let x = (info(DType::I8, &[1, 1, 2, 3], 0), vec![1, 9, 3, 4, 5, 6]);
        assert_eq!(run1(&pool(p), &x, &same(&x.0, &[1, 1, 1, 1])), [9]);
    }

    #[test]
    fn rejects_bad_shapes_and_parameters() {
        let x = info(DType::I8, &[1, 2, 4, 4], 0);
        let out = same(&x, &[1, 2, 2, 2]);
        let p = Pool2d::new(PoolKind::Avg, 2, 2);
        pool(p.clone())
            .check(&[&x], &out)
            .expect("baseline is valid");
        let err = |p: Pool2d, x: &TensorInfo, out: &TensorInfo, needle: &str| {
            check_err(&pool(p), core::slice::from_ref(x), out, needle)
        };
        err(
            Pool2d {
                pad_left: 2,
                ..p.clone()
            },
            &x,
            &out,
            "padding must be smaller",
        );
        err(
            Pool2d {
                pad_bottom: 2,
                kind: PoolKind::Max,
                ..p.clone()
            },
            &x,
            &out,
            "padding must be smaller",
        );
        err(
            Pool2d {
                kernel_h: 0,
                ..p.clone()
            },
            &x,
            &out,
            "kernel_h",
        );
        err(
            Pool2d {
                stride_w: 0,
                ..p.clone()
            },
            &x,
            &out,
            "stride_w",
        );
        // A 5×5 window over a 4×4 input without padding: no output.
        err(Pool2d::new(PoolKind::Max, 5, 1), &x, &out, "spans");
        err(
            p.clone(),
            &info(DType::I8, &[2, 4, 4], 0),
            &out,
            "[N, C, H, W]",
        );
        // Output must keep the input's dtype and quantization.
        let other_zp = info(DType::I8, &[1, 2, 2, 2], 1);
        err(p.clone(), &x, &other_zp, "dtype and quantization");
        err(
            p.clone(),
            &x,
            &info(DType::I16, &[1, 2, 2, 2], 0),
            "dtype and quantization",
        );
        err(p.clone(), &x, &same(&x, &[1, 2, 2, 3]), "output shape");
        // Two inputs.
        check_err(&pool(p), &[x.clone(), x.clone()], &out, "inputs");
    }

    #[test]
    fn decode_rejects_unknown_kind() {
        let mut w = crate::codec::Writer::new();
        Pool2d::new(PoolKind::Avg, 2, 2).encode(&mut w);
        assert!(Op::decode_params(3, &w.bytes).is_ok());
        let mut bad = w.bytes.clone();
        bad[0] = 2;
        assert!(Op::decode_params(3, &bad).is_err());
        let mut bad = w.bytes.clone();
        bad[36] = 2; // count_include_pad
        assert!(Op::decode_params(3, &bad).is_err());
    }

    /// The kernel against a direct transcription of the definition, on random geometry.
    #[test]
    fn matches_naive_definition() {
        let mut rng = crate::testgen::XorShift32::new(0xB00C);
        let mut r = |lo: u32, hi: u32| lo + rng.next_u32() % (hi - lo + 1);
        let mut checked = 0;
        while checked < 300 {
            let (kh, kw) = (r(1, 4), r(1, 4));
            let p = Pool2d {
                kind: if r(0, 1) == 0 {
                    PoolKind::Max
                } else {
                    PoolKind::Avg
                },
                kernel_h: kh,
                kernel_w: kw,
                stride_h: r(1, 3),
                stride_w: r(1, 3),
                pad_top: r(0, kh - 1),
                pad_left: r(0, kw - 1),
                pad_bottom: r(0, kh - 1),
                pad_right: r(0, kw - 1),
                count_include_pad: r(0, 1) == 1,
            };
            let dtype = [DType::I8, DType::I16, DType::I32][r(0, 2) as usize];
            let zp = match dtype {
                DType::I8 => r(0, 255) as i32 - 128,
                DType::I16 => r(0, 200) as i32 - 100,
                DType::I32 => r(0, u32::MAX - 1) as i32,
            };
            let (n, c, h, w) = (r(1, 2), r(1, 3), r(1, 7), r(1, 7));
            let xi = info(dtype, &[n, c, h, w], zp);
            let Ok(shape) = p.output_shape(&[&xi]) else {
                continue;
            };
            let xv: Vec<i32> = (0..xi.len())
                .map(|_| match dtype {
                    DType::I32 => r(0, u32::MAX - 1) as i32,
                    _ => r(0, (dtype.max() - dtype.min()) as u32) as i32 + dtype.min(),
                })
                .collect();
            let (oh, ow) = (shape[2], shape[3]);
            let mut expect = Vec::new();
            for plane in 0..n * c {
                for y in 0..oh {
                    for x in 0..ow {
                        let mut vals = Vec::new();
                        for ky in 0..kh {
                            for kx in 0..kw {
                                let iy = (y * p.stride_h + ky) as i64 - p.pad_top as i64;
                                let ix = (x * p.stride_w + kx) as i64 - p.pad_left as i64;
                                if (0..h as i64).contains(&iy) && (0..w as i64).contains(&ix) {
                                    vals.push(
                                        xv[((plane * h) as i64 * w as i64 + iy * w as i64 + ix)
                                            as usize],
                                    );
                                }
                            }
                        }
                        assert!(!vals.is_empty());
                        expect.push(match p.kind {
                            PoolKind::Max => *vals.iter().max().unwrap(),
                            PoolKind::Avg => {
                                let sum: i64 = vals.iter().map(|&v| v as i64 - zp as i64).sum();
                                let count = if p.count_include_pad {
                                    (kh * kw) as i64
                                } else {
                                    vals.len() as i64
                                };
                                dtype.saturate(zp as i64 + div_round_i64(sum, count))
                            }
                        });
                    }
                }
            }
            assert_eq!(
                run1(&pool(p.clone()), &(xi.clone(), xv), &same(&xi, &shape)),
                expect,
                "{p:?}"
            );
            checked += 1;
        }
    }

    /// Quantization sanity: average pooling of quantized data against the float average of the
    /// dequantized data, `ŷ = s·(q − z)` against `y`: `|ŷ − y| ≤ s/2` (input and output share
    /// the scale, and the integer result is the float mean rounded to the nearest quantum), well
    /// inside the general bound of one quantum.
    #[cfg(feature = "std")]
    #[test]
    fn quantized_avg_pool_tracks_float_avg_pool() {
        use crate::quant::Requant;
        use crate::tensor::Quant;
        let mut rng = crate::testgen::XorShift32::new(0xA7E);
        for trial in 0..8 {
            let s = Requant::from_f64(0.0137 * (1 + trial) as f64);
            let zp = (rng.next_u32() % 61) as i32 - 30;
            let xi = TensorInfo::new(
                DType::I8,
                &[1, 2, 5, 6],
                Quant {
                    scale: s,
                    zero_point: zp,
                },
            );
            let p = Pool2d {
                count_include_pad: trial % 2 == 0,
                ..padded(Pool2d::new(PoolKind::Avg, 3, 2), 1)
            };
            let shape = p.output_shape(&[&xi]).unwrap();
            let xv: Vec<i32> = (0..xi.len())
                .map(|_| (rng.next_u32() >> 24) as i8 as i32)
                .collect();
            let got = run(
                &pool(p.clone()),
                &[(xi.clone(), xv.clone())],
                &same(&xi, &shape),
            );
            let sf = s.to_f64();
            let mut i = 0;
            for plane in 0..2i64 {
                for y in 0..shape[2] as i64 {
                    for x in 0..shape[3] as i64 {
                        let (mut sum, mut count) = (0f64, 0f64);
                        for ky in 0..3 {
                            for kx in 0..3 {
                                let (iy, ix) = (2 * y - 1 + ky, 2 * x - 1 + kx);
                                if (0..5).contains(&iy) && (0..6).contains(&ix) {
                                    sum +=
                                        sf * (xv[((plane * 5 + iy) * 6 + ix) as usize] - zp) as f64;
                                    count += 1.0;
                                }
                            }
                        }
                        let mean = sum / if p.count_include_pad { 9.0 } else { count };
                        let deq = sf * (got[i] - zp) as f64;
                        assert!(
                            (deq - mean).abs() <= sf * (0.5 + 1e-9),
                            "trial {trial}: {deq} vs {mean}"
                        );
                        i += 1;
                    }
                }
            }
        }
    }
}
