//! Many Merkle parents at once: keccak-f[1600] on independent states side by side.
//!
//! Every parent in opml is keccak256 of one 64-byte block (left ‖ right), i.e. one keccak-f[1600]
//! permutation on a pre-padded state ([`hash_pair`]). A level of a tree holds many independent
//! blocks, so they are hashed in SIMD lanes: lane `j` of 8 states in one AVX-512 register
//! (`vprolq` for ρ, `vpternlogq` for θ's column sums and for χ), lane `j` of 4 states in one AVX2
//! register (rotations as two shifts and an or, or a byte shuffle for 8 and 56), and the scalar
//! [`keccak::f1600`] otherwise. The widest path the CPU has is picked once at run time
//! ([`Isa::best`]); [`hash_pairs_with`] forces one (tests and benchmarks).
//!
//! Results are bit-identical to [`hash_pair`] on every path.

#![allow(unsafe_code)]

use crate::merkle::{hash_pair, Hash};
use std::sync::OnceLock;

/// Bytes of one block: the two 32-byte children of a parent.
pub const BLOCK_SIZE: usize = 64;

/// A path through [`hash_pairs_with`]: how many states one permutation runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Isa {
    /// One state at a time ([`keccak::f1600`]); every CPU.
    Scalar,
    /// 4 states per permutation in 256-bit registers (x86-64 with AVX2).
    Avx2,
    /// 8 states per permutation in 512-bit registers (x86-64 with AVX-512F).
    Avx512,
}

impl Isa {
    /// Every path, narrowest first.
    pub const ALL: [Isa; 3] = [Isa::Scalar, Isa::Avx2, Isa::Avx512];

    /// Whether this CPU can run the path.
    pub fn is_available(self) -> bool {
        match self {
            Isa::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            Isa::Avx2 | Isa::Avx512 => false,
        }
    }

    /// The widest available path, detected once.
    pub fn best() -> Isa {
        static BEST: OnceLock<Isa> = OnceLock::new();
        *BEST.get_or_init(|| {
            Isa::ALL
                .into_iter()
                .rev()
                .find(|isa| isa.is_available())
                .unwrap_or(Isa::Scalar)
        })
    }

    /// States hashed by one permutation.
    pub fn lanes(self) -> usize {
        match self {
            Isa::Scalar => 1,
            Isa::Avx2 => 4,
            Isa::Avx512 => 8,
        }
    }

    /// Short name ("scalar", "avx2", "avx512").
    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }
}

/// `out[i] = keccak256(pairs[i][0] ‖ pairs[i][1])` for every `i`, on the widest path available.
///
/// # Panics
/// If `out` and `pairs` differ in length.
pub fn hash_pairs(pairs: &[[Hash; 2]], out: &mut [Hash]) {
    hash_pairs_with(Isa::best(), pairs, out);
}

/// [`hash_pairs`] on a chosen path.
///
/// # Panics
/// If `out` and `pairs` differ in length, or if the CPU lacks `isa` ([`Isa::is_available`]).
pub fn hash_pairs_with(isa: Isa, pairs: &[[Hash; 2]], out: &mut [Hash]) {
    hash_blocks_with(isa, pairs.as_flattened().as_flattened(), out);
}

/// `out[i] = keccak256(blocks[64·i .. 64·i + 64])`: parents of leaves read straight from bytes.
///
/// # Panics
/// If `blocks.len() != 64 · out.len()`.
pub fn hash_blocks(blocks: &[u8], out: &mut [Hash]) {
    hash_blocks_with(Isa::best(), blocks, out);
}

/// [`hash_blocks`] on a chosen path.
///
/// # Panics
/// If `blocks.len() != 64 · out.len()`, or if the CPU lacks `isa`.
pub fn hash_blocks_with(isa: Isa, blocks: &[u8], out: &mut [Hash]) {
    assert_eq!(
        blocks.len(),
        BLOCK_SIZE * out.len(),
        "{} bytes are not {} blocks of 64",
        blocks.len(),
        out.len()
    );
    assert!(isa.is_available(), "this CPU cannot run the {isa:?} path");
    match isa {
        Isa::Scalar => scalar(blocks, out),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the CPU has AVX2 (asserted above: `is_available` runs the feature detection).
        Isa::Avx2 => unsafe { x86::hash_avx2(blocks, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the CPU has AVX-512F (asserted above).
        Isa::Avx512 => unsafe { x86::hash_avx512(blocks, out) },
        #[cfg(not(target_arch = "x86_64"))]
        Isa::Avx2 | Isa::Avx512 => unreachable!("not available off x86-64"),
    }
}

/// Parents of one tree level: `nodes[2i]` and `nodes[2i + 1]` hash to element `i`.
///
/// # Panics
/// If `nodes` has an odd length (pad it with the level's zero hash first).
pub fn hash_level(nodes: &[Hash]) -> Vec<Hash> {
    assert!(
        nodes.len().is_multiple_of(2),
        "a level of {} nodes",
        nodes.len()
    );
    let mut out = vec![[0u8; 32]; nodes.len() / 2];
    hash_blocks(nodes.as_flattened(), &mut out);
    out
}

fn scalar(blocks: &[u8], out: &mut [Hash]) {
    for (block, parent) in blocks.chunks_exact(BLOCK_SIZE).zip(out) {
        let (left, right) = block.split_at(32);
        *parent = hash_pair(
            left.try_into().expect("32 bytes"),
            right.try_into().expect("32 bytes"),
        );
    }
}

/// keccak-f[1600] rounds constants (ι).
#[cfg(target_arch = "x86_64")]
const RC: [u64; 24] = [
    0x0000_0000_0000_0001,
    0x0000_0000_0000_8082,
    0x8000_0000_0000_808a,
    0x8000_0000_8000_8000,
    0x0000_0000_0000_808b,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8009,
    0x0000_0000_0000_008a,
    0x0000_0000_0000_0088,
    0x0000_0000_8000_8009,
    0x0000_0000_8000_000a,
    0x0000_0000_8000_808b,
    0x8000_0000_0000_008b,
    0x8000_0000_0000_8089,
    0x8000_0000_0000_8003,
    0x8000_0000_0000_8002,
    0x8000_0000_0000_0080,
    0x0000_0000_0000_800a,
    0x8000_0000_8000_000a,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8080,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8008,
];

/// keccak-f[1600] on `$a: [V; 25]` (lane `x + 5y`), with the vector operations of module `$m`:
/// `xor`, `xor5`, `rol::<L, 64 - L>`, `chi(a, b, c) = a ^ (!b & c)` and `splat`.
#[cfg(target_arch = "x86_64")]
macro_rules! keccak_f1600 {
    ($m:ident, $a:ident) => {
        for rc in RC {
            // θ
            let c0 = $m::xor5($a[0], $a[5], $a[10], $a[15], $a[20]);
            let c1 = $m::xor5($a[1], $a[6], $a[11], $a[16], $a[21]);
            let c2 = $m::xor5($a[2], $a[7], $a[12], $a[17], $a[22]);
            let c3 = $m::xor5($a[3], $a[8], $a[13], $a[18], $a[23]);
            let c4 = $m::xor5($a[4], $a[9], $a[14], $a[19], $a[24]);
            let d0 = $m::xor(c4, $m::rol::<1, 63>(c1));
            let d1 = $m::xor(c0, $m::rol::<1, 63>(c2));
            let d2 = $m::xor(c1, $m::rol::<1, 63>(c3));
            let d3 = $m::xor(c2, $m::rol::<1, 63>(c4));
            let d4 = $m::xor(c3, $m::rol::<1, 63>(c0));
            // ρ and π: B[y, 2x + 3y] = rol(A[x, y] ^ D[x], r[x, y]).
            let b0 = $m::xor($a[0], d0);
            let b10 = $m::rol::<1, 63>($m::xor($a[1], d1));
            let b20 = $m::rol::<62, 2>($m::xor($a[2], d2));
            let b5 = $m::rol::<28, 36>($m::xor($a[3], d3));
            let b15 = $m::rol::<27, 37>($m::xor($a[4], d4));
            let b16 = $m::rol::<36, 28>($m::xor($a[5], d0));
            let b1 = $m::rol::<44, 20>($m::xor($a[6], d1));
            let b11 = $m::rol::<6, 58>($m::xor($a[7], d2));
            let b21 = $m::rol::<55, 9>($m::xor($a[8], d3));
            let b6 = $m::rol::<20, 44>($m::xor($a[9], d4));
            let b7 = $m::rol::<3, 61>($m::xor($a[10], d0));
            let b17 = $m::rol::<10, 54>($m::xor($a[11], d1));
            let b2 = $m::rol::<43, 21>($m::xor($a[12], d2));
            let b12 = $m::rol::<25, 39>($m::xor($a[13], d3));
            let b22 = $m::rol::<39, 25>($m::xor($a[14], d4));
            let b23 = $m::rol::<41, 23>($m::xor($a[15], d0));
            let b8 = $m::rol::<45, 19>($m::xor($a[16], d1));
            let b18 = $m::rol::<15, 49>($m::xor($a[17], d2));
            let b3 = $m::rol::<21, 43>($m::xor($a[18], d3));
            let b13 = $m::rol::<8, 56>($m::xor($a[19], d4));
            let b14 = $m::rol::<18, 46>($m::xor($a[20], d0));
            let b24 = $m::rol::<2, 62>($m::xor($a[21], d1));
            let b9 = $m::rol::<61, 3>($m::xor($a[22], d2));
            let b19 = $m::rol::<56, 8>($m::xor($a[23], d3));
            let b4 = $m::rol::<14, 50>($m::xor($a[24], d4));
            // χ, then ι on lane 0.
            $a = [
                $m::xor($m::chi(b0, b1, b2), $m::splat(rc)),
                $m::chi(b1, b2, b3),
                $m::chi(b2, b3, b4),
                $m::chi(b3, b4, b0),
                $m::chi(b4, b0, b1),
                $m::chi(b5, b6, b7),
                $m::chi(b6, b7, b8),
                $m::chi(b7, b8, b9),
                $m::chi(b8, b9, b5),
                $m::chi(b9, b5, b6),
                $m::chi(b10, b11, b12),
                $m::chi(b11, b12, b13),
                $m::chi(b12, b13, b14),
                $m::chi(b13, b14, b10),
                $m::chi(b14, b10, b11),
                $m::chi(b15, b16, b17),
                $m::chi(b16, b17, b18),
                $m::chi(b17, b18, b19),
                $m::chi(b18, b19, b15),
                $m::chi(b19, b15, b16),
                $m::chi(b20, b21, b22),
                $m::chi(b21, b22, b23),
                $m::chi(b22, b23, b24),
                $m::chi(b23, b24, b20),
                $m::chi(b24, b20, b21),
            ];
        }
    };
}

// The AVX-512 intrinsics and `#[target_feature(enable = "avx512f")]` are stable since Rust 1.89,
// above the workspace's declared 1.85 (which the workspace already exceeds: revm needs 1.91).
#[cfg(target_arch = "x86_64")]
#[clippy::msrv = "1.89"]
mod x86 {
    //! The SIMD paths. Each `#[target_feature]` function may only be called once the feature
    //! has been detected; inside them the register intrinsics are safe, the unaligned loads and
    //! stores are not (raw pointers).

    use super::{scalar, Hash, BLOCK_SIZE, RC};
    use std::arch::x86_64::*;

    /// Blocks on which a partial batch beats the scalar path: a padded batch costs about as much
    /// as a full one, which is about one scalar permutation.
    const MIN_PADDED: usize = 2;

    /// Whole batches of 8, then the rest as one zero-padded batch (or scalar for a single one).
    ///
    /// Callers must have checked that the CPU has AVX-512F.
    #[target_feature(enable = "avx512f")]
    pub(super) fn hash_avx512(blocks: &[u8], out: &mut [Hash]) {
        let mut blocks_8 = blocks.chunks_exact(8 * BLOCK_SIZE);
        let mut out_8 = out.chunks_exact_mut(8);
        for (b, o) in (&mut blocks_8).zip(&mut out_8) {
            batch8(b.try_into().expect("8 blocks"), o.try_into().expect("8"));
        }
        let (rest, rest_out) = (blocks_8.remainder(), out_8.into_remainder());
        if rest_out.len() >= MIN_PADDED {
            let mut padded = [0u8; 8 * BLOCK_SIZE];
            padded[..rest.len()].copy_from_slice(rest);
            let mut parents = [[0u8; 32]; 8];
            batch8(&padded, &mut parents);
            rest_out.copy_from_slice(&parents[..rest_out.len()]);
        } else {
            scalar(rest, rest_out);
        }
    }

    /// Whole batches of 4, then the rest as one zero-padded batch (or scalar for a single one).
    ///
    /// Callers must have checked that the CPU has AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) fn hash_avx2(blocks: &[u8], out: &mut [Hash]) {
        let mut blocks_4 = blocks.chunks_exact(4 * BLOCK_SIZE);
        let mut out_4 = out.chunks_exact_mut(4);
        for (b, o) in (&mut blocks_4).zip(&mut out_4) {
            batch4(b.try_into().expect("4 blocks"), o.try_into().expect("4"));
        }
        let (rest, rest_out) = (blocks_4.remainder(), out_4.into_remainder());
        if rest_out.len() >= MIN_PADDED {
            let mut padded = [0u8; 4 * BLOCK_SIZE];
            padded[..rest.len()].copy_from_slice(rest);
            let mut parents = [[0u8; 32]; 4];
            batch4(&padded, &mut parents);
            rest_out.copy_from_slice(&parents[..rest_out.len()]);
        } else {
            scalar(rest, rest_out);
        }
    }

    /// Vector operations of the permutation on 8 states.
    mod v512 {
        use std::arch::x86_64::*;

        #[inline]
        #[target_feature(enable = "avx512f")]
        pub(super) fn xor(a: __m512i, b: __m512i) -> __m512i {
            _mm512_xor_si512(a, b)
        }

        #[inline]
        #[target_feature(enable = "avx512f")]
        pub(super) fn xor5(a: __m512i, b: __m512i, c: __m512i, d: __m512i, e: __m512i) -> __m512i {
            // 0x96: a ^ b ^ c.
            let abc = _mm512_ternarylogic_epi64::<0x96>(a, b, c);
            _mm512_ternarylogic_epi64::<0x96>(abc, d, e)
        }

        #[inline]
        #[target_feature(enable = "avx512f")]
        pub(super) fn rol<const L: i32, const R: i32>(a: __m512i) -> __m512i {
            _mm512_rol_epi64::<L>(a)
        }

        #[inline]
        #[target_feature(enable = "avx512f")]
        pub(super) fn chi(a: __m512i, b: __m512i, c: __m512i) -> __m512i {
            // 0xD2: a ^ (!b & c).
            _mm512_ternarylogic_epi64::<0xD2>(a, b, c)
        }

        #[inline]
        #[target_feature(enable = "avx512f")]
        pub(super) fn splat(x: u64) -> __m512i {
            _mm512_set1_epi64(x as i64)
        }
    }

    /// Vector operations of the permutation on 4 states.
    mod v256 {
        use std::arch::x86_64::*;

        #[inline]
        #[target_feature(enable = "avx2")]
        pub(super) fn xor(a: __m256i, b: __m256i) -> __m256i {
            _mm256_xor_si256(a, b)
        }

        #[inline]
        #[target_feature(enable = "avx2")]
        pub(super) fn xor5(a: __m256i, b: __m256i, c: __m256i, d: __m256i, e: __m256i) -> __m256i {
            xor(xor(xor(a, b), xor(c, d)), e)
        }

        /// Rotation left by `L` (`R = 64 - L`).
        #[inline]
        #[target_feature(enable = "avx2")]
        pub(super) fn rol<const L: i32, const R: i32>(a: __m256i) -> __m256i {
            if L == 8 {
                // Whole bytes: one shuffle instead of two shifts and an or.
                let idx = _mm256_setr_epi8(
                    7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14, //
                    7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14,
                );
                _mm256_shuffle_epi8(a, idx)
            } else if L == 56 {
                let idx = _mm256_setr_epi8(
                    1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8, //
                    1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8,
                );
                _mm256_shuffle_epi8(a, idx)
            } else if L == 1 {
                _mm256_or_si256(_mm256_add_epi64(a, a), _mm256_srli_epi64::<63>(a))
            } else {
                _mm256_or_si256(_mm256_slli_epi64::<L>(a), _mm256_srli_epi64::<R>(a))
            }
        }

        #[inline]
        #[target_feature(enable = "avx2")]
        pub(super) fn chi(a: __m256i, b: __m256i, c: __m256i) -> __m256i {
            // andnot(b, c) = !b & c.
            _mm256_xor_si256(a, _mm256_andnot_si256(b, c))
        }

        #[inline]
        #[target_feature(enable = "avx2")]
        pub(super) fn splat(x: u64) -> __m256i {
            _mm256_set1_epi64x(x as i64)
        }
    }

    /// 8 blocks → 8 parents.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn batch8(blocks: &[u8; 8 * BLOCK_SIZE], out: &mut [Hash; 8]) {
        let mut m = [_mm512_setzero_si512(); 8];
        for (i, m) in m.iter_mut().enumerate() {
            // SAFETY: bytes 64i..64i + 64 lie inside `blocks` (i < 8); loadu needs no alignment.
            *m = unsafe { _mm512_loadu_si512(blocks.as_ptr().add(BLOCK_SIZE * i).cast()) };
        }
        // Transpose the 8×8 words: w[j] holds word j of blocks 0..7.
        let a0 = _mm512_unpacklo_epi64(m[0], m[1]);
        let a1 = _mm512_unpackhi_epi64(m[0], m[1]);
        let a2 = _mm512_unpacklo_epi64(m[2], m[3]);
        let a3 = _mm512_unpackhi_epi64(m[2], m[3]);
        let a4 = _mm512_unpacklo_epi64(m[4], m[5]);
        let a5 = _mm512_unpackhi_epi64(m[4], m[5]);
        let a6 = _mm512_unpacklo_epi64(m[6], m[7]);
        let a7 = _mm512_unpackhi_epi64(m[6], m[7]);
        // 128-bit chunks (p, q) of the first operand, then (r, s) of the second: p | q<<2 | r<<4 | s<<6.
        let b0 = _mm512_shuffle_i64x2::<0x44>(a0, a2);
        let b1 = _mm512_shuffle_i64x2::<0xEE>(a0, a2);
        let b2 = _mm512_shuffle_i64x2::<0x44>(a4, a6);
        let b3 = _mm512_shuffle_i64x2::<0xEE>(a4, a6);
        let b4 = _mm512_shuffle_i64x2::<0x44>(a1, a3);
        let b5 = _mm512_shuffle_i64x2::<0xEE>(a1, a3);
        let b6 = _mm512_shuffle_i64x2::<0x44>(a5, a7);
        let b7 = _mm512_shuffle_i64x2::<0xEE>(a5, a7);
        let zero = _mm512_setzero_si512();
        let mut a = [zero; 25];
        a[0] = _mm512_shuffle_i64x2::<0x88>(b0, b2);
        a[2] = _mm512_shuffle_i64x2::<0xDD>(b0, b2);
        a[4] = _mm512_shuffle_i64x2::<0x88>(b1, b3);
        a[6] = _mm512_shuffle_i64x2::<0xDD>(b1, b3);
        a[1] = _mm512_shuffle_i64x2::<0x88>(b4, b6);
        a[3] = _mm512_shuffle_i64x2::<0xDD>(b4, b6);
        a[5] = _mm512_shuffle_i64x2::<0x88>(b5, b7);
        a[7] = _mm512_shuffle_i64x2::<0xDD>(b5, b7);
        // keccak256 padding of a 64-byte message in a 136-byte rate: 0x01 after it, 0x80 at the end.
        a[8] = v512::splat(0x01);
        a[16] = v512::splat(0x8000_0000_0000_0000);
        keccak_f1600!(v512, a);
        // Words 0..3 of states 0..7 back to 8 parents, two per register.
        let t0 = _mm512_unpacklo_epi64(a[0], a[1]); // chunk k: words 0, 1 of state 2k
        let t1 = _mm512_unpackhi_epi64(a[0], a[1]); // chunk k: words 0, 1 of state 2k + 1
        let t2 = _mm512_unpacklo_epi64(a[2], a[3]); // chunk k: words 2, 3 of state 2k
        let t3 = _mm512_unpackhi_epi64(a[2], a[3]); // chunk k: words 2, 3 of state 2k + 1
        let u0 = _mm512_shuffle_i64x2::<0x44>(t0, t2);
        let u1 = _mm512_shuffle_i64x2::<0x44>(t1, t3);
        let u2 = _mm512_shuffle_i64x2::<0xEE>(t0, t2);
        let u3 = _mm512_shuffle_i64x2::<0xEE>(t1, t3);
        let parents = [
            _mm512_shuffle_i64x2::<0x88>(u0, u1),
            _mm512_shuffle_i64x2::<0xDD>(u0, u1),
            _mm512_shuffle_i64x2::<0x88>(u2, u3),
            _mm512_shuffle_i64x2::<0xDD>(u2, u3),
        ];
        for (k, p) in parents.into_iter().enumerate() {
            // SAFETY: parents 2k and 2k + 1 (k < 4) are 64 contiguous bytes inside `out`;
            // storeu needs no alignment.
            unsafe { _mm512_storeu_si512(out.as_mut_ptr().add(2 * k).cast(), p) };
        }
    }

    /// Transpose of a 4×4 matrix of 64-bit words, one row per register.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn transpose4(r: [__m256i; 4]) -> [__m256i; 4] {
        let t0 = _mm256_unpacklo_epi64(r[0], r[1]);
        let t1 = _mm256_unpackhi_epi64(r[0], r[1]);
        let t2 = _mm256_unpacklo_epi64(r[2], r[3]);
        let t3 = _mm256_unpackhi_epi64(r[2], r[3]);
        [
            _mm256_permute2x128_si256::<0x20>(t0, t2),
            _mm256_permute2x128_si256::<0x20>(t1, t3),
            _mm256_permute2x128_si256::<0x31>(t0, t2),
            _mm256_permute2x128_si256::<0x31>(t1, t3),
        ]
    }

    /// 4 blocks → 4 parents.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn batch4(blocks: &[u8; 4 * BLOCK_SIZE], out: &mut [Hash; 4]) {
        let mut halves = [_mm256_setzero_si256(); 8];
        for (i, h) in halves.iter_mut().enumerate() {
            // SAFETY: bytes 32i..32i + 32 lie inside `blocks` (i < 8); loadu needs no alignment.
            *h = unsafe { _mm256_loadu_si256(blocks.as_ptr().add(32 * i).cast()) };
        }
        let lo = transpose4([halves[0], halves[2], halves[4], halves[6]]);
        let hi = transpose4([halves[1], halves[3], halves[5], halves[7]]);
        let zero = _mm256_setzero_si256();
        let mut a = [zero; 25];
        a[..4].copy_from_slice(&lo);
        a[4..8].copy_from_slice(&hi);
        a[8] = v256::splat(0x01);
        a[16] = v256::splat(0x8000_0000_0000_0000);
        keccak_f1600!(v256, a);
        let parents = transpose4([a[0], a[1], a[2], a[3]]);
        for (o, p) in out.iter_mut().zip(parents) {
            // SAFETY: `o` is 32 writable bytes; storeu needs no alignment.
            unsafe { _mm256_storeu_si256(o.as_mut_ptr().cast(), p) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::keccak256;
    use rand::rngs::SmallRng;
    use rand::{Rng, SeedableRng};

    /// The paths this CPU runs; the others are named as skipped.
    fn available() -> Vec<Isa> {
        for isa in Isa::ALL.into_iter().filter(|i| !i.is_available()) {
            println!("{}: not on this CPU, skipped", isa.name());
        }
        Isa::ALL.into_iter().filter(|i| i.is_available()).collect()
    }

    #[test]
    fn every_path_matches_hash_pair_at_every_length() {
        let mut rng = SmallRng::seed_from_u64(4);
        for isa in available() {
            let mut checked = 0;
            for n in 0..=40usize {
                for _ in 0..8 {
                    let pairs: Vec<[Hash; 2]> = (0..n).map(|_| rng.gen()).collect();
                    let mut out = vec![[0xEEu8; 32]; n];
                    hash_pairs_with(isa, &pairs, &mut out);
                    for (p, o) in pairs.iter().zip(&out) {
                        assert_eq!(*o, hash_pair(&p[0], &p[1]), "{isa:?}, n = {n}");
                    }
                    checked += n;
                }
            }
            // And one long run through whole batches.
            let pairs: Vec<[Hash; 2]> = (0..4099).map(|_| rng.gen()).collect();
            let mut out = vec![[0u8; 32]; pairs.len()];
            hash_pairs_with(isa, &pairs, &mut out);
            for (p, o) in pairs.iter().zip(&out) {
                assert_eq!(*o, hash_pair(&p[0], &p[1]), "{isa:?}");
            }
            checked += pairs.len();
            println!("{}: {checked} random pairs equal hash_pair", isa.name());
        }
        println!("best path here: {}", Isa::best().name());
    }

    #[test]
    fn known_vectors_on_every_path() {
        let zero = "ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5";
        let counting: Vec<u8> = (0..64).collect();
        let counted = keccak256(&counting);
        for isa in available() {
            // Every lane of a full batch and of a padded one.
            for n in [1, 3, 8, 9] {
                let mut out = vec![[0u8; 32]; n];
                hash_pairs_with(isa, &vec![[[0u8; 32]; 2]; n], &mut out);
                assert!(out.iter().all(|o| hex::encode(o) == zero), "{isa:?}");
                let mut out = vec![[0u8; 32]; n];
                hash_blocks_with(isa, &counting.repeat(n), &mut out);
                assert!(out.iter().all(|o| *o == counted), "{isa:?}");
            }
            println!("{}: keccak256(0^64) = 0x{zero}", isa.name());
        }
    }

    #[test]
    fn lanes_do_not_mix() {
        // One non-zero block among zero ones, at every position of a batch.
        let zero = hash_pair(&[0; 32], &[0; 32]);
        for isa in available() {
            for n in 1..=17 {
                for hot in 0..n {
                    let mut pairs = vec![[[0u8; 32]; 2]; n];
                    pairs[hot][1][31] = 1;
                    let mut out = vec![[0u8; 32]; n];
                    hash_pairs_with(isa, &pairs, &mut out);
                    for (i, o) in out.iter().enumerate() {
                        let want = if i == hot {
                            hash_pair(&pairs[hot][0], &pairs[hot][1])
                        } else {
                            zero
                        };
                        assert_eq!(*o, want, "{isa:?} n = {n} hot = {hot} i = {i}");
                    }
                }
            }
        }
    }

    #[test]
    fn hash_level_is_parents() {
        let mut rng = SmallRng::seed_from_u64(5);
        let nodes: Vec<Hash> = (0..1000).map(|_| rng.gen()).collect();
        let parents = hash_level(&nodes);
        assert_eq!(parents.len(), 500);
        for (i, p) in parents.iter().enumerate() {
            assert_eq!(*p, hash_pair(&nodes[2 * i], &nodes[2 * i + 1]));
        }
        assert!(hash_level(&[]).is_empty());
    }

    #[test]
    #[should_panic(expected = "a level of 3 nodes")]
    fn odd_level_panics() {
        hash_level(&[[0; 32]; 3]);
    }

    #[test]
    #[should_panic(expected = "not 2 blocks")]
    fn wrong_output_length_panics() {
        hash_blocks(&[0; 100], &mut [[0; 32]; 2]);
    }
}
