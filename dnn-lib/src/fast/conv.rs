//! conv2d through the int8 GEMM (im2col), separate from the matmul path.
//!
//! For image `n` and group `g`, `out[n, g·Og + o, p] = stage(Σ_q W̄[g·Og + o, q]·col[q, p] +
//! bias)`, with `q = (c, kh, kw)` over the group's `Kc = C/groups·KH·KW` taps and `p = (oh, ow)`:
//! a product of the weight rows `[Og, Kc]` (A) and the im2col matrix `[Kc, OH·OW]` (B) whose
//! output block `[Og, OH·OW]` is contiguous in NCHW. Padding taps hold X's zero point, so their
//! `x − zx` is 0 exactly as in the reference; the epilogue's channels are the rows (output
//! channels). Everything else is the matmul GEMM of `gemm.rs`, bit for bit the same arithmetic.

use std::vec;

use rayon::prelude::*;

use super::gemm::{product, Channels, Problem};
use super::Isa;
use crate::ops::Conv2d;
use crate::tensor::{TensorInfo, TensorRef};

/// Fewest output channels per group for the GEMM path: a depthwise convolution (one output
/// channel per group) makes one-row products, one per channel, and stays on the reference.
pub(super) const MIN_GROUP_OUTPUTS: usize = 2;

/// Whether conv2d on these inputs takes the GEMM path (X and the weight i8, enough outputs per
/// group).
pub(super) fn uses_gemm(conv: &Conv2d, inputs: &[TensorRef<'_>]) -> bool {
    use crate::tensor::DType;
    inputs.len() >= 2
        && inputs[0].info.dtype == DType::I8
        && inputs[1].info.dtype == DType::I8
        && inputs[1].info.shape.len() == 4
        && conv.groups >= 1
        && (inputs[1].info.shape[0] / conv.groups) as usize >= MIN_GROUP_OUTPUTS
}

/// One spatial axis: input extent, taps, stride, dilation, padding before.
#[derive(Clone, Copy)]
struct Axis {
    size: usize,
    stride: usize,
    dilation: usize,
    pad: usize,
}

impl Axis {
    /// Input position of tap `k` at output position `o`, if inside the input.
    fn pos(&self, o: usize, k: usize) -> Option<usize> {
        let p = (o * self.stride + k * self.dilation).checked_sub(self.pad)?;
        (p < self.size).then_some(p)
    }

    /// The output positions `lo..hi` (of `0..out`) whose tap `k` is inside the input (one run).
    fn valid(&self, out: usize, k: usize) -> (usize, usize) {
        let lo = (0..out).find(|&o| self.pos(o, k).is_some());
        match lo {
            None => (0, 0),
            Some(lo) => {
                let hi = (lo..out).find(|&o| self.pos(o, k).is_none()).unwrap_or(out);
                (lo, hi)
            }
        }
    }
}

/// Runs conv2d (X and weight i8, checked) into `out` with the GEMM of `isa`.
pub(super) fn conv2d(
    isa: Isa,
    conv: &Conv2d,
    inputs: &[TensorRef<'_>],
    output: &TensorInfo,
    out: &mut [u8],
) {
    let (x, w) = (inputs[0], inputs[1]);
    let dim = |t: &TensorInfo, i: usize| t.shape[i] as usize;
    let (batch, channels, h, wd) = (
        dim(x.info, 0),
        dim(x.info, 1),
        dim(x.info, 2),
        dim(x.info, 3),
    );
    let (o, cg, kh, kw) = (
        dim(w.info, 0),
        dim(w.info, 1),
        dim(w.info, 2),
        dim(w.info, 3),
    );
    let (oh, ow) = (dim(output, 2), dim(output, 3));
    let groups = conv.groups as usize;
    let og = o / groups;
    let (kc, plane) = (cg * kh * kw, oh * ow);
    let zx = x.info.quant.zero_point as i8 as u8;
    let rows = Axis {
        size: h,
        stride: conv.stride_h as usize,
        dilation: conv.dilation_h as usize,
        pad: conv.pad_top as usize,
    };
    let cols = Axis {
        size: wd,
        stride: conv.stride_w as usize,
        dilation: conv.dilation_w as usize,
        pad: conv.pad_left as usize,
    };
    // Valid output columns of every horizontal tap (the same for all rows and channels).
    let col_runs: std::vec::Vec<(usize, usize)> = (0..kw).map(|j| cols.valid(ow, j)).collect();
    let size = output.dtype.size();
    let mut col = vec![0u8; kc * plane];
    for n in 0..batch {
        for g in 0..groups {
            // im2col: row q = (c, i, j) holds tap (i, j) of channel g·Cg + c at every (oh, ow).
            col.par_chunks_mut(plane).enumerate().for_each(|(q, row)| {
                let (c, i, j) = (q / (kh * kw), q / kw % kh, q % kw);
                let x_plane = &x.data[(n * channels + g * cg + c) * h * wd..][..h * wd];
                let (lo, hi) = col_runs[j];
                for (r, dst) in row.chunks_exact_mut(ow).enumerate() {
                    let Some(ih) = rows.pos(r, i) else {
                        dst.fill(zx);
                        continue;
                    };
                    let line = &x_plane[ih * wd..(ih + 1) * wd];
                    dst[..lo].fill(zx);
                    dst[hi..].fill(zx);
                    if lo == hi {
                        continue;
                    }
                    let first = lo * cols.stride + j * cols.dilation - cols.pad;
                    if cols.stride == 1 {
                        dst[lo..hi].copy_from_slice(&line[first..first + hi - lo]);
                    } else {
                        for (d, &s) in dst[lo..hi]
                            .iter_mut()
                            .zip(line[first..].iter().step_by(cols.stride))
                        {
                            *d = s;
                        }
                    }
                }
            });
            let p = Problem {
                a: &w.data[g * og * kc..(g + 1) * og * kc],
                b: &col,
                m: og,
                k: kc,
                n: plane,
                batch_a: 1,
                batch_b: 1,
                group: 1,
                transpose_b: false,
                za: w.info.quant.zero_point,
                zb: x.info.quant.zero_point,
            };
            let ch = Channels {
                per_row: true,
                first: g * og,
                bias: conv.has_bias.then(|| inputs[2].data),
                table: conv
                    .per_channel
                    .then(|| inputs[2 + conv.has_bias as usize].data),
                stage: conv.stage,
            };
            let start = (n * o + g * og) * plane * size;
            product(
                isa,
                &p,
                &ch,
                output,
                &mut out[start..start + og * plane * size],
            );
        }
    }
}
