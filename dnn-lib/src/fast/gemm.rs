//! The int8 GEMM driver: geometry, packing, tiling over threads and the scalar epilogue (of the
//! portable path). Safe code; the instruction-set kernels live in `x86` (SIMD) and here
//! (`ScalarFormat`).
//!
//! Every kernel computes the raw sum `D[m, n] = Σ_k (a[m, k] + off) · b[k, n]` of the packed
//! operands, where `off` is 128 for the u8 × s8 `vpdpbusd` kernel (A is packed as `a + 128`) and 0
//! for the i16 kernels. With `cs[n] = Σ_k b[k, n]` and `rs[m] = Σ_k a[m, k]`,
//!
//! `Σ_k (a − za)(b − zb) + bias[n] = D − (off + za)·cs[n] − zb·rs[m] + K·za·zb + bias[n]`
//!
//! is an identity of integers, hence also of wrapping i32 arithmetic (the ring ℤ/2³²): the
//! column part `bias[n] − (off + za)·cs[n]` and the row part `K·za·zb − zb·rs[m]` are computed
//! once per call (wrapping) and added to `D` (wrapping). (For conv2d, whose channels are the
//! rows, the bias joins the row part instead.) `D` itself is exact modulo 2³² in every
//! kernel (each instruction adds exact small products to the accumulator with a wrapping add), so
//! the accumulator equals the reference's wrapping sum bit for bit.

use std::vec;
use std::vec::Vec;

use rayon::prelude::*;

use crate::ops::{MatMul, OutputStage};
use crate::quant::{Requant, MAX_SHIFT, MIN_SHIFT};
use crate::tensor::{read_elem, write_elem, DType, TensorInfo, TensorRef};

#[cfg(target_arch = "x86_64")]
use super::x86;
use super::Isa;

/// Rows of A packed per task, at most (a multiple of every MR; the packed block stays in L2).
const MC_MAX: usize = 144;

/// A packed-operand layout and the kernel that consumes it.
pub(super) trait Format: Sync {
    /// Element of packed A.
    type A: Copy + Default + Send + Sync;
    /// Element of packed B.
    type B: Copy + Default + Send + Sync;
    /// Rows of a micro-tile.
    const MR: usize;
    /// Columns of a micro-tile.
    const NR: usize;
    /// Consecutive k packed together for one lane.
    const KSTEP: usize;
    /// What packing adds to every element of A (the kernel's raw sum includes `off · cs[n]`).
    const OFFSET: i32;

    /// A packed element of A.
    fn a_elem(x: i8) -> Self::A;
    /// A packed element of B.
    fn b_elem(x: i8) -> Self::B;

    /// Packs up to MR rows of A (`src`: whole rows of `k` bytes) into the panel `dst`.
    fn pack_a_panel(src: &[u8], k: usize, dst: &mut [Self::A]) {
        pack_panel(src, k, Self::KSTEP, Self::MR, dst, Self::a_elem)
    }

    /// The wrapping sums of the `k`-byte lines of i8 in `src`.
    fn line_sums(src: &[u8], k: usize, sums: &mut [i32]) {
        line_sums(src, k, sums)
    }

    /// Packs one k-step of B stored `[K, N]`: `rows` are its (up to KSTEP) rows, restricted to
    /// the panel's columns; adds each column's values to `sums`.
    fn pack_b_step(rows: &[&[u8]], dst: &mut [Self::B], sums: &mut [i32]) {
        for (lane, row) in rows.iter().enumerate() {
            let slots = dst.chunks_exact_mut(Self::KSTEP);
            for ((o, &x), sum) in slots.zip(*row).zip(sums.iter_mut()) {
                o[lane] = Self::b_elem(x as i8);
                *sum = sum.wrapping_add(x as i8 as i32);
            }
        }
    }

    /// Packs up to NR columns of B stored `[N, K]` (`src`: whole rows of `k` bytes) into the
    /// panel `dst`.
    fn pack_b_panel(src: &[u8], k: usize, dst: &mut [Self::B]) {
        pack_panel(src, k, Self::KSTEP, Self::NR, dst, Self::b_elem)
    }

    /// Computes the micro-tile of A panel `a` (MR rows) and B panel `b` (NR columns), `steps`
    /// k-steps long, and writes its valid part through the epilogue.
    fn tile(
        &self,
        a: &[Self::A],
        b: &[Self::B],
        steps: usize,
        t: &Tile<'_>,
        e: &Epi<'_>,
        out: &mut [u8],
    );
}

/// Where a micro-tile goes.
pub(super) struct Tile<'a> {
    /// The row corrections of the tile's MR rows (`K·za·zb − zb·rs[m]`, plus the bias when it
    /// is per row).
    pub(super) row_corr: &'a [i32],
    /// The tile's first row (within the product; indexes the [`Epi`] arrays when per row).
    pub(super) row0: usize,
    /// The tile's first column (global; indexes the [`Epi`] arrays).
    pub(super) col0: usize,
    /// Rows to write (1..=MR).
    pub(super) rows: usize,
    /// Columns to write (1..=NR).
    pub(super) cols: usize,
    /// Element index in `out` of the tile's first element.
    pub(super) out_off: usize,
    /// Elements between rows of `out`.
    pub(super) stride: usize,
}

/// Per-channel and per-call epilogue data. The channel arrays (multipliers and shifts) are
/// indexed by column (padded to whole panels), or by row when `per_row`.
// The vector-only fields (`left` .. `hi`) are unused where there is no SIMD path.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(super) struct Epi<'a> {
    /// `bias[n] − (off + za)·cs[n]` (wrapping; no bias when it is per row), for this B batch;
    /// padded to whole panels.
    pub(super) col_corr: &'a [i32],
    /// The channel arrays are per row (conv2d: output channels are rows), not per column.
    pub(super) per_row: bool,
    /// Multiplier of each channel.
    pub(super) mult: &'a [i32],
    /// Shift of each channel, clamped to `MIN_SHIFT..=MAX_SHIFT`.
    pub(super) shift: &'a [i32],
    /// `max(shift, 0)`.
    pub(super) left: &'a [i32],
    /// `max(−shift, 0)`.
    pub(super) right: &'a [i32],
    /// `2^right − 1`.
    pub(super) rmask: &'a [i32],
    /// `rmask >> 1`.
    pub(super) thr: &'a [i32],
    /// The stage (its clamp is applied by [`OutputStage::finish`]).
    pub(super) stage: OutputStage,
    /// Output zero point.
    pub(super) zp: i32,
    /// `max(stage.lo, dtype.min)`.
    pub(super) lo: i32,
    /// `min(stage.hi, dtype.max)`.
    pub(super) hi: i32,
    /// Output dtype.
    pub(super) dtype: DType,
}

/// Writes the valid part of an i32 micro-tile of raw sums with [`OutputStage::finish`].
pub(super) fn epilogue_scalar<const NR: usize>(
    acc: &[[i32; NR]],
    t: &Tile<'_>,
    e: &Epi<'_>,
    out: &mut [u8],
) {
    for (r, (row, &rc)) in acc.iter().zip(t.row_corr).take(t.rows).enumerate() {
        let base = t.out_off + r * t.stride;
        for (c, &d) in row.iter().take(t.cols).enumerate() {
            let col = t.col0 + c;
            let v = d.wrapping_add(rc).wrapping_add(e.col_corr[col]);
            let ch = if e.per_row { t.row0 + r } else { col };
            let rq = Requant {
                multiplier: e.mult[ch],
                shift: e.shift[ch],
            };
            let y = e.stage.finish(v, rq, e.zp, e.dtype);
            write_elem(e.dtype, out, base + c, y);
        }
    }
}

/// The portable kernel: i16 pairs, like the AVX2 kernel's layout.
pub(super) struct ScalarFormat;

/// Micro-tile of the i16 layout (AVX2 and portable).
pub(super) const I16_MR: usize = 6;
/// Columns of the i16 layout's micro-tile.
pub(super) const I16_NR: usize = 16;

impl Format for ScalarFormat {
    type A = i16;
    type B = i16;
    const MR: usize = I16_MR;
    const NR: usize = I16_NR;
    const KSTEP: usize = 2;
    const OFFSET: i32 = 0;

    fn a_elem(x: i8) -> i16 {
        x as i16
    }

    fn b_elem(x: i8) -> i16 {
        x as i16
    }

    fn tile(&self, a: &[i16], b: &[i16], steps: usize, t: &Tile<'_>, e: &Epi<'_>, out: &mut [u8]) {
        let mut acc = [[0i32; I16_NR]; I16_MR];
        let a = &a[..steps * I16_MR * 2];
        let b = &b[..steps * I16_NR * 2];
        for (ag, bg) in a.chunks_exact(I16_MR * 2).zip(b.chunks_exact(I16_NR * 2)) {
            for (row, ap) in acc.iter_mut().zip(ag.chunks_exact(2)) {
                let (a0, a1) = (ap[0] as i32, ap[1] as i32);
                for (c, bp) in row.iter_mut().zip(bg.chunks_exact(2)) {
                    // |a|, |b| ≤ 128: the pair sum is at most 2^15, exact in i32.
                    *c = c.wrapping_add(a0 * bp[0] as i32 + a1 * bp[1] as i32);
                }
            }
        }
        epilogue_scalar(&acc, t, e, out);
    }
}

/// Shapes and operands of one i8 × i8 product: A batch `i` (`[m, k]`, row-major) times B batch
/// `i / group` (`[k, n]`, or `[n, k]` when `transpose_b`).
pub(super) struct Problem<'a> {
    pub(super) a: &'a [u8],
    pub(super) b: &'a [u8],
    pub(super) m: usize,
    pub(super) k: usize,
    pub(super) n: usize,
    pub(super) batch_a: usize,
    pub(super) batch_b: usize,
    pub(super) group: usize,
    pub(super) transpose_b: bool,
    pub(super) za: i32,
    pub(super) zb: i32,
}

/// The epilogue's channels: bias, multipliers and the stage.
pub(super) struct Channels<'a> {
    /// Channels are rows (conv2d's output channels), not columns (matmul's).
    pub(super) per_row: bool,
    /// The channel of row or column 0.
    pub(super) first: usize,
    /// i32 bias per channel.
    pub(super) bias: Option<&'a [u8]>,
    /// Per-channel multipliers (i32 `[channels, 2]`), else the stage's.
    pub(super) table: Option<&'a [u8]>,
    /// Requantization and clamp.
    pub(super) stage: OutputStage,
}

/// Packed B of one batch: panels of NR columns, each `steps × NR × KSTEP` elements, and the
/// column corrections.
struct PackedB<T> {
    data: Vec<T>,
    col_corr: Vec<i32>,
}

/// Runs the matmul `mm` (A and B i8, checked) into `out` with the kernel of `isa`.
pub(super) fn matmul(
    isa: Isa,
    mm: &MatMul,
    inputs: &[TensorRef<'_>],
    output: &TensorInfo,
    out: &mut [u8],
) {
    let (a, b) = (inputs[0], inputs[1]);
    let (ar, br) = (a.info.shape.len(), b.info.shape.len());
    let (m, k) = (a.info.shape[ar - 2] as usize, a.info.shape[ar - 1] as usize);
    let n = if mm.transpose_b {
        b.info.shape[br - 2]
    } else {
        b.info.shape[br - 1]
    } as usize;
    let batch_a: usize = a.info.shape[..ar - 2].iter().map(|&d| d as usize).product();
    let batch_b: usize = b.info.shape[..br - 2].iter().map(|&d| d as usize).product();
    let p = Problem {
        a: a.data,
        b: b.data,
        m,
        k,
        n,
        batch_a,
        batch_b,
        group: batch_a / batch_b,
        transpose_b: mm.transpose_b,
        za: a.info.quant.zero_point,
        zb: b.info.quant.zero_point,
    };
    let ch = Channels {
        per_row: false,
        first: 0,
        bias: mm.has_bias.then(|| inputs[2].data),
        table: mm
            .per_channel
            .then(|| inputs[2 + mm.has_bias as usize].data),
        stage: mm.stage,
    };
    product(isa, &p, &ch, output, out);
}

/// Runs the product `p` with the epilogue `ch` into `out` (`[batch_a, m, n]` of `output`'s
/// dtype) with the kernel of `isa`.
pub(super) fn product(
    isa: Isa,
    p: &Problem<'_>,
    ch: &Channels<'_>,
    output: &TensorInfo,
    out: &mut [u8],
) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512Vnni => {
            if let Some(token) = x86::Avx512Vnni::detect() {
                return run(&x86::VnniFormat(token), p, ch, output, out);
            }
        }
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => {
            if let Some(token) = x86::Avx2::detect() {
                return run(&x86::Avx2Format(token), p, ch, output, out);
            }
        }
        _ => {}
    }
    run(&ScalarFormat, p, ch, output, out)
}

/// Packs the lines of `src` (each `k` bytes along k: rows of A, or columns of B stored
/// `[N, K]`) into a panel of `width` slots: k-step `s`, slot `i`, lane `l` of `dst` is
/// `conv(src[i·k + s·ks + l])`. Slots and lanes without a source stay as they are (zero).
pub(super) fn pack_panel<T: Copy>(
    src: &[u8],
    k: usize,
    ks: usize,
    width: usize,
    dst: &mut [T],
    conv: impl Fn(i8) -> T,
) {
    for (s, d) in dst.chunks_exact_mut(width * ks).enumerate() {
        let (k0, kn) = (s * ks, ks.min(k - s * ks));
        for (line, o) in src.chunks_exact(k).zip(d.chunks_exact_mut(ks)) {
            for (o, &x) in o.iter_mut().zip(&line[k0..k0 + kn]) {
                *o = conv(x as i8);
            }
        }
    }
}

/// [`pack_panel`] for 4-byte k-steps of bytes, XOR-ing every byte with `flip`, a u32 at a time.
#[cfg(target_arch = "x86_64")]
pub(super) fn pack_panel_x4(src: &[u8], k: usize, width: usize, dst: &mut [u8], flip: u32) {
    let full = k / 4;
    let (body, tail) = dst.split_at_mut(full * width * 4);
    for (s, d) in body.chunks_exact_mut(width * 4).enumerate() {
        for (line, o) in src.chunks_exact(k).zip(d.chunks_exact_mut(4)) {
            let w = &line[4 * s..4 * s + 4];
            let w = u32::from_le_bytes([w[0], w[1], w[2], w[3]]) ^ flip;
            o.copy_from_slice(&w.to_le_bytes());
        }
    }
    if !k.is_multiple_of(4) {
        for (line, o) in src.chunks_exact(k).zip(tail.chunks_exact_mut(4)) {
            for (o, &x) in o.iter_mut().zip(&line[4 * full..]) {
                *o = x ^ flip as u8;
            }
        }
    }
}

/// The wrapping sums of `k`-byte lines of i8 (through the sums of `x + 128` as u8).
pub(super) fn line_sums(src: &[u8], k: usize, sums: &mut [i32]) {
    for (line, sum) in src.chunks_exact(k).zip(sums) {
        let biased = line
            .iter()
            .fold(0u32, |s, &x| s.wrapping_add((x ^ 0x80) as u32));
        *sum = (biased as i32).wrapping_sub((k as i32).wrapping_mul(128));
    }
}

/// Packs batch `bb` of B: panel `j`, step `s`, column `c` of the panel, lane `l` holds
/// `b[s·KSTEP + l, j·NR + c]` (0 outside B); returns the column corrections too.
fn pack_b<F: Format>(p: &Problem<'_>, col_bias: Option<&[u8]>, bb: usize) -> PackedB<F::B> {
    let (k, n) = (p.k, p.n);
    let ks = F::KSTEP;
    let steps = k.div_ceil(ks);
    let panels = n.div_ceil(F::NR);
    let panel_len = steps * F::NR * ks;
    let src = &p.b[bb * k * n..(bb + 1) * k * n];
    let mut data = vec![F::B::default(); panels * panel_len];
    let mut colsum = vec![0i32; panels * F::NR];
    data.par_chunks_mut(panel_len)
        .zip(colsum.par_chunks_mut(F::NR))
        .enumerate()
        .for_each(|(j, (dst, sums))| {
            let cols = F::NR.min(n - j * F::NR);
            if p.transpose_b {
                // B is [N, K]: column c of the panel is row j·NR + c, contiguous in k.
                let lines = &src[j * F::NR * k..(j * F::NR + cols) * k];
                F::pack_b_panel(lines, k, dst);
                F::line_sums(lines, k, sums);
            } else {
                // B is [K, N]: the KSTEP rows of a step, columns j·NR .. j·NR + cols each.
                let sums = &mut sums[..cols];
                for (s, d) in dst.chunks_exact_mut(F::NR * ks).enumerate() {
                    let mut rows: [&[u8]; 4] = [&[]; 4];
                    let lanes = ks.min(k - s * ks);
                    for (lane, row) in rows.iter_mut().enumerate().take(lanes) {
                        let at = (s * ks + lane) * n + j * F::NR;
                        *row = &src[at..at + cols];
                    }
                    F::pack_b_step(&rows[..lanes], d, sums);
                }
            }
        });
    let factor = F::OFFSET.wrapping_add(p.za);
    let col_corr = colsum
        .iter()
        .enumerate()
        .map(|(c, &s)| {
            let bias = match col_bias {
                Some(bias) if c < n => read_elem(DType::I32, bias, c),
                _ => 0,
            };
            bias.wrapping_sub(factor.wrapping_mul(s))
        })
        .collect();
    PackedB { data, col_corr }
}

/// Packs `rows` rows of A starting at `a` (row-major, K each) into panels of MR rows: panel `i`,
/// step `s`, row `r`, lane `l` holds `a[i·MR + r, s·KSTEP + l]` (0 outside A). Returns the packed
/// block and the row corrections `K·za·zb − zb·rs[m]` (MR-padded).
/// `row_bias` (i32 per row, and the index of the block's first row in it) is added to the
/// corrections.
fn pack_a<F: Format>(
    p: &Problem<'_>,
    a: &[u8],
    rows: usize,
    row_bias: Option<(&[u8], usize)>,
) -> (Vec<F::A>, Vec<i32>) {
    let k = p.k;
    let steps = k.div_ceil(F::KSTEP);
    let panels = rows.div_ceil(F::MR);
    let panel_len = steps * F::MR * F::KSTEP;
    let mut data = vec![F::A::default(); panels * panel_len];
    let mut corr = vec![0i32; panels * F::MR];
    let base = (k as i32).wrapping_mul(p.za).wrapping_mul(p.zb);
    let a = &a[..rows * k];
    for (src, dst) in a.chunks(F::MR * k).zip(data.chunks_exact_mut(panel_len)) {
        F::pack_a_panel(src, k, dst);
    }
    F::line_sums(a, k, &mut corr);
    for (r, c) in corr.iter_mut().enumerate().take(rows) {
        *c = base.wrapping_sub(p.zb.wrapping_mul(*c));
        if let Some((bias, first)) = row_bias {
            *c = c.wrapping_add(read_elem(DType::I32, bias, first + r));
        }
    }
    (data, corr)
}

/// One task's rows: batch, first row within the batch, row count.
#[derive(Clone, Copy)]
struct RowBlock {
    batch: usize,
    m0: usize,
    rows: usize,
}

fn run<F: Format>(f: &F, p: &Problem<'_>, ch: &Channels<'_>, output: &TensorInfo, out: &mut [u8]) {
    let (k, n) = (p.k, p.n);
    let dtype = output.dtype;
    let size = dtype.size();
    let panels = n.div_ceil(F::NR);
    let npad = panels * F::NR;
    let steps = k.div_ceil(F::KSTEP);

    // Per-channel multipliers (padding columns: multiplier 0, shift 0).
    let channels = if ch.per_row { p.m } else { n };
    let mut mult = vec![0i32; if ch.per_row { p.m } else { npad }];
    let mut shift = vec![0i32; mult.len()];
    for c in 0..channels {
        let rq = match ch.table {
            Some(t) => crate::ops::stage::channel_requant(t, ch.first + c),
            None => ch.stage.requant,
        };
        mult[c] = rq.multiplier;
        shift[c] = rq.shift.clamp(MIN_SHIFT, MAX_SHIFT);
    }
    let (col_bias, row_bias) = match ch.bias {
        Some(b) if ch.per_row => (None, Some(b)),
        b => (b, None),
    };
    let left: Vec<i32> = shift.iter().map(|&s| s.max(0)).collect();
    let right: Vec<i32> = shift.iter().map(|&s| (-s).max(0)).collect();
    let rmask: Vec<i32> = right.iter().map(|&r| ((1u32 << r) - 1) as i32).collect();
    let thr: Vec<i32> = rmask.iter().map(|&m| m >> 1).collect();

    let bpacks: Vec<PackedB<F::B>> = (0..p.batch_b)
        .into_par_iter()
        .map(|bb| pack_b::<F>(p, col_bias, bb))
        .collect();
    let epis: Vec<Epi<'_>> = bpacks
        .iter()
        .map(|bp| Epi {
            col_corr: &bp.col_corr,
            per_row: ch.per_row,
            mult: &mult,
            shift: &shift,
            left: &left,
            right: &right,
            rmask: &rmask,
            thr: &thr,
            stage: ch.stage,
            zp: output.quant.zero_point,
            lo: ch.stage.lo.max(dtype.min()),
            hi: ch.stage.hi.min(dtype.max()),
            dtype,
        })
        .collect();

    // Row blocks: within one batch each, at most MC_MAX rows, as few as that allows but a
    // multiple of the thread count, of equal height (every row block streams all of B: few tall
    // blocks beat many short ones).
    let threads = rayon::current_num_threads().max(1);
    let total_rows = p.batch_a * p.m;
    let count = total_rows.div_ceil(MC_MAX).div_ceil(threads) * threads;
    let mc = total_rows.div_ceil(count).div_ceil(F::MR) * F::MR;
    let mc = mc.clamp(F::MR, MC_MAX.max(F::MR));
    let mut blocks = Vec::new();
    for batch in 0..p.batch_a {
        let mut m0 = 0;
        while m0 < p.m {
            let rows = mc.min(p.m - m0);
            blocks.push(RowBlock { batch, m0, rows });
            m0 += rows;
        }
    }
    // Few row blocks (a short A): split the columns too, into panels groups.
    let col_blocks = if blocks.len() >= 2 * threads {
        1
    } else {
        (2 * threads).div_ceil(blocks.len()).min(panels)
    };
    let per_cb = panels.div_ceil(col_blocks);

    let mut chunks: Vec<(RowBlock, &mut [u8])> = Vec::with_capacity(blocks.len());
    let mut rest = out;
    for blk in blocks {
        let (chunk, tail) = rest.split_at_mut(blk.rows * n * size);
        chunks.push((blk, chunk));
        rest = tail;
    }
    let a_panel_len = steps * F::MR * F::KSTEP;
    let b_panel_len = steps * F::NR * F::KSTEP;
    chunks.into_par_iter().for_each(|(blk, chunk)| {
        let bb = blk.batch / p.group;
        let first = blk.batch * p.m + blk.m0;
        let (apack, row_corr) = pack_a::<F>(
            p,
            &p.a[first * k..(first + blk.rows) * k],
            blk.rows,
            row_bias.map(|b| (b, ch.first + blk.m0)),
        );
        let (bdata, epi) = (&bpacks[bb].data, &epis[bb]);
        // Computes panels `js` of this row block into `dst` (rows × stride elements, its column
        // 0 being global column `col_base`).
        let block =
            |js: core::ops::Range<usize>, dst: &mut [u8], stride: usize, col_base: usize| {
                for j in js {
                    let bpanel = &bdata[j * b_panel_len..(j + 1) * b_panel_len];
                    let col0 = j * F::NR;
                    for (i, apanel) in apack.chunks_exact(a_panel_len).enumerate() {
                        let r0 = i * F::MR;
                        let t = Tile {
                            row_corr: &row_corr[r0..r0 + F::MR],
                            row0: blk.m0 + r0,
                            col0,
                            rows: F::MR.min(blk.rows - r0),
                            cols: F::NR.min(n - col0),
                            out_off: r0 * stride + col0 - col_base,
                            stride,
                        };
                        f.tile(apanel, bpanel, steps, &t, epi, dst);
                    }
                }
            };
        if col_blocks <= 1 {
            block(0..panels, chunk, n, 0);
        } else {
            let parts: Vec<(usize, usize, Vec<u8>)> = (0..col_blocks)
                .into_par_iter()
                .filter_map(|cb| {
                    let js = cb * per_cb..((cb + 1) * per_cb).min(panels);
                    if js.is_empty() {
                        return None;
                    }
                    let c0 = js.start * F::NR;
                    let c1 = (js.end * F::NR).min(n);
                    let mut buf = vec![0u8; blk.rows * (c1 - c0) * size];
                    block(js, &mut buf, c1 - c0, c0);
                    Some((c0, c1, buf))
                })
                .collect();
            for (c0, c1, buf) in parts {
                let w = (c1 - c0) * size;
                for (r, src) in buf.chunks_exact(w).enumerate() {
                    chunk[(r * n + c0) * size..(r * n + c0) * size + w].copy_from_slice(src);
                }
            }
        }
    });
}
