//! x86-64 SIMD kernels of the int8 GEMM, chosen at run time: AVX-512 VNNI (`vpdpbusd`) and
//! AVX2 (`vpmaddwd` on sign-extended i16), each with a vectorized copy of the output stage, and
//! register-only peak loops for the benchmark.
//!
//! The only module of the fast backend with `unsafe`: unaligned vector loads and masked stores through
//! raw pointers (every one inside bounds asserted on the slices first), and calls of
//! `#[target_feature]` functions, which the tokens [`Avx512Vnni`] and [`Avx2`] make sound: they
//! are only constructed after `is_x86_feature_detected!` confirmed the features.
#![allow(unsafe_code)]

use core::arch::x86_64::*;

use super::gemm::{pack_panel_x4, Epi, Format, Tile, I16_MR, I16_NR};
use super::norm::NormRow;
use super::softmax::RowProbs;
use crate::ops::OutputStage;
use crate::quant::{MAX_SHIFT, MIN_SHIFT};
use crate::tensor::{write_elem, DType};

/// Proof that the CPU has AVX-512 F, BW and VNNI.
#[derive(Debug, Clone, Copy)]
pub(super) struct Avx512Vnni(());

impl Avx512Vnni {
    /// The token, if the running CPU has the features.
    pub(super) fn detect() -> Option<Self> {
        (std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512bw")
            && std::is_x86_feature_detected!("avx512vnni"))
        .then_some(Self(()))
    }
}

/// Proof that the CPU has AVX2.
#[derive(Debug, Clone, Copy)]
pub(super) struct Avx2(());

impl Avx2 {
    /// The token, if the running CPU has AVX2.
    pub(super) fn detect() -> Option<Self> {
        std::is_x86_feature_detected!("avx2").then_some(Self(()))
    }
}

/// Micro-tile rows of the VNNI kernel.
const V_MR: usize = 8;
/// 16-lane vectors per micro-tile row of the VNNI kernel.
const V_NV: usize = 2;
/// Micro-tile columns of the VNNI kernel.
const V_NR: usize = 16 * V_NV;

/// The `vpdpbusd` layout: A as u8 `a + 128`, B as s8 (its two's complement bytes), k in groups
/// of 4 (one 32-bit lane).
pub(super) struct VnniFormat(pub(super) Avx512Vnni);

impl Format for VnniFormat {
    type A = u8;
    type B = u8;
    const MR: usize = V_MR;
    const NR: usize = V_NR;
    const KSTEP: usize = 4;
    const OFFSET: i32 = 128;

    fn a_elem(x: i8) -> u8 {
        (x as u8) ^ 0x80
    }

    fn b_elem(x: i8) -> u8 {
        x as u8
    }

    fn pack_a_panel(src: &[u8], k: usize, dst: &mut [u8]) {
        pack_panel_x4(src, k, V_MR, dst, 0x8080_8080)
    }

    fn pack_b_panel(src: &[u8], k: usize, dst: &mut [u8]) {
        pack_panel_x4(src, k, V_NR, dst, 0)
    }

    fn pack_b_step(rows: &[&[u8]], dst: &mut [u8], sums: &mut [i32]) {
        let [r0, r1, r2, r3] = rows else {
            // The last k-step of a K that is not a multiple of 4.
            for (lane, row) in rows.iter().enumerate() {
                for ((o, &x), sum) in dst.chunks_exact_mut(4).zip(*row).zip(sums.iter_mut()) {
                    o[lane] = x;
                    *sum = sum.wrapping_add(x as i8 as i32);
                }
            }
            return;
        };
        let quads = r0.iter().zip(*r1).zip(*r2).zip(*r3);
        for (o, (((&a, &b), &c), &d)) in dst.chunks_exact_mut(4).zip(quads) {
            o.copy_from_slice(&[a, b, c, d]);
        }
        let quads = r0.iter().zip(*r1).zip(*r2).zip(*r3);
        for (sum, (((&a, &b), &c), &d)) in sums.iter_mut().zip(quads) {
            let q = a as i8 as i32 + b as i8 as i32 + c as i8 as i32 + d as i8 as i32;
            *sum = sum.wrapping_add(q);
        }
    }

    fn line_sums(src: &[u8], k: usize, sums: &mut [i32]) {
        for (line, sum) in src.chunks_exact(k).zip(sums) {
            // SAFETY: the format exists only with the token, which proves AVX-512 F/BW.
            *sum = unsafe { line_sum_avx512(line) };
        }
    }

    fn tile(&self, a: &[u8], b: &[u8], steps: usize, t: &Tile<'_>, e: &Epi<'_>, out: &mut [u8]) {
        assert!(a.len() >= steps * V_MR * 4 && b.len() >= steps * V_NR * 4);
        assert!(t.row_corr.len() >= t.rows && t.rows >= 1 && t.rows <= V_MR);
        assert!(t.cols >= 1 && t.cols <= V_NR);
        assert!(e.col_corr.len() >= t.col0 + V_NR);
        let channels = if e.per_row {
            t.row0 + t.rows
        } else {
            t.col0 + V_NR
        };
        for ch in [e.mult, e.left, e.right, e.rmask, e.thr] {
            assert!(ch.len() >= channels);
        }
        let last = t.out_off + (t.rows - 1) * t.stride + t.cols;
        assert!(last * e.dtype.size() <= out.len());
        // SAFETY: the token proves AVX-512 F/BW/VNNI; the bounds of every access are asserted
        // above (see `vnni_tile`).
        unsafe { vnni_tile(a, b, steps, t, e, out) }
    }
}

/// The wrapping sum of the i8 bytes of `line`: `vpsadbw` sums `x + 128` as u8, 64 bytes at a
/// time; the sum is exact modulo 2^32 and `128·len` is taken off at the end.
///
/// # Safety
/// The CPU must have AVX-512 F/BW.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn line_sum_avx512(line: &[u8]) -> i32 {
    let flip = _mm512_set1_epi8(-128);
    let zero = _mm512_setzero_si512();
    let mut acc = _mm512_setzero_si512();
    let chunks = line.chunks_exact(64);
    let tail = chunks.remainder();
    for chunk in chunks {
        // SAFETY: `chunk` is exactly 64 bytes; loadu has no alignment requirement.
        let v = unsafe { _mm512_loadu_si512(chunk.as_ptr().cast()) };
        acc = _mm512_add_epi64(acc, _mm512_sad_epu8(_mm512_xor_si512(v, flip), zero));
    }
    let mut biased = _mm512_reduce_add_epi64(acc) as u32;
    for &x in tail {
        biased = biased.wrapping_add((x ^ 0x80) as u32);
    }
    (biased as i32).wrapping_sub((line.len() as i32).wrapping_mul(128))
}

/// Broadcast epilogue constants of one call.
#[derive(Clone, Copy)]
struct Clamp {
    zp: __m512i,
    lo: __m512i,
    hi: __m512i,
    /// The zero point is ≥ 0 (an overflowing `+ zp` saturates up, else down).
    zp_up: bool,
}

/// Per-column epilogue vectors of 16 columns.
#[derive(Clone, Copy)]
struct Cols {
    mult: __m512i,
    left: __m512i,
    right: __m512i,
    rmask: __m512i,
    thr: __m512i,
}

/// `OutputStage::finish` on 16 lanes: requantize (docs/spec.md §8.2), add the zero point, clamp.
/// Exactly the scalar definition, lane by lane.
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
fn finish16(x: __m512i, c: &Cols, k: &Clamp) -> __m512i {
    let min = _mm512_set1_epi32(i32::MIN);
    let max = _mm512_set1_epi32(i32::MAX);
    // Saturating left shift by 0..=8: overflow iff shifting back does not restore x.
    let shifted = _mm512_sllv_epi32(x, c.left);
    let overflow = _mm512_cmpneq_epi32_mask(_mm512_srav_epi32(shifted, c.left), x);
    // x < 0 → MIN (all ones ^ MAX), x ≥ 0 → MAX.
    let sat = _mm512_xor_si512(_mm512_srai_epi32::<31>(x), max);
    let xs = _mm512_mask_blend_epi32(overflow, shifted, sat);
    // SRDHM: trunc((p + nudge) / 2^31) = (p + 2^30) >> 31 (arithmetic) for every i64 p, as the
    // nudge is 2^30 for p ≥ 0 and 1 − 2^30 for p < 0 (then trunc(q / 2^31) = (q + 2^31 − 1) >> 31).
    let half = _mm512_set1_epi64(1 << 30);
    let p_even = _mm512_mul_epi32(xs, c.mult);
    let p_odd = _mm512_mul_epi32(_mm512_srli_epi64::<32>(xs), _mm512_srli_epi64::<32>(c.mult));
    let h_even = _mm512_srai_epi64::<31>(_mm512_add_epi64(p_even, half));
    let h_odd = _mm512_srai_epi64::<31>(_mm512_add_epi64(p_odd, half));
    let h = _mm512_mask_blend_epi32(0xAAAA, h_even, _mm512_slli_epi64::<32>(h_odd));
    // The one overflow: MIN · MIN gives MAX.
    let both_min = _mm512_cmpeq_epi32_mask(xs, min) & _mm512_cmpeq_epi32_mask(c.mult, min);
    let h = _mm512_mask_mov_epi32(h, both_min, max);
    // RDBPOT: (h >> right) + (h & mask > (mask >> 1) + (h < 0)).
    let rem = _mm512_and_si512(h, c.rmask);
    let thr = _mm512_add_epi32(c.thr, _mm512_srli_epi32::<31>(h));
    let up = _mm512_cmpgt_epi32_mask(rem, thr);
    let q = _mm512_srav_epi32(h, c.right);
    let q = _mm512_mask_add_epi32(q, up, q, _mm512_set1_epi32(1));
    // + zp, saturated to i32 (the clamp bounds lie in i32, so this equals the 64-bit sum).
    let sum = _mm512_add_epi32(q, k.zp);
    let sum = if k.zp_up {
        _mm512_mask_mov_epi32(sum, _mm512_cmplt_epi32_mask(sum, q), max)
    } else {
        _mm512_mask_mov_epi32(sum, _mm512_cmpgt_epi32_mask(sum, q), min)
    };
    // min with hi first, then max with lo (an empty clamp gives lo, as in the scalar code).
    _mm512_max_epi32(_mm512_min_epi32(sum, k.hi), k.lo)
}

/// Elements `at..at + 16` of `s` as a vector.
#[inline]
#[target_feature(enable = "avx512f")]
fn load16(s: &[i32], at: usize) -> __m512i {
    let s = &s[at..at + 16];
    // SAFETY: `s` has exactly 16 i32 (checked by the slice above); loadu has no alignment
    // requirement.
    unsafe { _mm512_loadu_si512(s.as_ptr().cast()) }
}

/// The epilogue vectors of the 16 channels `ch..ch + 16` (per-column channels).
#[inline]
#[target_feature(enable = "avx512f")]
fn column_channels(e: &Epi<'_>, ch: usize) -> Cols {
    Cols {
        mult: load16(e.mult, ch),
        left: load16(e.left, ch),
        right: load16(e.right, ch),
        rmask: load16(e.rmask, ch),
        thr: load16(e.thr, ch),
    }
}

/// The epilogue vectors of channel `ch` in every lane (per-row channels).
#[inline]
#[target_feature(enable = "avx512f")]
fn row_channel(e: &Epi<'_>, ch: usize) -> Cols {
    Cols {
        mult: _mm512_set1_epi32(e.mult[ch]),
        left: _mm512_set1_epi32(e.left[ch]),
        right: _mm512_set1_epi32(e.right[ch]),
        rmask: _mm512_set1_epi32(e.rmask[ch]),
        thr: _mm512_set1_epi32(e.thr[ch]),
    }
}

/// Masked store of 16 finished lanes as `dtype` at element `at` of `out`.
///
/// # Safety
/// The lanes set in `mask` must address elements `at + lane` inside `out`.
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn store16(out: &mut [u8], at: usize, dtype: DType, mask: __mmask16, v: __m512i) {
    let base = out.as_mut_ptr();
    // SAFETY (all three): the caller guarantees that the masked-in lanes lie inside `out`;
    // masked-out lanes are neither written nor faulted on.
    unsafe {
        match dtype {
            DType::I8 => _mm512_mask_cvtepi32_storeu_epi8(base.add(at).cast(), mask, v),
            DType::I16 => _mm512_mask_cvtepi32_storeu_epi16(base.add(2 * at).cast(), mask, v),
            DType::I32 => _mm512_mask_storeu_epi32(base.add(4 * at).cast(), mask, v),
        }
    }
}

/// The VNNI micro-kernel and its fused epilogue.
///
/// # Safety
/// The CPU must have AVX-512 F/BW/VNNI, and the bounds asserted by [`VnniFormat::tile`] must hold:
/// `a` holds `steps·MR·4` bytes, `b` `steps·NR·4`, the epilogue arrays `col0 + NR` columns, and
/// `out` the tile's last element.
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
#[allow(clippy::needless_range_loop)]
unsafe fn vnni_tile(a: &[u8], b: &[u8], steps: usize, t: &Tile<'_>, e: &Epi<'_>, out: &mut [u8]) {
    let (ap, bp) = (a.as_ptr(), b.as_ptr());
    let mut acc = [[_mm512_setzero_si512(); V_NV]; V_MR];
    for s in 0..steps {
        let mut bv = [_mm512_setzero_si512(); V_NV];
        for v in 0..V_NV {
            // SAFETY: s < steps and v < V_NV: bytes (s·NV + v)·64 .. +64 lie within b.
            bv[v] = unsafe { _mm512_loadu_si512(bp.add((s * V_NV + v) * 64).cast()) };
        }
        for r in 0..V_MR {
            // SAFETY: s < steps and r < MR: bytes (s·MR + r)·4 .. +4 lie within a.
            let x = unsafe { ap.add((s * V_MR + r) * 4).cast::<i32>().read_unaligned() };
            let av = _mm512_set1_epi32(x);
            for v in 0..V_NV {
                acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], av, bv[v]);
            }
        }
    }
    let clamp = Clamp {
        zp: _mm512_set1_epi32(e.zp),
        lo: _mm512_set1_epi32(e.lo),
        hi: _mm512_set1_epi32(e.hi),
        zp_up: e.zp >= 0,
    };
    for v in 0..V_NV {
        let first = v * 16;
        if first >= t.cols {
            break;
        }
        let n = (t.cols - first).min(16);
        let mask: __mmask16 = if n == 16 { 0xFFFF } else { (1u16 << n) - 1 };
        let col_corr = load16(e.col_corr, t.col0 + first);
        let by_column = (!e.per_row).then(|| column_channels(e, t.col0 + first));
        for r in 0..t.rows {
            let cols = match by_column {
                Some(c) => c,
                None => row_channel(e, t.row0 + r),
            };
            let x = _mm512_add_epi32(acc[r][v], col_corr);
            let x = _mm512_add_epi32(x, _mm512_set1_epi32(t.row_corr[r]));
            let y = finish16(x, &cols, &clamp);
            // SAFETY: lanes < n address elements out_off + r·stride + first + lane ≤ the tile's
            // last element (r < rows, first + lane < cols), asserted inside `out` by the caller.
            unsafe { store16(out, t.out_off + r * t.stride + first, e.dtype, mask, y) };
        }
    }
}

/// The AVX2 layout: the portable i16-pair layout, `vpmaddwd` per pair of k.
pub(super) struct Avx2Format(pub(super) Avx2);

impl Format for Avx2Format {
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
        assert!(a.len() >= steps * I16_MR * 2 && b.len() >= steps * I16_NR * 2);
        assert!(t.row_corr.len() >= t.rows && t.rows <= I16_MR && t.cols <= I16_NR);
        assert!(e.col_corr.len() >= t.col0 + I16_NR);
        let channels = if e.per_row {
            t.row0 + t.rows
        } else {
            t.col0 + I16_NR
        };
        for ch in [e.mult, e.left, e.right, e.rmask, e.thr] {
            assert!(ch.len() >= channels);
        }
        let mut acc = [[0i32; I16_NR]; I16_MR];
        // SAFETY: the token proves AVX2; the bounds are asserted above.
        unsafe { avx2_tile(a, b, steps, &mut acc) };
        // SAFETY: the token proves AVX2; the epilogue only indexes slices (bounds-checked).
        unsafe { epilogue_avx2(&acc, t, e, out) };
    }
}

/// Per-channel epilogue vectors of 8 channels.
#[derive(Clone, Copy)]
struct Cols8 {
    mult: __m256i,
    left: __m256i,
    right: __m256i,
    rmask: __m256i,
    thr: __m256i,
}

/// `OutputStage::finish` on 8 lanes with AVX2, the same steps as [`finish16`] (no mask
/// registers: compares give all-ones lanes, and `blendv` selects).
#[inline]
#[target_feature(enable = "avx2")]
fn finish8(x: __m256i, c: &Cols8, zp: i32, lo: i32, hi: i32) -> __m256i {
    let min = _mm256_set1_epi32(i32::MIN);
    let max = _mm256_set1_epi32(i32::MAX);
    let shifted = _mm256_sllv_epi32(x, c.left);
    let kept = _mm256_cmpeq_epi32(_mm256_srav_epi32(shifted, c.left), x);
    let sat = _mm256_xor_si256(_mm256_srai_epi32::<31>(x), max);
    let xs = _mm256_blendv_epi8(sat, shifted, kept);
    // SRDHM: (p + 2^30) >> 31; its low 32 bits are bits 31..62 of p + 2^30, which a logical
    // 64-bit shift gives as well (AVX2 has no arithmetic one).
    let half = _mm256_set1_epi64x(1 << 30);
    let p_even = _mm256_mul_epi32(xs, c.mult);
    let p_odd = _mm256_mul_epi32(_mm256_srli_epi64::<32>(xs), _mm256_srli_epi64::<32>(c.mult));
    let h_even = _mm256_srli_epi64::<31>(_mm256_add_epi64(p_even, half));
    let h_odd = _mm256_srli_epi64::<31>(_mm256_add_epi64(p_odd, half));
    let h = _mm256_blend_epi32::<0b1010_1010>(h_even, _mm256_slli_epi64::<32>(h_odd));
    let both_min = _mm256_and_si256(_mm256_cmpeq_epi32(xs, min), _mm256_cmpeq_epi32(c.mult, min));
    let h = _mm256_blendv_epi8(h, max, both_min);
    // RDBPOT.
    let rem = _mm256_and_si256(h, c.rmask);
    let thr = _mm256_add_epi32(c.thr, _mm256_srli_epi32::<31>(h));
    let up = _mm256_cmpgt_epi32(rem, thr); // all ones = −1 where rounding up
    let q = _mm256_sub_epi32(_mm256_srav_epi32(h, c.right), up);
    // + zp saturated to i32, then the clamp (min with hi, then max with lo).
    let zpv = _mm256_set1_epi32(zp);
    let sum = _mm256_add_epi32(q, zpv);
    let sum = if zp >= 0 {
        _mm256_blendv_epi8(sum, max, _mm256_cmpgt_epi32(q, sum))
    } else {
        _mm256_blendv_epi8(sum, min, _mm256_cmpgt_epi32(sum, q))
    };
    _mm256_max_epi32(
        _mm256_min_epi32(sum, _mm256_set1_epi32(hi)),
        _mm256_set1_epi32(lo),
    )
}

/// Elements `at..at + 8` of `s` as a vector.
#[inline]
#[target_feature(enable = "avx2")]
fn load8(s: &[i32], at: usize) -> __m256i {
    let s = &s[at..at + 8];
    // SAFETY: `s` has exactly 8 i32 (checked by the slice above); loadu has no alignment
    // requirement.
    unsafe { _mm256_loadu_si256(s.as_ptr().cast()) }
}

/// The AVX2 epilogue: finishes the valid part of an i32 tile of raw sums 8 lanes at a time and
/// writes it element by element.
///
/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
unsafe fn epilogue_avx2(acc: &[[i32; I16_NR]; I16_MR], t: &Tile<'_>, e: &Epi<'_>, out: &mut [u8]) {
    for v in 0..I16_NR / 8 {
        let first = 8 * v;
        if first >= t.cols {
            break;
        }
        let col = t.col0 + first;
        let col_corr = load8(e.col_corr, col);
        let by_column = (!e.per_row).then(|| Cols8 {
            mult: load8(e.mult, col),
            left: load8(e.left, col),
            right: load8(e.right, col),
            rmask: load8(e.rmask, col),
            thr: load8(e.thr, col),
        });
        for (r, (row, &rc)) in acc.iter().zip(t.row_corr).take(t.rows).enumerate() {
            let cols = by_column.unwrap_or_else(|| {
                let ch = t.row0 + r;
                Cols8 {
                    mult: _mm256_set1_epi32(e.mult[ch]),
                    left: _mm256_set1_epi32(e.left[ch]),
                    right: _mm256_set1_epi32(e.right[ch]),
                    rmask: _mm256_set1_epi32(e.rmask[ch]),
                    thr: _mm256_set1_epi32(e.thr[ch]),
                }
            });
            let x = _mm256_add_epi32(load8(row, first), col_corr);
            let x = _mm256_add_epi32(x, _mm256_set1_epi32(rc));
            let y = finish8(x, &cols, e.zp, e.lo, e.hi);
            let mut lanes = [0i32; 8];
            // SAFETY: `lanes` is 8 i32 (32 bytes); storeu has no alignment requirement.
            unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), y) };
            let base = t.out_off + r * t.stride + first;
            for (c, &y) in lanes.iter().take(t.cols - first).enumerate() {
                write_elem(e.dtype, out, base + c, y);
            }
        }
    }
}

/// The AVX2 micro-kernel: raw sums of an MR × NR tile into `acc`.
///
/// # Safety
/// The CPU must have AVX2; `a` must hold `steps·MR·2` and `b` `steps·NR·2` elements.
#[target_feature(enable = "avx2")]
#[allow(clippy::needless_range_loop)]
unsafe fn avx2_tile(a: &[i16], b: &[i16], steps: usize, acc: &mut [[i32; I16_NR]; I16_MR]) {
    const NV: usize = I16_NR / 8;
    let (ap, bp) = (a.as_ptr(), b.as_ptr());
    let mut c = [[_mm256_setzero_si256(); NV]; I16_MR];
    for s in 0..steps {
        let mut bv = [_mm256_setzero_si256(); NV];
        for v in 0..NV {
            // SAFETY: s < steps, v < NV: elements (s·NR + 8v)·2 .. +16 lie within b.
            bv[v] = unsafe { _mm256_loadu_si256(bp.add((s * I16_NR + 8 * v) * 2).cast()) };
        }
        for r in 0..I16_MR {
            // SAFETY: s < steps, r < MR: elements (s·MR + r)·2 .. +2 lie within a.
            let x = unsafe { ap.add((s * I16_MR + r) * 2).cast::<i32>().read_unaligned() };
            let av = _mm256_set1_epi32(x);
            for v in 0..NV {
                // Pairs of |i16| ≤ 128 products: exact; the add wraps like the reference.
                c[r][v] = _mm256_add_epi32(c[r][v], _mm256_madd_epi16(bv[v], av));
            }
        }
    }
    for r in 0..I16_MR {
        for v in 0..NV {
            let dst = &mut acc[r][8 * v..8 * v + 8];
            // SAFETY: `dst` is 8 i32 (32 bytes); storeu has no alignment requirement.
            unsafe { _mm256_storeu_si256(dst.as_mut_ptr().cast(), c[r][v]) };
        }
    }
}

/// Independent accumulators of the peak loops (more than latency × throughput).
const PEAK_CHAINS: usize = 24;

/// `iterations` rounds of [`PEAK_CHAINS`] independent `vpdpbusd` on registers (no memory):
/// the instruction's throughput bound. Returns (ops as 2 per multiply-add, a checksum).
pub(super) fn vnni_peak(token: Avx512Vnni, iterations: u64, seed: i32) -> (u64, i32) {
    let _ = token;
    // SAFETY: the token proves AVX-512 F/BW/VNNI.
    let sum = unsafe { vnni_peak_loop(iterations, seed) };
    (iterations * PEAK_CHAINS as u64 * 64 * 2, sum)
}

#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
fn vnni_peak_loop(iterations: u64, seed: i32) -> i32 {
    let a = _mm512_set1_epi32(seed);
    let b = _mm512_set1_epi32(seed.rotate_left(7));
    let mut acc = [_mm512_setzero_si512(); PEAK_CHAINS];
    for _ in 0..iterations {
        for x in &mut acc {
            *x = _mm512_dpbusd_epi32(*x, a, b);
        }
    }
    let total = acc
        .iter()
        .fold(_mm512_setzero_si512(), |s, &x| _mm512_add_epi32(s, x));
    _mm512_reduce_add_epi32(total)
}

/// `iterations` rounds of 12 independent `vpmaddwd` + `vpaddd` on registers.
/// Returns (ops as 2 per multiply-add, a checksum).
pub(super) fn avx2_peak(token: Avx2, iterations: u64, seed: i32) -> (u64, i32) {
    let _ = token;
    // SAFETY: the token proves AVX2.
    let sum = unsafe { avx2_peak_loop(iterations, seed) };
    (iterations * 12 * 16 * 2, sum)
}

#[target_feature(enable = "avx2")]
fn avx2_peak_loop(iterations: u64, seed: i32) -> i32 {
    let a = _mm256_set1_epi32(seed);
    let b = _mm256_set1_epi32(seed.rotate_left(7));
    // 12 chains: with two operands and the accumulators, all 16 ymm registers.
    let mut acc = [_mm256_setzero_si256(); 12];
    for _ in 0..iterations {
        for x in &mut acc {
            // The product depends on the chain (a loop-invariant one would be hoisted).
            *x = _mm256_add_epi32(_mm256_madd_epi16(*x, b), a);
        }
    }
    let total = acc
        .iter()
        .fold(_mm256_setzero_si256(), |s, &x| _mm256_add_epi32(s, x));
    let mut lanes = [0i32; 8];
    // SAFETY: `lanes` is 8 i32 (32 bytes); storeu has no alignment requirement.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), total) };
    lanes.iter().fold(0i32, |s, &x| s.wrapping_add(x))
}

/// The per-lane constants of one multiplier: `(mult, left, right, rmask, thr)` as in
/// [`Epi`], shift clamped to `MIN_SHIFT..=MAX_SHIFT`.
fn uniform_channel(stage: &OutputStage) -> [i32; 5] {
    let shift = stage.requant.shift.clamp(MIN_SHIFT, MAX_SHIFT);
    let right = (-shift).max(0);
    let rmask = ((1u32 << right) - 1) as i32;
    [
        stage.requant.multiplier,
        shift.max(0),
        right,
        rmask,
        rmask >> 1,
    ]
}

/// `OutputStage::finish` (with the stage's own multiplier, output zero point `zp`, dtype
/// `dtype`) of every element of `acc`, in place: 16 lanes at a time through [`finish16`], the
/// tail through the scalar definition.
pub(super) fn finish_slice_avx512(
    t: Avx512Vnni,
    stage: &OutputStage,
    zp: i32,
    dtype: DType,
    acc: &mut [i32],
) {
    let _ = t;
    // SAFETY: the token proves AVX-512 F and BW.
    unsafe { finish_slice_512(stage, zp, dtype, acc) }
}

/// # Safety
/// The CPU must have AVX-512 F and BW.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn finish_slice_512(stage: &OutputStage, zp: i32, dtype: DType, acc: &mut [i32]) {
    let [mult, left, right, rmask, thr] = uniform_channel(stage);
    let cols = Cols {
        mult: _mm512_set1_epi32(mult),
        left: _mm512_set1_epi32(left),
        right: _mm512_set1_epi32(right),
        rmask: _mm512_set1_epi32(rmask),
        thr: _mm512_set1_epi32(thr),
    };
    let clamp = Clamp {
        zp: _mm512_set1_epi32(zp),
        lo: _mm512_set1_epi32(stage.lo.max(dtype.min())),
        hi: _mm512_set1_epi32(stage.hi.min(dtype.max())),
        zp_up: zp >= 0,
    };
    let mut chunks = acc.chunks_exact_mut(16);
    for c in &mut chunks {
        let y = finish16(load16(c, 0), &cols, &clamp);
        // SAFETY: `c` is exactly 16 i32 (64 bytes); storeu has no alignment requirement.
        unsafe { _mm512_storeu_si512(c.as_mut_ptr().cast(), y) };
    }
    for v in chunks.into_remainder() {
        *v = stage.finish(*v, stage.requant, zp, dtype);
    }
}

/// [`finish_slice_avx512`] written straight to `dst` as `dtype` (`acc.len()` elements; the
/// tail through a masked store), as `write_elem` would write each value.
pub(super) fn finish_store_avx512(
    t: Avx512Vnni,
    stage: &OutputStage,
    zp: i32,
    dtype: DType,
    acc: &[i32],
    dst: &mut [u8],
) {
    let _ = t;
    assert_eq!(dst.len(), acc.len() * dtype.size());
    // SAFETY: the token proves AVX-512 F and BW; `dst` holds `acc.len()` elements (asserted).
    unsafe { finish_store_512(stage, zp, dtype, acc, dst) }
}

/// # Safety
/// The CPU must have AVX-512 F and BW, and `dst` must hold `acc.len()` elements of `dtype`.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn finish_store_512(
    stage: &OutputStage,
    zp: i32,
    dtype: DType,
    acc: &[i32],
    dst: &mut [u8],
) {
    let [mult, left, right, rmask, thr] = uniform_channel(stage);
    let cols = Cols {
        mult: _mm512_set1_epi32(mult),
        left: _mm512_set1_epi32(left),
        right: _mm512_set1_epi32(right),
        rmask: _mm512_set1_epi32(rmask),
        thr: _mm512_set1_epi32(thr),
    };
    let clamp = Clamp {
        zp: _mm512_set1_epi32(zp),
        lo: _mm512_set1_epi32(stage.lo.max(dtype.min())),
        hi: _mm512_set1_epi32(stage.hi.min(dtype.max())),
        zp_up: zp >= 0,
    };
    for (i, chunk) in acc.chunks(16).enumerate() {
        let m = chunk.len();
        let x = if m == 16 {
            load16(chunk, 0)
        } else {
            let mut lanes = [0i32; 16];
            lanes[..m].copy_from_slice(chunk);
            load16(&lanes, 0)
        };
        let y = finish16(x, &cols, &clamp);
        let mask: __mmask16 = if m == 16 { 0xFFFF } else { (1u16 << m) - 1 };
        // SAFETY: the lanes in `mask` address elements 16·i .. 16·i + m ≤ acc.len(), inside
        // `dst` (the caller's contract).
        unsafe { store16(dst, 16 * i, dtype, mask, y) };
    }
}

/// [`finish_slice_avx512`] on 8 lanes at a time through [`finish8`].
pub(super) fn finish_slice_avx2(
    t: Avx2,
    stage: &OutputStage,
    zp: i32,
    dtype: DType,
    acc: &mut [i32],
) {
    let _ = t;
    // SAFETY: the token proves AVX2.
    unsafe { finish_slice_256(stage, zp, dtype, acc) }
}

/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
unsafe fn finish_slice_256(stage: &OutputStage, zp: i32, dtype: DType, acc: &mut [i32]) {
    let [mult, left, right, rmask, thr] = uniform_channel(stage);
    let cols = Cols8 {
        mult: _mm256_set1_epi32(mult),
        left: _mm256_set1_epi32(left),
        right: _mm256_set1_epi32(right),
        rmask: _mm256_set1_epi32(rmask),
        thr: _mm256_set1_epi32(thr),
    };
    let (lo, hi) = (stage.lo.max(dtype.min()), stage.hi.min(dtype.max()));
    let mut chunks = acc.chunks_exact_mut(8);
    for c in &mut chunks {
        let y = finish8(load8(c, 0), &cols, zp, lo, hi);
        // SAFETY: `c` is exactly 8 i32 (32 bytes); storeu has no alignment requirement.
        unsafe { _mm256_storeu_si256(c.as_mut_ptr().cast(), y) };
    }
    for v in chunks.into_remainder() {
        *v = stage.finish(*v, stage.requant, zp, dtype);
    }
}

/// [`row_probs`](super::softmax::row_probs) compiled with AVX-512 (the same code, vectorized by
/// the compiler).
pub(super) fn row_probs_avx512(t: Avx512Vnni, k: &RowProbs, es: &[u32], out: &mut [i32]) {
    let _ = t;
    // SAFETY: the token proves AVX-512 F and BW.
    unsafe { row_probs_512(k, es, out) }
}

/// # Safety
/// The CPU must have AVX-512 F and BW.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn row_probs_512(k: &RowProbs, es: &[u32], out: &mut [i32]) {
    super::softmax::row_probs(k, es, out)
}

/// [`row_probs`](super::softmax::row_probs) compiled with AVX2.
pub(super) fn row_probs_avx2(t: Avx2, k: &RowProbs, es: &[u32], out: &mut [i32]) {
    let _ = t;
    // SAFETY: the token proves AVX2.
    unsafe { row_probs_256(k, es, out) }
}

/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
unsafe fn row_probs_256(k: &RowProbs, es: &[u32], out: &mut [i32]) {
    super::softmax::row_probs(k, es, out)
}

/// [`row_exps`](super::softmax::row_exps) compiled with AVX-512.
pub(super) fn row_exps_avx512(t: Avx512Vnni, table: &[u32], xs: &[i32], es: &mut [u32]) -> u32 {
    let _ = t;
    // SAFETY: the token proves AVX-512 F and BW.
    unsafe { row_exps_512(table, xs, es) }
}

/// # Safety
/// The CPU must have AVX-512 F and BW.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn row_exps_512(table: &[u32], xs: &[i32], es: &mut [u32]) -> u32 {
    super::softmax::row_exps(table, xs, es)
}

/// [`row_exps`](super::softmax::row_exps) compiled with AVX2.
pub(super) fn row_exps_avx2(t: Avx2, table: &[u32], xs: &[i32], es: &mut [u32]) -> u32 {
    let _ = t;
    // SAFETY: the token proves AVX2.
    unsafe { row_exps_256(table, xs, es) }
}

/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
unsafe fn row_exps_256(table: &[u32], xs: &[i32], es: &mut [u32]) -> u32 {
    super::softmax::row_exps(table, xs, es)
}

/// [`row_center`](super::norm::row_center) compiled with AVX-512.
pub(super) fn row_center_avx512(t: Avx512Vnni, d: &mut [i32], zx: i32) -> (i64, u64) {
    let _ = t;
    // SAFETY: the token proves AVX-512 F and BW.
    unsafe { row_center_512(d, zx) }
}

/// # Safety
/// The CPU must have AVX-512 F and BW.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn row_center_512(d: &mut [i32], zx: i32) -> (i64, u64) {
    super::norm::row_center(d, zx)
}

/// [`row_center`](super::norm::row_center) compiled with AVX2.
pub(super) fn row_center_avx2(t: Avx2, d: &mut [i32], zx: i32) -> (i64, u64) {
    let _ = t;
    // SAFETY: the token proves AVX2.
    unsafe { row_center_256(d, zx) }
}

/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
unsafe fn row_center_256(d: &mut [i32], zx: i32) -> (i64, u64) {
    super::norm::row_center(d, zx)
}

/// [`row_norm`](super::norm::row_norm) compiled with AVX-512.
pub(super) fn row_norm_avx512(
    t: Avx512Vnni,
    k: &NormRow,
    d: &[i32],
    g: &[i32],
    beta: &[i32],
    acc: &mut [i32],
) {
    let _ = t;
    // SAFETY: the token proves AVX-512 F and BW.
    unsafe { row_norm_512(k, d, g, beta, acc) }
}

/// # Safety
/// The CPU must have AVX-512 F and BW.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn row_norm_512(k: &NormRow, d: &[i32], g: &[i32], beta: &[i32], acc: &mut [i32]) {
    super::norm::row_norm(k, d, g, beta, acc)
}

/// [`row_norm`](super::norm::row_norm) compiled with AVX2.
pub(super) fn row_norm_avx2(
    t: Avx2,
    k: &NormRow,
    d: &[i32],
    g: &[i32],
    beta: &[i32],
    acc: &mut [i32],
) {
    let _ = t;
    // SAFETY: the token proves AVX2.
    unsafe { row_norm_256(k, d, g, beta, acc) }
}

/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
unsafe fn row_norm_256(k: &NormRow, d: &[i32], g: &[i32], beta: &[i32], acc: &mut [i32]) {
    super::norm::row_norm(k, d, g, beta, acc)
}

/// [`row_exps_i8`](super::softmax::row_exps_i8) compiled with AVX-512.
pub(super) fn row_exps_i8_avx512(
    t: Avx512Vnni,
    table: &[u32; 256],
    xs: &[i32],
    es: &mut [u32],
) -> u32 {
    let _ = t;
    // SAFETY: the token proves AVX-512 F and BW.
    unsafe { row_exps_i8_512(table, xs, es) }
}

/// # Safety
/// The CPU must have AVX-512 F and BW.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn row_exps_i8_512(table: &[u32; 256], xs: &[i32], es: &mut [u32]) -> u32 {
    super::softmax::row_exps_i8(table, xs, es)
}

/// [`row_exps_i8`](super::softmax::row_exps_i8) compiled with AVX2.
pub(super) fn row_exps_i8_avx2(t: Avx2, table: &[u32; 256], xs: &[i32], es: &mut [u32]) -> u32 {
    let _ = t;
    // SAFETY: the token proves AVX2.
    unsafe { row_exps_i8_256(table, xs, es) }
}

/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
unsafe fn row_exps_i8_256(table: &[u32; 256], xs: &[i32], es: &mut [u32]) -> u32 {
    super::softmax::row_exps_i8(table, xs, es)
}

/// [`pair_i8`](super::elementwise::pair_i8) compiled with AVX-512.
pub(super) fn pair_i8_avx512<C: Fn(i32, i32) -> i32>(
    t: Avx512Vnni,
    ta: &[i32; 256],
    tb: &[i32; 256],
    a: &[u8],
    b: &[u8],
    combine: &C,
    out: &mut [i32],
) {
    let _ = t;
    // SAFETY: the token proves AVX-512 F and BW.
    unsafe { pair_i8_512(ta, tb, a, b, combine, out) }
}

/// # Safety
/// The CPU must have AVX-512 F and BW.
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn pair_i8_512<C: Fn(i32, i32) -> i32>(
    ta: &[i32; 256],
    tb: &[i32; 256],
    a: &[u8],
    b: &[u8],
    combine: &C,
    out: &mut [i32],
) {
    super::elementwise::pair_i8(ta, tb, a, b, combine, out)
}

/// [`pair_i8`](super::elementwise::pair_i8) compiled with AVX2.
pub(super) fn pair_i8_avx2<C: Fn(i32, i32) -> i32>(
    t: Avx2,
    ta: &[i32; 256],
    tb: &[i32; 256],
    a: &[u8],
    b: &[u8],
    combine: &C,
    out: &mut [i32],
) {
    let _ = t;
    // SAFETY: the token proves AVX2.
    unsafe { pair_i8_256(ta, tb, a, b, combine, out) }
}

/// # Safety
/// The CPU must have AVX2.
#[target_feature(enable = "avx2")]
unsafe fn pair_i8_256<C: Fn(i32, i32) -> i32>(
    ta: &[i32; 256],
    tb: &[i32; 256],
    a: &[u8],
    b: &[u8],
    combine: &C,
    out: &mut [i32],
) {
    super::elementwise::pair_i8(ta, tb, a, b, combine, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::OutputStage;
    use crate::quant::Requant;
    use crate::testgen::XorShift32;

    /// `finish16` and `finish8` (on two halves) against `OutputStage::finish`, lane by lane.
    fn check(
        token: Avx512Vnni,
        x: [i32; 16],
        rq: [Requant; 16],
        stage: OutputStage,
        zp: i32,
        dtype: DType,
    ) {
        let _ = token;
        let mut arrays = [[0i32; 16]; 5];
        for (l, r) in rq.iter().enumerate() {
            let s = r.shift.clamp(-31, 8);
            let right = (-s).max(0);
            arrays[0][l] = r.multiplier;
            arrays[1][l] = s.max(0);
            arrays[2][l] = right;
            arrays[3][l] = ((1u32 << right) - 1) as i32;
            arrays[4][l] = arrays[3][l] >> 1;
        }
        let mut got = [0i32; 16];
        let mut got8 = [0i32; 16];
        // SAFETY: the token proves the features (AVX-512 implies AVX2); every pointer addresses a
        // 16- or 8-lane array.
        unsafe {
            for half in 0..2 {
                let ld8 = |s: &[i32; 16]| _mm256_loadu_si256(s[8 * half..].as_ptr().cast());
                let cols = Cols8 {
                    mult: ld8(&arrays[0]),
                    left: ld8(&arrays[1]),
                    right: ld8(&arrays[2]),
                    rmask: ld8(&arrays[3]),
                    thr: ld8(&arrays[4]),
                };
                let (lo, hi) = (stage.lo.max(dtype.min()), stage.hi.min(dtype.max()));
                let y = finish8(ld8(&x), &cols, zp, lo, hi);
                _mm256_storeu_si256(got8[8 * half..].as_mut_ptr().cast(), y);
            }
            let ld = |s: &[i32; 16]| _mm512_loadu_si512(s.as_ptr().cast());
            let cols = Cols {
                mult: ld(&arrays[0]),
                left: ld(&arrays[1]),
                right: ld(&arrays[2]),
                rmask: ld(&arrays[3]),
                thr: ld(&arrays[4]),
            };
            let clamp = Clamp {
                zp: _mm512_set1_epi32(zp),
                lo: _mm512_set1_epi32(stage.lo.max(dtype.min())),
                hi: _mm512_set1_epi32(stage.hi.min(dtype.max())),
                zp_up: zp >= 0,
            };
            let y = finish16(ld(&x), &cols, &clamp);
            _mm512_storeu_si512(got.as_mut_ptr().cast(), y);
        }
        for l in 0..16 {
            let want = stage.finish(x[l], rq[l], zp, dtype);
            assert_eq!(
                got[l], want,
                "avx512: x {} rq {:?} stage {stage:?} zp {zp} {dtype}",
                x[l], rq[l]
            );
            assert_eq!(
                got8[l], want,
                "avx2: x {} rq {:?} stage {stage:?} zp {zp} {dtype}",
                x[l], rq[l]
            );
        }
    }

    #[test]
    fn vector_finish_equals_scalar() {
        let Some(token) = Avx512Vnni::detect() else {
            std::eprintln!("no AVX-512 VNNI: vector epilogues not unit-tested (the backend tests still compare outputs)");
            return;
        };
        let mut rng = XorShift32::new(0xF1_0A7);
        let specials = [
            i32::MIN,
            i32::MIN + 1,
            i32::MAX,
            i32::MAX - 1,
            0,
            1,
            -1,
            1 << 30,
            -(1 << 30),
            (1 << 30) - 1,
            1 << 23,
            -(1 << 23) - 1,
            (1 << 24) + 1,
            i32::MIN / 256,
            i32::MAX / 256 + 1,
        ];
        let mults = [
            0,
            1,
            -1,
            i32::MAX,
            i32::MIN,
            1 << 30,
            -(1 << 30),
            (1 << 30) + 12345,
        ];
        let pick = |rng: &mut XorShift32, list: &[i32]| list[rng.next_u32() as usize % list.len()];
        for round in 0..40_000 {
            let mut x = [0i32; 16];
            let mut rq = [Requant::default(); 16];
            for l in 0..16 {
                x[l] = if rng.next_u32().is_multiple_of(3) {
                    pick(&mut rng, &specials)
                } else {
                    rng.next_u32() as i32 >> (rng.next_u32() % 32)
                };
                let multiplier = if rng.next_u32().is_multiple_of(3) {
                    pick(&mut rng, &mults)
                } else {
                    rng.next_u32() as i32
                };
                // Shifts beyond the range too: they are clamped like the scalar code.
                let shift = (rng.next_u32() % 44) as i32 - 33;
                rq[l] = Requant { multiplier, shift };
            }
            let dtype = [DType::I8, DType::I16, DType::I32][round % 3];
            let zp = match rng.next_u32() % 4 {
                0 => 0,
                1 => dtype.min(),
                2 => dtype.max(),
                _ => dtype.saturate(rng.next_u32() as i32 as i64),
            };
            let lo = pick(&mut rng, &[i32::MIN, -5, 0, 3, zp, 100_000]);
            let hi = pick(&mut rng, &[i32::MAX, 5, 0, -3, zp, -100_000]);
            let stage = OutputStage {
                requant: rq[0],
                lo,
                hi,
            };
            check(token, x, rq, stage, zp, dtype);
        }
        // Every shift with the extreme inputs and multipliers.
        for shift in -31..=8 {
            for &m in &mults {
                for chunk in specials.chunks(15) {
                    let mut x = [0i32; 16];
                    x[..chunk.len()].copy_from_slice(chunk);
                    let rq = [Requant {
                        multiplier: m,
                        shift,
                    }; 16];
                    for dtype in [DType::I8, DType::I16, DType::I32] {
                        for zp in [0, dtype.min(), dtype.max()] {
                            check(token, x, rq, OutputStage::new(rq[0]), zp, dtype);
                        }
                    }
                }
            }
        }
    }

    /// The slice finishers (one multiplier, any length, the tail in scalar code) against
    /// `OutputStage::finish`, every shift and extreme multipliers and clamps.
    #[test]
    fn slice_finish_equals_scalar() {
        let mut rng = XorShift32::new(0x51_1CE);
        let (t512, t256) = (Avx512Vnni::detect(), Avx2::detect());
        for round in 0..3000u32 {
            let shift = (round % 40) as i32 - 31;
            let multiplier = match rng.next_u32() % 4 {
                0 => [0, 1, -1, i32::MAX, i32::MIN, 1 << 30][(rng.next_u32() % 6) as usize],
                _ => rng.next_u32() as i32,
            };
            let dtype = [DType::I8, DType::I16, DType::I32][(round % 3) as usize];
            let zp = [0, dtype.min(), dtype.max(), 7][(rng.next_u32() % 4) as usize];
            let stage = OutputStage {
                requant: Requant { multiplier, shift },
                lo: [i32::MIN, -5, zp, 100][(rng.next_u32() % 4) as usize],
                hi: [i32::MAX, 5, zp, -100][(rng.next_u32() % 4) as usize],
            };
            let len = (rng.next_u32() % 70) as usize;
            let acc: std::vec::Vec<i32> = (0..len)
                .map(|_| match rng.next_u32() % 4 {
                    0 => [i32::MIN, i32::MAX, 0, -1, 1 << 30][(rng.next_u32() % 5) as usize],
                    _ => rng.next_u32() as i32 >> (rng.next_u32() % 32),
                })
                .collect();
            let want: std::vec::Vec<i32> = acc
                .iter()
                .map(|&a| stage.finish(a, stage.requant, zp, dtype))
                .collect();
            if let Some(t) = t512 {
                let mut got = acc.clone();
                finish_slice_avx512(t, &stage, zp, dtype, &mut got);
                assert_eq!(got, want, "avx512 {stage:?} zp {zp} {dtype}");
                let mut bytes = std::vec![0u8; len * dtype.size()];
                finish_store_avx512(t, &stage, zp, dtype, &acc, &mut bytes);
                let mut want_bytes = std::vec![0u8; len * dtype.size()];
                for (i, &v) in want.iter().enumerate() {
                    write_elem(dtype, &mut want_bytes, i, v);
                }
                assert_eq!(bytes, want_bytes, "avx512 store {stage:?} zp {zp} {dtype}");
            }
            if let Some(t) = t256 {
                let mut got = acc.clone();
                finish_slice_avx2(t, &stage, zp, dtype, &mut got);
                assert_eq!(got, want, "avx2 {stage:?} zp {zp} {dtype}");
            }
        }
    }
}
