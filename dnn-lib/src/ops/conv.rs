//! 2-D convolution over NCHW tensors with padding, stride, dilation and groups (docs/spec.md
//! §8.4, `conv2d`), and the sliding-window geometry it shares with pooling.

use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;

use super::stage::{channel_requant, OutputStage};
use super::{ensure, input_count, shape_str, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::tensor::{read_elem, write_elem, DType, TensorInfo, TensorRef};

/// One spatial axis of a sliding window. Input position of tap `k` of output position `o`:
/// `o·stride − pad_before + k·dilation`; positions outside `0..size` are padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Axis {
    /// Input extent.
    pub(crate) size: u32,
    /// Taps of the window (kernel extent).
    pub(crate) taps: u32,
    /// Step between output positions.
    pub(crate) stride: u32,
    /// Step between taps.
    pub(crate) dilation: u32,
    /// Padding before the first input position.
    pub(crate) pad_before: u32,
    /// Padding after the last input position.
    pub(crate) pad_after: u32,
}

/// The taps of one output position that fall inside the input: tap `k.start + j` reads input
/// position `first + j·step`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Taps {
    /// Indices of the in-bounds taps (consecutive: the in-bounds positions form one run).
    pub(crate) k: Range<usize>,
    /// Input position of tap `k.start` (0 when there is none).
    pub(crate) first: usize,
    /// Input positions between consecutive taps: the dilation, capped at the input extent (with
    /// a larger dilation at most one tap is in bounds, so the cap changes nothing and keeps the
    /// step within `usize` on 32-bit targets).
    pub(crate) step: usize,
}

impl Taps {
    /// Number of in-bounds taps.
    pub(crate) fn len(&self) -> usize {
        self.k.len()
    }

    /// The in-bounds input positions.
    pub(crate) fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).map(move |j| self.first + j * self.step)
    }
}

impl Axis {
    /// `(size + pad_before + pad_after − dilation·(taps − 1) − 1) / stride + 1`, computed in u64
    /// (no intermediate overflows). Errors unless stride, dilation and taps are ≥ 1 and the result
    /// is at least 1 and fits a u32.
    pub(crate) fn output_size(&self, op: &str, axis: &str) -> Result<u32, OpError> {
        ensure!(self.stride >= 1, "{op}: stride_{axis} must be ≥ 1");
        ensure!(self.dilation >= 1, "{op}: dilation_{axis} must be ≥ 1");
        ensure!(self.taps >= 1, "{op}: kernel_{axis} must be ≥ 1");
        let padded = self.size as u64 + self.pad_before as u64 + self.pad_after as u64;
        // ≤ (2^32 − 1)(2^32 − 2) + 1 < 2^64.
        let span = self.dilation as u64 * (self.taps as u64 - 1) + 1;
        ensure!(
            padded >= span,
            "{op}: the window spans {span} positions along {axis}, more than the padded \
             extent {padded}"
        );
        let out = (padded - span) / self.stride as u64 + 1;
        ensure!(
            out <= u32::MAX as u64,
            "{op}: output extent {out} along {axis} does not fit a u32"
        );
        Ok(out as u32)
    }

    /// The in-bounds taps of output position `out`. Exact u64 arithmetic for any `out` below
    /// 2^32 and any parameters (every product is below 2^64); `first` and `step` are below the
    /// input extent, so they fit a `usize` everywhere.
    pub(crate) fn taps_at(&self, out: usize) -> Taps {
        let (size, dil, taps) = (
            self.size as u64,
            self.dilation.max(1) as u64,
            self.taps as u64,
        );
        let step = dil.min(size) as usize;
        let none = Taps {
            k: 0..0,
            first: 0,
            step,
        };
        let origin = out as u64 * self.stride as u64;
        let pad = self.pad_before as u64;
        // First in-bounds tap `lo` and its position.
        let (lo, first) = if origin >= pad {
            (0, origin - pad)
        } else {
            let before = pad - origin; // ≤ 2^32 − 1
            let lo = before.div_ceil(dil);
            (lo, lo * dil - before) // lo·dil < before + dil ≤ 2^33
        };
        if lo >= taps || first >= size {
            return none;
        }
        let hi = (lo + (size - 1 - first) / dil + 1).min(taps);
        Taps {
            k: lo as usize..hi as usize,
            first: first as usize,
            step,
        }
    }
}

/// `out[n, o, oh, ow] = stage(Σ_{c, kh, kw} X̄[n, g·Cg + c, ih, iw] · W̄[o, c, kh, kw] + bias[o])`
/// with `g = o / (O / groups)`, `Cg = C / groups`, `ih = oh·stride_h − pad_top + kh·dilation_h`,
/// `iw = ow·stride_w − pad_left + kw·dilation_w`; taps in the padding contribute nothing (they
/// read the input's zero point). Accumulation wraps in i32.
///
/// Inputs: X `[N, C, H, W]` and the weight `[O, C / groups, KH, KW]` (i8 or i16, PyTorch's
/// layout), then the optional bias (i32 `[O]`), then the optional per-channel multipliers
/// (i32 `[O, 2]`, row `o` for output channel `o`). Output `[N, O, OH, OW]` with
/// `OH = (H + pad_top + pad_bottom − dilation_h·(KH − 1) − 1) / stride_h + 1 ≥ 1`, likewise OW.
/// Depthwise convolution is `groups = C` (with `O` a multiple of `C`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conv2d {
    /// Vertical step between output rows (≥ 1).
    pub stride_h: u32,
    /// Horizontal step between output columns (≥ 1).
    pub stride_w: u32,
    /// Rows of padding above the input.
    pub pad_top: u32,
    /// Columns of padding left of the input.
    pub pad_left: u32,
    /// Rows of padding below the input.
    pub pad_bottom: u32,
    /// Columns of padding right of the input.
    pub pad_right: u32,
    /// Vertical step between kernel taps (≥ 1).
    pub dilation_h: u32,
    /// Horizontal step between kernel taps (≥ 1).
    pub dilation_w: u32,
    /// Channel groups (≥ 1, dividing C and O).
    pub groups: u32,
    /// A bias input follows the weight.
    pub has_bias: bool,
    /// A per-channel multiplier input follows (the stage's multiplier is then unused).
    pub per_channel: bool,
    /// Requantization and clamp.
    pub stage: OutputStage,
}

impl Default for Conv2d {
    /// Stride 1, no padding, no dilation, one group, no bias, identity multiplier.
    fn default() -> Self {
        Self {
            stride_h: 1,
            stride_w: 1,
            pad_top: 0,
            pad_left: 0,
            pad_bottom: 0,
            pad_right: 0,
            dilation_h: 1,
            dilation_w: 1,
            groups: 1,
            has_bias: false,
            per_channel: false,
            stage: OutputStage::new(crate::quant::Requant::IDENTITY),
        }
    }
}

/// Dimensions of a checked conv2d.
struct Dims {
    channels: usize,
    group_channels: usize,
    group_outputs: usize,
    out_channels: usize,
    h: usize,
    w: usize,
    kh: usize,
    kw: usize,
    oh: usize,
    ow: usize,
    rows: Axis,
    cols: Axis,
}

impl Conv2d {
    fn dims(&self, inputs: &[&TensorInfo]) -> Result<(Dims, Vec<u32>), OpError> {
        let expected = 2 + self.has_bias as usize + self.per_channel as usize;
        input_count(Self::NAME, inputs, expected..=expected)?;
        let (x, wt) = (inputs[0], inputs[1]);
        ensure!(
            x.shape.len() == 4 && wt.shape.len() == 4,
            "conv2d: X must be [N, C, H, W] and the weight [O, C/groups, KH, KW], got {x} and {wt}"
        );
        ensure!(
            x.dtype != DType::I32 && wt.dtype != DType::I32,
            "conv2d: X and the weight must be i8 or i16"
        );
        let [n, c, h, w] = [x.shape[0], x.shape[1], x.shape[2], x.shape[3]];
        let [o, cg, kh, kw] = [wt.shape[0], wt.shape[1], wt.shape[2], wt.shape[3]];
        let groups = self.groups;
        ensure!(groups >= 1, "conv2d: groups must be ≥ 1");
        ensure!(
            c % groups == 0 && o % groups == 0,
            "conv2d: groups {groups} must divide the input channels {c} and output channels {o}"
        );
        ensure!(
            cg == c / groups,
            "conv2d: weight {} has {cg} input channels per group, expected {} ({c} / {groups})",
            shape_str(&wt.shape),
            c / groups
        );
        let rows = Axis {
            size: h,
            taps: kh,
            stride: self.stride_h,
            dilation: self.dilation_h,
            pad_before: self.pad_top,
            pad_after: self.pad_bottom,
        };
        let cols = Axis {
            size: w,
            taps: kw,
            stride: self.stride_w,
            dilation: self.dilation_w,
            pad_before: self.pad_left,
            pad_after: self.pad_right,
        };
        let oh = rows.output_size(Self::NAME, "h")?;
        let ow = cols.output_size(Self::NAME, "w")?;
        let mut next = 2;
        if self.has_bias {
            let bias = inputs[next];
            ensure!(
                bias.dtype == DType::I32 && bias.shape == [o],
                "conv2d: bias must be i32 [{o}], got {bias}"
            );
            next += 1;
        }
        if self.per_channel {
            let t = inputs[next];
            ensure!(
                t.dtype == DType::I32 && t.shape == [o, 2],
                "conv2d: per-channel multipliers must be i32 [{o}, 2], got {t}"
            );
        }
        Ok((
            Dims {
                channels: c as usize,
                group_channels: cg as usize,
                group_outputs: (o / groups) as usize,
                out_channels: o as usize,
                h: h as usize,
                w: w as usize,
                kh: kh as usize,
                kw: kw as usize,
                oh: oh as usize,
                ow: ow as usize,
                rows,
                cols,
            },
            vec![n, o, oh, ow],
        ))
    }
}

impl Kernel for Conv2d {
    const NAME: &'static str = "conv2d";

    fn output_shape(&self, inputs: &[&TensorInfo]) -> Result<Vec<u32>, OpError> {
        Ok(self.dims(inputs)?.1)
    }

    fn compute(
        &self,
        inputs: &[TensorRef<'_>],
        output: &TensorInfo,
        range: Range<usize>,
        dst: &mut [u8],
    ) {
        let infos: Vec<&TensorInfo> = inputs.iter().map(|t| t.info).collect();
        let Ok((d, _)) = self.dims(&infos) else {
            return;
        };
        let (x, wt) = (inputs[0], inputs[1]);
        let bias = self.has_bias.then(|| inputs[2].data);
        let table = self
            .per_channel
            .then(|| inputs[2 + self.has_bias as usize].data);
        let (plane, taps) = (d.h * d.w, d.kh * d.kw);
        for (slot, idx) in range.enumerate() {
            // idx = ((n·O + o)·OH + oh)·OW + ow; every index below is < a tensor length ≤ 2^28.
            let ow = idx % d.ow;
            let rest = idx / d.ow;
            let oh = rest % d.oh;
            let rest = rest / d.oh;
            let (o, n) = (rest % d.out_channels, rest / d.out_channels);
            let g = o / d.group_outputs;
            let (tr, tc) = (d.rows.taps_at(oh), d.cols.taps_at(ow));
            let mut acc = 0i32;
            for c in 0..d.group_channels {
                let x_plane = (n * d.channels + g * d.group_channels + c) * plane;
                let w_plane = (o * d.group_channels + c) * taps;
                for (kh, ih) in tr.k.clone().zip(tr.positions()) {
                    let (x_row, w_row) = (x_plane + ih * d.w, w_plane + kh * d.kw);
                    for (kw, iw) in tc.k.clone().zip(tc.positions()) {
                        let p = x.centered(x_row + iw).wrapping_mul(wt.centered(w_row + kw));
                        acc = acc.wrapping_add(p);
                    }
                }
            }
            if let Some(bias) = bias {
                acc = acc.wrapping_add(read_elem(DType::I32, bias, o));
            }
            let rq = table.map_or(self.stage.requant, |t| channel_requant(t, o));
            let v = self
                .stage
                .finish(acc, rq, output.quant.zero_point, output.dtype);
            write_elem(output.dtype, dst, slot, v);
        }
    }

    fn encode(&self, w: &mut Writer) {
        for v in [
            self.stride_h,
            self.stride_w,
            self.pad_top,
            self.pad_left,
            self.pad_bottom,
            self.pad_right,
            self.dilation_h,
            self.dilation_w,
            self.groups,
        ] {
            w.u32(v);
        }
        w.u32(self.has_bias as u32);
        w.u32(self.per_channel as u32);
        self.stage.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            stride_h: r.u32()?,
            stride_w: r.u32()?,
            pad_top: r.u32()?,
            pad_left: r.u32()?,
            pad_bottom: r.u32()?,
            pad_right: r.u32()?,
            dilation_h: r.u32()?,
            dilation_w: r.u32()?,
            groups: r.u32()?,
            has_bias: r.bool()?,
            per_channel: r.bool()?,
            stage: OutputStage::decode(r)?,
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;
    use crate::ops::{compute_all, Op};
    use crate::quant::Requant;
    use crate::tensor::Quant;
    use crate::testgen::XorShift32;

    /// A description with zero point `zp` and no scale.
    pub(crate) fn info(dtype: DType, shape: &[u32], zp: i32) -> TensorInfo {
        TensorInfo::new(
            dtype,
            shape,
            Quant {
                scale: Requant::default(),
                zero_point: zp,
            },
        )
    }

    /// Little-endian bytes of `vals` as `dtype`.
    pub(crate) fn to_bytes(dtype: DType, vals: &[i32]) -> Vec<u8> {
        let mut out = vec![0u8; vals.len() * dtype.size()];
        for (i, &v) in vals.iter().enumerate() {
            write_elem(dtype, &mut out, i, v);
        }
        out
    }

    /// Checks `op`, round-trips its parameters, computes the whole output and every element on
    /// its own (they must agree) and returns the output's values.
    pub(crate) fn run(op: &Op, inputs: &[(TensorInfo, Vec<i32>)], output: &TensorInfo) -> Vec<i32> {
        let infos: Vec<&TensorInfo> = inputs.iter().map(|(i, _)| i).collect();
        for t in infos.iter().chain([&output]) {
            t.validate().unwrap();
        }
        op.check(&infos, output).unwrap();
        let mut w = Writer::new();
        op.encode_params(&mut w);
        assert_eq!(&Op::decode_params(op.code(), &w.bytes).unwrap(), op);
        let bytes: Vec<Vec<u8>> = inputs
            .iter()
            .map(|(i, v)| {
                assert_eq!(v.len(), i.len());
                to_bytes(i.dtype, v)
            })
            .collect();
        let refs: Vec<TensorRef<'_>> = inputs
            .iter()
            .zip(&bytes)
            .map(|((info, _), data)| TensorRef { info, data })
            .collect();
        let whole = compute_all(op, &refs, output);
        let size = output.dtype.size();
        for i in 0..output.len() {
            let mut one = vec![0u8; size];
            op.compute(&refs, output, i..i + 1, &mut one);
            assert_eq!(one, whole[i * size..(i + 1) * size], "element {i}");
        }
        (0..output.len())
            .map(|i| read_elem(output.dtype, &whole, i))
            .collect()
    }

    /// `op.check` fails with a message containing `needle`.
    pub(crate) fn check_err(op: &Op, inputs: &[TensorInfo], output: &TensorInfo, needle: &str) {
        let infos: Vec<&TensorInfo> = inputs.iter().collect();
        let e = op.check(&infos, output).unwrap_err();
        assert!(e.0.contains(needle), "{e:?} lacks {needle:?}");
    }

    fn i32_out(shape: &[u32]) -> TensorInfo {
        info(DType::I32, shape, 0)
    }

    fn conv(c: Conv2d) -> Op {
        Op::Conv2d(c)
    }

    #[test]
    fn plain_valid_convolution() {
        let x = (info(DType::I8, &[1, 1, 3, 3], 0), (1..=9).collect());
        let w = (info(DType::I8, &[1, 1, 2, 2], 0), vec![1, 0, 0, -1]);
        let out = run(&conv(Conv2d::default()), &[x, w], &i32_out(&[1, 1, 2, 2]));
        assert_eq!(out, [-4, -4, -4, -4]);
    }

    #[test]
    fn padding_reads_the_zero_point() {
        // 3×3 ones over [[1, 2], [3, 4]] padded by 1: every window holds the whole input.
        let op = conv(Conv2d {
            pad_top: 1,
            pad_left: 1,
            pad_bottom: 1,
            pad_right: 1,
            ..Conv2d::default()
        });
        let w = (info(DType::I8, &[1, 1, 3, 3], 0), vec![1; 9]);
        let x = (info(DType::I8, &[1, 1, 2, 2], 0), vec![1, 2, 3, 4]);
        let out = run(&op, &[x, w.clone()], &i32_out(&[1, 1, 2, 2]));
        assert_eq!(out, [10; 4]);
        // With zero point 1 the centred input is [0, 1, 2, 3]; padding adds nothing.
        let x = (info(DType::I8, &[1, 1, 2, 2], 1), vec![1, 2, 3, 4]);
        assert_eq!(run(&op, &[x, w], &i32_out(&[1, 1, 2, 2])), [6; 4]);
    }

    #[test]
    fn asymmetric_padding() {
        // Rows: one above, none below; columns: none left, two right. 2×2 ones.
        let op = conv(Conv2d {
            pad_top: 1,
            pad_right: 2,
            ..Conv2d::default()
        });
        let x = (info(DType::I8, &[1, 1, 2, 2], 0), vec![1, 2, 3, 4]);
        let w = (info(DType::I8, &[1, 1, 2, 2], 0), vec![1; 4]);
        let out = run(&op, &[x, w], &i32_out(&[1, 1, 2, 3]));
        assert_eq!(out, [3, 2, 0, 10, 6, 0]);
    }

    #[test]
    fn stride_and_dilation() {
        // x[r, c] = 5r + c; 2×2 ones dilated by 2 (a 3×3 footprint), stride 2:
        // out[oh, ow] = Σ x[2oh + {0, 2}, 2ow + {0, 2}] = 40·oh + 8·ow + 24.
        let op = conv(Conv2d {
            stride_h: 2,
            stride_w: 2,
            dilation_h: 2,
            dilation_w: 2,
            ..Conv2d::default()
        });
        let x = (info(DType::I8, &[1, 1, 5, 5], 0), (0..25).collect());
        let w = (info(DType::I8, &[1, 1, 2, 2], 0), vec![1; 4]);
        let out = run(&op, &[x, w], &i32_out(&[1, 1, 2, 2]));
        assert_eq!(out, [24, 32, 64, 72]);
        // Unequal strides: rows every 3, columns every 1, no dilation, 1×2 kernel [1, -1].
        let op = conv(Conv2d {
            stride_h: 3,
            ..Conv2d::default()
        });
        let x = (
            info(DType::I8, &[1, 1, 5, 3], 0),
            (0..15).map(|v| v * v).collect(),
        );
        let w = (info(DType::I8, &[1, 1, 1, 2], 0), vec![1, -1]);
        let out = run(&op, &[x, w], &i32_out(&[1, 1, 2, 2]));
        // Rows 0 and 3: x[r, c] − x[r, c + 1] = (3r + c)² − (3r + c + 1)².
        assert_eq!(out, [-1, -3, -19, -21]);
    }

    #[test]
    fn groups_and_depthwise() {
        // Two groups of two channels: out0 = 1·1 + 2·10, out1 = 3·100 + 4·1000.
        let op = conv(Conv2d {
            groups: 2,
            ..Conv2d::default()
        });
        let x = (info(DType::I16, &[1, 4, 1, 1], 0), vec![1, 2, 3, 4]);
        let w = (info(DType::I16, &[2, 2, 1, 1], 0), vec![1, 10, 100, 1000]);
        assert_eq!(run(&op, &[x, w], &i32_out(&[1, 2, 1, 1])), [21, 4300]);
        // Depthwise with channel multiplier 2: outputs 0, 1 read channel 0; 2, 3 channel 1.
        let x = (info(DType::I8, &[1, 2, 2, 2], 0), (1..=8).collect());
        let w = (
            info(DType::I8, &[4, 1, 1, 2], 0),
            vec![1, 1, 1, -1, 2, 0, 0, 3],
        );
        let out = run(&op, &[x, w], &i32_out(&[1, 4, 2, 1]));
        assert_eq!(out, [3, 7, -1, -1, 10, 14, 18, 24]);
        // Batch of two: the second image is the first plus 1 (the weight sums to 2, 0, 2, 3).
        let x = (
            info(DType::I8, &[2, 2, 2, 2], 0),
            (1..=8).chain(2..=9).collect(),
        );
        let w = (
            info(DType::I8, &[4, 1, 1, 2], 0),
            vec![1, 1, 1, -1, 2, 0, 0, 3],
        );
        let out = run(&op, &[x, w], &i32_out(&[2, 4, 2, 1]));
        assert_eq!(
            out,
            [3, 7, -1, -1, 10, 14, 18, 24, 5, 9, -1, -1, 12, 16, 21, 27]
        );
    }

    /// i16 input with zero point 100, i8 weight with zero point 1, bias, per-channel multipliers
    /// (×0.5 for channel 0, ×1 for channel 1), i8 and i16 outputs, with and without ReLU.
    #[test]
    fn bias_per_channel_relu_and_zero_points() {
        let x = (info(DType::I16, &[1, 1, 1, 2], 100), vec![300, -200]);
        // Centred: [2, 0] and [−1, 1].
        let w = (info(DType::I8, &[2, 1, 1, 2], 1), vec![3, 1, 0, 2]);
        let bias = (info(DType::I32, &[2], 0), vec![5, -7]);
        let half = Requant {
            multiplier: 1 << 30,
            shift: 0,
        };
        let table = (
            info(DType::I32, &[2, 2], 0),
            vec![half.multiplier, half.shift, 1 << 30, 1],
        );
        // acc = [400 + 5, −200 − 300 − 7] = [405, −507]; ×[0.5, 1] = [203 (tie up), −507].
        let op = |per_channel, relu: Option<&TensorInfo>| {
            let stage = OutputStage::new(if per_channel {
                Requant::default()
            } else {
                half
            });
            conv(Conv2d {
                has_bias: true,
                per_channel,
                stage: relu.map_or(stage, |o| stage.relu(o)),
                ..Conv2d::default()
            })
        };
        let o16 = info(DType::I16, &[1, 2, 1, 1], -10);
        let o8 = info(DType::I8, &[1, 2, 1, 1], -10);
        let inputs = [x, w, bias, table];
        assert_eq!(run(&op(true, None), &inputs, &o16), [193, -517]);
        assert_eq!(run(&op(true, Some(&o16)), &inputs, &o16), [193, -10]);
        assert_eq!(run(&op(true, None), &inputs, &o8), [127, -128]);
        assert_eq!(run(&op(true, Some(&o8)), &inputs, &o8), [127, -10]);
        // Per-tensor ×0.5: −507 / 2 = −253.5 → −253 (gemmlowp rounds negative ties up).
        assert_eq!(run(&op(false, None), &inputs[..3], &o16), [193, -263]);
    }

    #[test]
    fn accumulation_wraps() {
        // 4 · (−32768 · −32768) = 2^32 wraps to 0; a fifth product adds 1.
        let x = (
            info(DType::I16, &[1, 5, 1, 1], 0),
            vec![-32768, -32768, -32768, -32768, 1],
        );
        let w = (
            info(DType::I16, &[1, 5, 1, 1], 0),
            vec![-32768, -32768, -32768, -32768, 1],
        );
        assert_eq!(
            run(&conv(Conv2d::default()), &[x, w], &i32_out(&[1, 1, 1, 1])),
            [1]
        );
    }

    /// Parameters at the ends of the u32 range: no overflow, no panic, the positions as defined.
    #[test]
    fn extreme_parameters() {
        // H = 1 padded by 2^32 − 1 on both sides, stride 2^32 − 1: rows −(2^32−1), 0, 2^32−1.
        let op = conv(Conv2d {
            pad_top: u32::MAX,
            pad_bottom: u32::MAX,
            stride_h: u32::MAX,
            ..Conv2d::default()
        });
        let x = (info(DType::I8, &[1, 1, 1, 1], 0), vec![7]);
        let w = (info(DType::I8, &[1, 1, 1, 1], 0), vec![3]);
        assert_eq!(
            run(&op, &[x.clone(), w], &i32_out(&[1, 1, 3, 1])),
            [0, 21, 0]
        );
        // Dilation 2^32 − 1 with two taps: tap 0 at −(2^32 − 1), tap 1 at row 0.
        let op = conv(Conv2d {
            pad_top: u32::MAX,
            dilation_h: u32::MAX,
            ..Conv2d::default()
        });
        let w = (info(DType::I8, &[1, 1, 2, 1], 0), vec![5, 3]);
        assert_eq!(
            run(&op, &[x.clone(), w.clone()], &i32_out(&[1, 1, 1, 1])),
            [21]
        );
        // One row short: no window fits.
        let op = conv(Conv2d {
            pad_top: u32::MAX - 1,
            dilation_h: u32::MAX,
            ..Conv2d::default()
        });
        check_err(&op, &[x.0, w.0], &i32_out(&[1, 1, 1, 1]), "spans");
    }

    #[test]
    fn rejects_bad_shapes_and_parameters() {
        let x = info(DType::I8, &[1, 4, 5, 5], 0);
        let w = info(DType::I8, &[6, 2, 3, 3], 0);
        let out = i32_out(&[1, 6, 3, 3]);
        let g2 = Conv2d {
            groups: 2,
            ..Conv2d::default()
        };
        // The valid baseline.
        conv(g2.clone())
            .check(&[&x, &w], &out)
            .expect("baseline is valid");
        let err = |c: Conv2d, inputs: &[TensorInfo], needle: &str| {
            check_err(&conv(c), inputs, &out, needle)
        };
        // Weight channels per group differ from C / groups.
        err(
            Conv2d::default(),
            &[x.clone(), w.clone()],
            "input channels per group",
        );
        err(
            g2.clone(),
            &[x.clone(), info(DType::I8, &[6, 4, 3, 3], 0)],
            "input channels per group",
        );
        // Groups not dividing C or O, and zero groups.
        for groups in [3, 4] {
            err(
                Conv2d {
                    groups,
                    ..g2.clone()
                },
                &[x.clone(), w.clone()],
                "must divide",
            );
        }
        err(
            Conv2d {
                groups: 0,
                ..g2.clone()
            },
            &[x.clone(), w.clone()],
            "groups must be ≥ 1",
        );
        err(
            Conv2d {
                stride_w: 0,
                ..g2.clone()
            },
            &[x.clone(), w.clone()],
            "stride_w",
        );
        err(
            Conv2d {
                dilation_h: 0,
                ..g2.clone()
            },
            &[x.clone(), w.clone()],
            "dilation_h",
        );
        // Output smaller than one: a 3×3 window dilated by 3 spans 7 > 5.
        err(
            Conv2d {
                dilation_w: 3,
                ..g2.clone()
            },
            &[x.clone(), w.clone()],
            "spans",
        );
        // Bias and multiplier tables of the wrong shape or type; missing inputs.
        let with_bias = Conv2d {
            has_bias: true,
            ..g2.clone()
        };
        err(
            with_bias.clone(),
            &[x.clone(), w.clone(), info(DType::I32, &[4], 0)],
            "bias must be i32 [6]",
        );
        err(
            with_bias.clone(),
            &[x.clone(), w.clone(), info(DType::I16, &[6], 0)],
            "bias must be i32 [6]",
        );
        err(with_bias, &[x.clone(), w.clone()], "inputs");
        err(
            Conv2d {
                per_channel: true,
                ..g2.clone()
            },
            &[x.clone(), w.clone(), info(DType::I32, &[6], 0)],
            "per-channel",
        );
        // Ranks and types.
        err(
            g2.clone(),
            &[info(DType::I8, &[4, 5, 5], 0), w.clone()],
            "[N, C, H, W]",
        );
        err(
            g2.clone(),
            &[info(DType::I32, &[1, 4, 5, 5], 0), w.clone()],
            "i8 or i16",
        );
        err(
            g2.clone(),
            &[x.clone(), info(DType::I32, &[6, 2, 3, 3], 0)],
            "i8 or i16",
        );
        // A wrong output shape.
        check_err(&conv(g2), &[x, w], &i32_out(&[1, 6, 3, 4]), "output shape");
    }

    #[test]
    fn decode_rejects_non_canonical_booleans() {
        let mut w = Writer::new();
        Conv2d::default().encode(&mut w);
        assert!(Op::decode_params(2, &w.bytes).is_ok());
        let mut bad = w.bytes.clone();
        bad[36] = 2; // has_bias
        assert!(Op::decode_params(2, &bad).is_err());
        let mut bad = w.bytes.clone();
        bad.push(0);
        assert!(Op::decode_params(2, &bad).is_err());
    }

    /// `taps_at` against a direct enumeration of the tap positions.
    #[test]
    fn taps_match_enumeration() {
        let mut rng = XorShift32::new(7);
        let mut small = |hi: u32| rng.next_u32() % hi;
        for _ in 0..3000 {
            let axis = Axis {
                size: 1 + small(9),
                taps: 1 + small(5),
                stride: 1 + small(4),
                dilation: 1 + small(4),
                pad_before: small(8),
                pad_after: small(8),
            };
            let Ok(n) = axis.output_size("t", "h") else {
                continue;
            };
            for out in 0..n as usize {
                let t = axis.taps_at(out);
                let expect: Vec<(usize, usize)> = (0..axis.taps as i64)
                    .filter_map(|k| {
                        let p = out as i64 * axis.stride as i64 - axis.pad_before as i64
                            + k * axis.dilation as i64;
                        (0..axis.size as i64)
                            .contains(&p)
                            .then_some((k as usize, p as usize))
                    })
                    .collect();
                let got: Vec<(usize, usize)> = t.k.clone().zip(t.positions()).collect();
                assert_eq!(got, expect, "{axis:?} at {out}");
            }
        }
    }

    /// The kernel against a direct transcription of the definition, on random geometry.
    #[test]
    fn matches_naive_definition() {
        let mut rng = XorShift32::new(0xC0FF);
        let mut r = |lo: u32, hi: u32| lo + rng.next_u32() % (hi - lo + 1);
        let mut checked = 0;
        while checked < 300 {
            let groups = r(1, 3);
            let (cg, og) = (r(1, 3), r(1, 3));
            let (n, c, o) = (r(1, 2), cg * groups, og * groups);
            let (h, w, kh, kw) = (r(1, 7), r(1, 7), r(1, 4), r(1, 4));
            let p = Conv2d {
                stride_h: r(1, 3),
                stride_w: r(1, 3),
                pad_top: r(0, 3),
                pad_left: r(0, 3),
                pad_bottom: r(0, 3),
                pad_right: r(0, 3),
                dilation_h: r(1, 3),
                dilation_w: r(1, 3),
                groups,
                has_bias: r(0, 1) == 1,
                per_channel: false,
                stage: OutputStage::new(Requant::IDENTITY),
            };
            let xd = if r(0, 1) == 0 { DType::I8 } else { DType::I16 };
            let xi = info(xd, &[n, c, h, w], r(0, 20) as i32 - 10);
            let wi = info(DType::I8, &[o, cg, kh, kw], r(0, 4) as i32 - 2);
            let Ok(shape) =
                p.output_shape(&[&xi, &wi, &info(DType::I32, &[o], 0)][..2 + p.has_bias as usize])
            else {
                continue;
            };
            let (oh, ow) = (shape[2], shape[3]);
            let xv: Vec<i32> = (0..xi.len()).map(|_| r(0, 255) as i32 - 128).collect();
            let wv: Vec<i32> = (0..wi.len()).map(|_| r(0, 255) as i32 - 128).collect();
            let bv: Vec<i32> = (0..o).map(|_| r(0, 2000) as i32 - 1000).collect();
            let mut expect = Vec::new();
            for (b, oc, y, x) in (0..n).flat_map(|b| {
                (0..o).flat_map(move |oc| {
                    (0..oh).flat_map(move |y| (0..ow).map(move |x| (b, oc, y, x)))
                })
            }) {
                let g = oc / og;
                let mut acc = 0i64;
                for ci in 0..cg {
                    for ky in 0..kh {
                        for kx in 0..kw {
                            let iy = (y * p.stride_h + ky * p.dilation_h) as i64 - p.pad_top as i64;
                            let ix =
                                (x * p.stride_w + kx * p.dilation_w) as i64 - p.pad_left as i64;
                            if iy < 0 || ix < 0 || iy >= h as i64 || ix >= w as i64 {
                                continue;
                            }
                            let xv = xv[(((b * c + g * cg + ci) * h + iy as u32) * w + ix as u32)
                                as usize];
                            let wv = wv[(((oc * cg + ci) * kh + ky) * kw + kx) as usize];
                            acc += (xv - xi.quant.zero_point) as i64
                                * (wv - wi.quant.zero_point) as i64;
                        }
                    }
                }
                if p.has_bias {
                    acc += bv[oc as usize] as i64;
                }
                expect.push(acc as i32);
            }
            let mut inputs = vec![(xi, xv), (wi, wv)];
            if p.has_bias {
                inputs.push((info(DType::I32, &[o], 0), bv));
            }
            assert_eq!(
                run(&conv(p.clone()), &inputs, &i32_out(&shape)),
                expect,
                "{p:?}"
            );
            checked += 1;
        }
    }

    /// Quantization sanity: the integer conv of quantized data against the float conv of the
    /// dequantized data. With `y` the float result on dequantized inputs (bias dequantized at
    /// scale `s_x·s_w`), clamped to the output's representable range, and `ŷ = s_o·(q − z_o)`
    /// the dequantized integer output, `|ŷ − y| ≤ s_o + 10^-6·|y|`: one output quantum covers the
    /// two roundings of the fixed-point multiply (SRDHM, then the rounding right shift), and the
    /// relative term covers the multiplier's Q31 representation error (below 2^-30 relative).
    /// Per-tensor and per-channel weight scales; groups, padding and stride.
    #[cfg(feature = "std")]
    #[test]
    fn quantized_conv_tracks_float_conv() {
        let mut rng = XorShift32::new(0x51DE);
        let mut r = |lo: i32, hi: i32| lo + (rng.next_u32() % (hi - lo + 1) as u32) as i32;
        let scale = |s: f64| Requant::from_f64(s);
        for trial in 0..12 {
            let per_channel = trial % 2 == 1;
            let (groups, cg, og) = (2u32, 3u32, 2u32);
            let (c, o) = (cg * groups, og * groups);
            let (sx, sw, so) = (scale(0.02), scale(0.004), scale(0.05));
            let zx = r(-20, 20);
            let zo = r(-10, 10);
            let xi = TensorInfo::new(
                DType::I8,
                &[1, c, 6, 5],
                Quant {
                    scale: sx,
                    zero_point: zx,
                },
            );
            let wi = TensorInfo::new(
                DType::I8,
                &[o, cg, 3, 3],
                Quant {
                    scale: sw,
                    zero_point: 0,
                },
            );
            let p = Conv2d {
                stride_h: 1 + (trial % 3) as u32,
                stride_w: 1,
                pad_top: 1,
                pad_left: 1,
                pad_bottom: 1,
                pad_right: 0,
                groups,
                has_bias: true,
                per_channel,
                ..Conv2d::default()
            };
            let shape = p
                .output_shape(
                    &[
                        &xi,
                        &wi,
                        &info(DType::I32, &[o], 0),
                        &info(DType::I32, &[o, 2], 0),
                    ][..3 + per_channel as usize],
                )
                .unwrap();
            let oi = TensorInfo::new(
                DType::I8,
                &shape,
                Quant {
                    scale: so,
                    zero_point: zo,
                },
            );
            // Per-channel weight scales: s_w · (1 + channel / 4).
            let ws: Vec<f64> = (0..o)
                .map(|ch| {
                    if per_channel {
                        scale(sw.to_f64() * (1.0 + ch as f64 / 4.0)).to_f64()
                    } else {
                        sw.to_f64()
                    }
                })
                .collect();
            let xv: Vec<i32> = (0..xi.len()).map(|_| r(-128, 127)).collect();
            let wv: Vec<i32> = (0..wi.len()).map(|_| r(-127, 127)).collect();
            let bv: Vec<i32> = (0..o).map(|_| r(-3000, 3000)).collect();
            let stage = OutputStage::new(scale(sx.to_f64() * sw.to_f64() / so.to_f64()));
            let mut inputs = vec![
                (xi.clone(), xv.clone()),
                (wi, wv.clone()),
                (info(DType::I32, &[o], 0), bv.clone()),
            ];
            if per_channel {
                let t: Vec<i32> = ws
                    .iter()
                    .flat_map(|&s| {
                        let m = scale(sx.to_f64() * s / so.to_f64());
                        [m.multiplier, m.shift]
                    })
                    .collect();
                inputs.push((info(DType::I32, &[o, 2], 0), t));
            }
            let got = run(&conv(Conv2d { stage, ..p.clone() }), &inputs, &oi);
            let (oh, ow) = (shape[2] as i64, shape[3] as i64);
            let (sxf, sof) = (sx.to_f64(), so.to_f64());
            let lo = sof * (-128 - zo) as f64;
            let hi = sof * (127 - zo) as f64;
            let mut worst = 0f64;
            for oc in 0..o as i64 {
                let g = oc / og as i64;
                for y in 0..oh {
                    for x in 0..ow {
                        let mut acc = bv[oc as usize] as f64 * sxf * ws[oc as usize];
                        for ci in 0..cg as i64 {
                            for ky in 0..3 {
                                for kx in 0..3 {
                                    let iy = y * p.stride_h as i64 - 1 + ky;
                                    let ix = x - 1 + kx;
                                    if iy < 0 || ix < 0 || iy >= 6 || ix >= 5 {
                                        continue;
                                    }
                                    let xq =
                                        xv[(((g * cg as i64 + ci) * 6 + iy) * 5 + ix) as usize];
                                    let wq =
                                        wv[(((oc * cg as i64 + ci) * 3 + ky) * 3 + kx) as usize];
                                    acc += sxf * (xq - zx) as f64 * ws[oc as usize] * wq as f64;
                                }
                            }
                        }
                        let y_f = acc.clamp(lo, hi);
                        let q = got[((oc * oh + y) * ow + x) as usize];
                        let y_q = sof * (q - zo) as f64;
                        let err = (y_q - y_f).abs();
                        assert!(
                            err <= sof + 1e-6 * y_f.abs(),
                            "trial {trial}: {y_q} vs {y_f}"
                        );
                        worst = worst.max(err / sof);
                    }
                }
            }
            assert!(worst > 0.0, "trial {trial}: the check compared nothing");
        }
    }
}
