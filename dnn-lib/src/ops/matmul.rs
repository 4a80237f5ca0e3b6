//! Batched matrix product with bias and per-tensor or per-channel requantization: linear layers,
//! attention scores and attention-weighted values (docs/spec.md §8.4, `matmul`).

use alloc::vec::Vec;
use core::ops::Range;

use super::stage::{channel_requant, OutputStage};
use super::{ensure, input_count, shape_str, Kernel, OpError};
use crate::codec::{DecodeError, Reader, Writer};
use crate::tensor::{write_elem, DType, TensorInfo, TensorRef};

/// `out[b, m, n] = stage(Σ_k (A[b, m, k] − za)(B[b / g, k, n] − zb) + bias[n])`.
///
/// Inputs: `A [..., M, K]`, `B [..., K, N]` (or `[..., N, K]` when `transpose_b`), then the
/// optional `bias` (i32 `[N]`), then the optional per-channel multipliers (i32 `[N, 2]`). The
/// batch count of A (the product of its leading dims) must be a multiple `g` of B's; A's batch `b`
/// uses B's batch `b / g` (a weight has one batch; grouped-query attention shares a key head
/// among `g` query heads). Accumulation wraps in i32.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatMul {
    /// B is stored `[..., N, K]` (a PyTorch `Linear` weight).
    pub transpose_b: bool,
    /// A bias input follows B.
    pub has_bias: bool,
    /// A per-channel multiplier input follows (the stage's multiplier is then unused).
    pub per_channel: bool,
    /// Requantization and clamp.
    pub stage: OutputStage,
}

/// Dimensions of a checked matmul.
struct Dims {
    m: usize,
    k: usize,
    n: usize,
    group: usize,
}

impl MatMul {
    // `%` rather than `is_multiple_of` (clippy's advice at MSRV 1.89): guest code, unchanged.
    #[allow(clippy::manual_is_multiple_of)]
    fn dims(&self, inputs: &[&TensorInfo]) -> Result<(Dims, Vec<u32>), OpError> {
        let expected = 2 + self.has_bias as usize + self.per_channel as usize;
        input_count(Self::NAME, inputs, expected..=expected)?;
        let (a, b) = (inputs[0], inputs[1]);
        ensure!(
            a.shape.len() >= 2 && b.shape.len() >= 2,
            "matmul: A and B need rank ≥ 2"
        );
        ensure!(
            a.dtype != DType::I32 && b.dtype != DType::I32,
            "matmul: A and B must be i8 or i16"
        );
        let (ar, br) = (a.shape.len(), b.shape.len());
        let (m, k) = (a.shape[ar - 2] as usize, a.shape[ar - 1] as usize);
        let (bk, n) = if self.transpose_b {
            (b.shape[br - 1] as usize, b.shape[br - 2] as usize)
        } else {
            (b.shape[br - 2] as usize, b.shape[br - 1] as usize)
        };
        ensure!(
            k == bk,
            "matmul: inner dimensions differ: A {} and B {}",
            shape_str(&a.shape),
            shape_str(&b.shape)
        );
        let batch_a: usize = a.shape[..ar - 2].iter().map(|&d| d as usize).product();
        let batch_b: usize = b.shape[..br - 2].iter().map(|&d| d as usize).product();
        ensure!(
            batch_a.is_multiple_of(batch_b),
            "matmul: A's batch count {batch_a} is not a multiple of B's {batch_b}"
        );
        let mut next = 2;
        if self.has_bias {
            let bias = inputs[next];
            ensure!(
                bias.dtype == DType::I32 && bias.shape == [n as u32],
                "matmul: bias must be i32 [{n}], got {bias}"
            );
            next += 1;
        }
        if self.per_channel {
            let t = inputs[next];
            ensure!(
                t.dtype == DType::I32 && t.shape == [n as u32, 2],
                "matmul: per-channel multipliers must be i32 [{n}, 2], got {t}"
            );
        }
        let mut shape = a.shape[..ar - 2].to_vec();
        shape.extend([m as u32, n as u32]);
        Ok((
            Dims {
                m,
                k,
                n,
                group: batch_a / batch_b,
            },
            shape,
        ))
    }
}

/// `Σ_p row[p] · (B[base + p·stride] − zb)`, wrapping, given `row_sum = Σ_p row[p]`
/// (wrapping): computed as `Σ row·B − zb·row_sum`, equal in wrapping arithmetic. The i8 cases
/// (the common ones) read the bytes directly: this loop is most of a guest's steps.
#[inline(always)]
fn dot(row: &[i32], row_sum: i32, b: TensorRef<'_>, base: usize, stride: usize, zb: i32) -> i32 {
    let k = row.len();
    let mut acc = 0i32;
    match (b.info.dtype, stride) {
        (DType::I8, 1) => {
            // Unrolled by four: the guest's loop overhead is then a quarter per product.
            let (xs, ys) = (row.chunks_exact(4), b.data[base..base + k].chunks_exact(4));
            let (x_tail, y_tail) = (xs.remainder(), ys.remainder());
            for (x, y) in xs.zip(ys) {
                let t0 = x[0].wrapping_mul(y[0] as i8 as i32);
                let t1 = x[1].wrapping_mul(y[1] as i8 as i32);
                let t2 = x[2].wrapping_mul(y[2] as i8 as i32);
                let t3 = x[3].wrapping_mul(y[3] as i8 as i32);
                acc = acc.wrapping_add(t0.wrapping_add(t1).wrapping_add(t2.wrapping_add(t3)));
            }
            for (&x, &y) in x_tail.iter().zip(y_tail) {
                acc = acc.wrapping_add(x.wrapping_mul(y as i8 as i32));
            }
        }
        (DType::I8, _) => {
            for (&x, &y) in row.iter().zip(b.data[base..].iter().step_by(stride)) {
                acc = acc.wrapping_add(x.wrapping_mul(y as i8 as i32));
            }
        }
        _ => {
            for (p, &x) in row.iter().enumerate() {
                acc = acc.wrapping_add(x.wrapping_mul(b.get(base + p * stride)));
            }
        }
    }
    acc.wrapping_sub(zb.wrapping_mul(row_sum))
}

impl Kernel for MatMul {
    const NAME: &'static str = "matmul";

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
        let Ok((Dims { m, k, n, group }, _)) = self.dims(&infos) else {
            return;
        };
        let (a, b) = (inputs[0], inputs[1]);
        let bias = self.has_bias.then(|| inputs[2].data);
        let table = self
            .per_channel
            .then(|| inputs[2 + self.has_bias as usize].data);
        let (za, zb) = (a.info.quant.zero_point, b.info.quant.zero_point);
        // Strides of B in elements: along k and along n.
        let (bsk, bsn) = if self.transpose_b { (1, k) } else { (n, 1) };
        let mut row: Vec<i32> = Vec::new();
        let mut accs: Vec<i32> = Vec::new();
        let (mut idx, mut slot) = (range.start, 0);
        // One run of consecutive columns of one output row at a time.
        while idx < range.end {
            let (bm, col0) = (idx / n, idx % n);
            let cols = (n - col0).min(range.end - idx);
            let b_batch = (bm / m / group) * k * n;
            // A's row, centered.
            row.clear();
            row.extend((0..k).map(|p| a.get(bm * k + p).wrapping_sub(za)));
            let row_sum = row.iter().fold(0i32, |s, &x| s.wrapping_add(x));
            accs.clear();
            if !self.transpose_b && b.info.dtype == DType::I8 {
                // B is [K, N]: walk its rows, each contiguous over the run's columns.
                accs.resize(cols, 0);
                for (p, &x) in row.iter().enumerate() {
                    let start = b_batch + p * n + col0;
                    for (acc, &y) in accs.iter_mut().zip(&b.data[start..start + cols]) {
                        *acc = acc.wrapping_add(x.wrapping_mul(y as i8 as i32));
                    }
                }
                for acc in accs.iter_mut() {
                    *acc = acc.wrapping_sub(zb.wrapping_mul(row_sum));
                }
            } else {
                accs.extend(
                    (col0..col0 + cols)
                        .map(|col| dot(&row, row_sum, b, b_batch + col * bsn, bsk, zb)),
                );
            }
            for (c, &acc) in accs.iter().enumerate() {
                let col = col0 + c;
                let acc = match bias {
                    Some(bias) => acc.wrapping_add(crate::tensor::read_elem(DType::I32, bias, col)),
                    None => acc,
                };
                let rq = table.map_or(self.stage.requant, |t| channel_requant(t, col));
                let v = self
                    .stage
                    .finish(acc, rq, output.quant.zero_point, output.dtype);
                write_elem(output.dtype, dst, slot + c, v);
            }
            idx += cols;
            slot += cols;
        }
    }

    fn encode(&self, w: &mut Writer) {
        w.u32(self.transpose_b as u32);
        w.u32(self.has_bias as u32);
        w.u32(self.per_channel as u32);
        self.stage.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            transpose_b: r.bool()?,
            has_bias: r.bool()?,
            per_channel: r.bool()?,
            stage: OutputStage::decode(r)?,
        })
    }
}
