//! Elementwise ops on slices: binary add / mul (with broadcasting), requantize and table lookup.
//!
//! Every value goes through the very functions of the reference kernels
//! ([`OutputStage::finish`], [`Requant::apply`](crate::quant::Requant::apply),
//! [`saturating_shift_left`], [`rounding_divide_by_pot`]) in the same order; what changes is the
//! iteration: blocks of consecutive elements through tight per-dtype loops instead of per-element
//! dtype dispatch and coordinate arithmetic. An i8 input's per-element prologue (centering, and
//! for add the shift and multiplier) has only 256 possible results: it is tabulated once per
//! call.

use std::vec::Vec;

use super::par::for_pieces;
#[cfg(target_arch = "x86_64")]
use super::x86;
use super::Isa;
use crate::ops::binary::broadcast_strides;
use crate::ops::{Binary, BinaryKind, Lut, OutputStage, Requantize};
use crate::quant::{rounding_divide_by_pot, saturating_shift_left};
use crate::tensor::{read_elem, DType, TensorInfo, TensorRef};

/// Elements per block of the per-block buffers.
pub(super) const BLOCK: usize = 256;

/// The values of a tensor as the kernel sees them: `f(x − zero_point)` (wrapping), through a
/// 256-entry table for i8.
pub(super) struct Values<'a, F: Fn(i32) -> i32> {
    data: &'a [u8],
    dtype: DType,
    zero_point: i32,
    f: F,
    /// `table[byte] = f(byte as i8 − zero_point)` for i8 tensors.
    table: Option<[i32; 256]>,
}

impl<'a, F: Fn(i32) -> i32> Values<'a, F> {
    pub(super) fn new(t: &TensorRef<'a>, f: F) -> Self {
        let zero_point = t.info.quant.zero_point;
        let table = (t.info.dtype == DType::I8).then(|| {
            let mut table = [0i32; 256];
            for (byte, v) in table.iter_mut().enumerate() {
                *v = f((byte as u8 as i8 as i32).wrapping_sub(zero_point));
            }
            table
        });
        Self {
            data: t.data,
            dtype: t.info.dtype,
            zero_point,
            f,
            table,
        }
    }

    /// The value of element `i`.
    #[inline(always)]
    pub(super) fn at(&self, i: usize) -> i32 {
        match &self.table {
            Some(table) => table[self.data[i] as usize],
            None => (self.f)(read_elem(self.dtype, self.data, i).wrapping_sub(self.zero_point)),
        }
    }

    /// Elements `start..start + out.len()` (`contiguous`), or element `start` repeated.
    #[inline]
    pub(super) fn fill(&self, start: usize, contiguous: bool, out: &mut [i32]) {
        if !contiguous {
            out.fill(self.at(start));
            return;
        }
        let n = out.len();
        let zp = self.zero_point;
        match (&self.table, self.dtype) {
            (Some(table), _) => {
                for (o, &b) in out.iter_mut().zip(&self.data[start..start + n]) {
                    *o = table[b as usize];
                }
            }
            (None, DType::I16) => {
                let src = &self.data[2 * start..2 * (start + n)];
                for (o, b) in out.iter_mut().zip(src.chunks_exact(2)) {
                    *o = (self.f)((i16::from_le_bytes([b[0], b[1]]) as i32).wrapping_sub(zp));
                }
            }
            (None, _) => {
                let src = &self.data[4 * start..4 * (start + n)];
                for (o, b) in out.iter_mut().zip(src.chunks_exact(4)) {
                    let v = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                    *o = (self.f)(v.wrapping_sub(zp));
                }
            }
        }
    }
}

/// Writes `v` (already in the dtype's range) as consecutive elements of `dst`.
#[inline]
pub(super) fn store(dtype: DType, values: &[i32], dst: &mut [u8]) {
    match dtype {
        DType::I8 => {
            for (d, &v) in dst.iter_mut().zip(values) {
                *d = v as i8 as u8;
            }
        }
        DType::I16 => {
            for (d, &v) in dst.chunks_exact_mut(2).zip(values) {
                d.copy_from_slice(&(v as i16).to_le_bytes());
            }
        }
        DType::I32 => {
            for (d, &v) in dst.chunks_exact_mut(4).zip(values) {
                d.copy_from_slice(&v.to_le_bytes());
            }
        }
    }
}

/// The output stage of an op (its own multiplier, the output's zero point and dtype), on the
/// SIMD copy of [`OutputStage::finish`] where the backend's path has one.
#[derive(Clone, Copy)]
pub(super) struct Finish {
    stage: OutputStage,
    zp: i32,
    dtype: DType,
    simd: Simd,
}

/// The SIMD path of the backend's instruction set, with the proof of its features.
#[derive(Clone, Copy)]
pub(super) enum Simd {
    None,
    #[cfg(target_arch = "x86_64")]
    Avx512(x86::Avx512Vnni),
    #[cfg(target_arch = "x86_64")]
    Avx2(x86::Avx2),
}

impl Simd {
    pub(super) fn new(isa: Isa) -> Self {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512Vnni => x86::Avx512Vnni::detect().map_or(Simd::None, Simd::Avx512),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => x86::Avx2::detect().map_or(Simd::None, Simd::Avx2),
            _ => Simd::None,
        }
    }
}

/// `out[i] = combine(ta[a[i]], tb[b[i]])`: the binary op on two i8 inputs through their
/// prologue tables.
#[inline(always)]
pub(super) fn pair_i8<C: Fn(i32, i32) -> i32>(
    ta: &[i32; 256],
    tb: &[i32; 256],
    a: &[u8],
    b: &[u8],
    combine: &C,
    out: &mut [i32],
) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = combine(ta[x as usize], tb[y as usize]);
    }
}

impl Simd {
    /// [`pair_i8`] compiled for this path.
    #[inline]
    fn pair_i8<C: Fn(i32, i32) -> i32>(
        self,
        ta: &[i32; 256],
        tb: &[i32; 256],
        a: &[u8],
        b: &[u8],
        combine: &C,
        out: &mut [i32],
    ) {
        match self {
            Simd::None => pair_i8(ta, tb, a, b, combine, out),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512(t) => x86::pair_i8_avx512(t, ta, tb, a, b, combine, out),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2(t) => x86::pair_i8_avx2(t, ta, tb, a, b, combine, out),
        }
    }
}

impl Finish {
    pub(super) fn new(isa: Isa, stage: OutputStage, output: &TensorInfo) -> Self {
        let simd = Simd::new(isa);
        Self {
            stage,
            zp: output.quant.zero_point,
            dtype: output.dtype,
            simd,
        }
    }

    /// `stage.finish` of every accumulator, in place.
    #[inline]
    pub(super) fn apply(&self, acc: &mut [i32]) {
        let (stage, zp, dtype) = (&self.stage, self.zp, self.dtype);
        match self.simd {
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512(t) => x86::finish_slice_avx512(t, stage, zp, dtype, acc),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2(t) => x86::finish_slice_avx2(t, stage, zp, dtype, acc),
            Simd::None => {
                for a in acc.iter_mut() {
                    *a = stage.finish(*a, stage.requant, zp, dtype);
                }
            }
        }
    }

    /// `stage.finish` of every accumulator (in place, or not at all on AVX-512, which finishes
    /// and writes in one pass), written to `dst`.
    #[inline]
    pub(super) fn store(&self, acc: &mut [i32], dst: &mut [u8]) {
        #[cfg(target_arch = "x86_64")]
        if let Simd::Avx512(t) = self.simd {
            x86::finish_store_avx512(t, &self.stage, self.zp, self.dtype, acc, dst);
            return;
        }
        self.apply(acc);
        store(self.dtype, acc, dst);
    }
}

/// How an input of a broadcast walks the output: runs of `inner` output elements along which
/// each input is contiguous or constant, and per-dimension strides for the outer part.
struct Broadcast {
    /// Output dims outside the run.
    outer_dims: Vec<usize>,
    /// A's and B's element strides over `outer_dims`.
    outer_a: Vec<usize>,
    outer_b: Vec<usize>,
    /// Output elements per run.
    inner: usize,
    /// Whether A (B) advances along the run (else it repeats one element).
    a_contiguous: bool,
    b_contiguous: bool,
}

impl Broadcast {
    fn new(a: &[u32], b: &[u32], out: &[u32]) -> Self {
        let sa = broadcast_strides(a, out);
        let sb = broadcast_strides(b, out);
        let (mut inner, mut split) = (1usize, out.len());
        let (mut a_kind, mut b_kind) = (None, None);
        // Take trailing dims while each input is contiguous (stride = run so far) or constant
        // (stride 0) over all of them; dims of 1 fit either.
        for d in (0..out.len()).rev() {
            let dim = out[d] as usize;
            if dim != 1 {
                let kind = |s: usize| match s {
                    0 => Some(false),
                    s if s == inner => Some(true),
                    _ => None,
                };
                let (Some(ka), Some(kb)) = (kind(sa[d]), kind(sb[d])) else {
                    break;
                };
                if a_kind.is_some_and(|k| k != ka) || b_kind.is_some_and(|k| k != kb) {
                    break;
                }
                a_kind = Some(ka);
                b_kind = Some(kb);
                inner *= dim;
            }
            split = d;
        }
        Self {
            outer_dims: out[..split].iter().map(|&d| d as usize).collect(),
            outer_a: sa[..split].to_vec(),
            outer_b: sb[..split].to_vec(),
            inner,
            a_contiguous: a_kind.unwrap_or(true),
            b_contiguous: b_kind.unwrap_or(true),
        }
    }

    /// A's and B's first elements of run `run`.
    #[inline]
    fn offsets(&self, mut run: usize) -> (usize, usize) {
        let (mut ia, mut ib) = (0, 0);
        for d in (0..self.outer_dims.len()).rev() {
            let dim = self.outer_dims[d];
            let c = run % dim;
            run /= dim;
            ia += c * self.outer_a[d];
            ib += c * self.outer_b[d];
        }
        (ia, ib)
    }
}

/// Binary add or mul, bit for bit the reference's.
pub(super) fn binary(
    isa: Isa,
    op: &Binary,
    inputs: &[TensorRef<'_>],
    output: &TensorInfo,
    out: &mut [u8],
) {
    let finish = Finish::new(isa, op.stage, output);
    let (a, b) = (inputs[0], inputs[1]);
    let geo = Broadcast::new(&a.info.shape, &b.info.shape, &output.shape);
    let shift = op.left_shift;
    let (ra, rb) = (op.a_requant, op.b_requant);
    match op.kind {
        BinaryKind::Add => binary_with(
            &finish,
            &geo,
            &Values::new(&a, |x| ra.apply(saturating_shift_left(x, shift))),
            &Values::new(&b, |y| rb.apply(saturating_shift_left(y, shift))),
            |x, y| x.wrapping_add(y),
            output,
            out,
        ),
        BinaryKind::Mul => binary_with(
            &finish,
            &geo,
            &Values::new(&a, |x| x),
            &Values::new(&b, |y| y),
            |x, y| x.wrapping_mul(y),
            output,
            out,
        ),
    }
}

fn binary_with<FA, FB, C>(
    finish: &Finish,
    geo: &Broadcast,
    va: &Values<'_, FA>,
    vb: &Values<'_, FB>,
    combine: C,
    output: &TensorInfo,
    out: &mut [u8],
) where
    FA: Fn(i32) -> i32 + Sync,
    FB: Fn(i32) -> i32 + Sync,
    C: Fn(i32, i32) -> i32 + Sync,
{
    let size = output.dtype.size();
    for_pieces(out, size, 1, 11, |start, dst| {
        let end = start + dst.len() / size;
        let (mut xa, mut xb) = ([0i32; BLOCK], [0i32; BLOCK]);
        let mut idx = start;
        while idx < end {
            let (run, col) = (idx / geo.inner, idx % geo.inner);
            let (oa, ob) = geo.offsets(run);
            let mut col = col;
            let run_end = (idx - col + geo.inner).min(end);
            while idx < run_end {
                let len = (run_end - idx).min(BLOCK);
                let (xa, xb) = (&mut xa[..len], &mut xb[..len]);
                if let (Some(ta), Some(tb), true, true) =
                    (&va.table, &vb.table, geo.a_contiguous, geo.b_contiguous)
                {
                    // Both i8 and contiguous: lookups and combination in one loop.
                    let (a, b) = (oa + col, ob + col);
                    let (a, b) = (&va.data[a..a + len], &vb.data[b..b + len]);
                    finish.simd.pair_i8(ta, tb, a, b, &combine, xa);
                    let at = (idx - start) * size;
                    finish.store(xa, &mut dst[at..at + len * size]);
                    idx += len;
                    col += len;
                    continue;
                }
                va.fill(
                    oa + if geo.a_contiguous { col } else { 0 },
                    geo.a_contiguous,
                    xa,
                );
                vb.fill(
                    ob + if geo.b_contiguous { col } else { 0 },
                    geo.b_contiguous,
                    xb,
                );
                for (x, &y) in xa.iter_mut().zip(xb.iter()) {
                    *x = combine(*x, y);
                }
                let at = (idx - start) * size;
                finish.store(xa, &mut dst[at..at + len * size]);
                idx += len;
                col += len;
            }
        }
    });
}

/// Requantize: `stage(x − zx)`; tabulated for i8 inputs.
pub(super) fn requantize(
    isa: Isa,
    op: &Requantize,
    inputs: &[TensorRef<'_>],
    output: &TensorInfo,
    out: &mut [u8],
) {
    let (dtype, zo) = (output.dtype, output.quant.zero_point);
    let size = dtype.size();
    let x = inputs[0];
    if x.info.dtype == DType::I8 {
        // 256 possible results.
        let stage = op.stage;
        let finished = Values::new(&x, |v| stage.finish(v, stage.requant, zo, dtype));
        for_pieces(out, size, 1, 4, |start, dst| {
            let mut buf = [0i32; BLOCK];
            for (i, chunk) in dst.chunks_mut(BLOCK * size).enumerate() {
                let buf = &mut buf[..chunk.len() / size];
                finished.fill(start + i * BLOCK, true, buf);
                store(dtype, buf, chunk);
            }
        });
        return;
    }
    let finish = Finish::new(isa, op.stage, output);
    let centered = Values::new(&x, |v| v);
    for_pieces(out, size, 1, 10, |start, dst| {
        let mut buf = [0i32; BLOCK];
        for (i, chunk) in dst.chunks_mut(BLOCK * size).enumerate() {
            let buf = &mut buf[..chunk.len() / size];
            centered.fill(start + i * BLOCK, true, buf);
            finish.store(buf, chunk);
        }
    });
}

/// Table lookup; i8 X through a 256-entry table of final values, i16 X interpolated.
pub(super) fn lut(_op: &Lut, inputs: &[TensorRef<'_>], output: &TensorInfo, out: &mut [u8]) {
    let (x, t) = (inputs[0], inputs[1]);
    let dtype = output.dtype;
    let size = dtype.size();
    let table: Vec<i32> = (0..t.info.len()).map(|i| t.get(i)).collect();
    if x.info.dtype == DType::I8 {
        let mut direct = [0i32; 256];
        for (byte, v) in direct.iter_mut().enumerate() {
            let idx = (byte as u8 as i8 as i32 + 128) as u32 as usize;
            *v = dtype.saturate(table[idx] as i64);
        }
        if dtype == DType::I8 {
            let mut bytes = [0u8; 256];
            for (b, &v) in bytes.iter_mut().zip(&direct) {
                *b = v as i8 as u8;
            }
            for_pieces(out, 1, 1, 4, |start, dst| {
                for (d, &b) in dst.iter_mut().zip(&x.data[start..]) {
                    *d = bytes[b as usize];
                }
            });
            return;
        }
        for_pieces(out, size, 1, 5, |start, dst| {
            let mut buf = [0i32; BLOCK];
            for (i, chunk) in dst.chunks_mut(BLOCK * size).enumerate() {
                let buf = &mut buf[..chunk.len() / size];
                let first = start + i * BLOCK;
                for (o, &b) in buf.iter_mut().zip(&x.data[first..]) {
                    *o = direct[b as usize];
                }
                store(dtype, buf, chunk);
            }
        });
        return;
    }
    // i16 X: 0 ≤ u ≤ 65535, i ≤ 255, i + 1 ≤ 256.
    for_pieces(out, size, 1, 20, |start, dst| {
        let mut buf = [0i32; BLOCK];
        for (i, chunk) in dst.chunks_mut(BLOCK * size).enumerate() {
            let buf = &mut buf[..chunk.len() / size];
            let first = start + i * BLOCK;
            let src = &x.data[2 * first..2 * (first + buf.len())];
            for (o, s) in buf.iter_mut().zip(src.chunks_exact(2)) {
                let v = i16::from_le_bytes([s[0], s[1]]) as i32;
                let u = (v + 32768) as u32;
                let (i, f) = ((u >> 8) as usize, (u & 255) as i32);
                let (lo, hi) = (table[i], table[i + 1]);
                *o = dtype.saturate((lo + rounding_divide_by_pot((hi - lo) * f, 8)) as i64);
            }
            store(dtype, buf, chunk);
        }
    });
}
