//! Deterministic workloads shared by the RISC-V guest and native tests: a xorshift32 PRNG, an
//! FNV-1a checksum, and the matmul benchmark built from them. The guest and the host compile this
//! very source, so a native run predicts the guest's exit code bit for bit.

use crate::matmul::matmul_i8_i32;

/// Seed of the benchmark guests (`matmul`, `matmul-1g`).
pub const MATMUL_SEED: u32 = 0x2545_F491;

/// Shape of one matmul benchmark guest: [`matmul_checksum`] over n×n matrices, `reps` times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatmulBench {
    /// Rows = columns of A, B and C.
    pub n: usize,
    /// Repetitions, each on fresh inputs.
    pub reps: u32,
}

/// The `matmul` guest: 32×32 once, a few hundred thousand RV32IM instructions.
pub const MATMUL: MatmulBench = MatmulBench { n: 32, reps: 1 };
/// The `matmul-1g` guest: 64×64, repeated to about 1.16 × 10^9 instructions in the opml VM.
pub const MATMUL_1G: MatmulBench = MatmulBench { n: 64, reps: 500 };

/// FNV-1a 32-bit offset basis: the checksum of no bytes.
pub const FNV_OFFSET: u32 = 0x811C_9DC5;
/// FNV-1a 32-bit prime.
pub const FNV_PRIME: u32 = 0x0100_0193;

/// Marsaglia's xorshift32 (shifts 13, 17, 5). Never yields 0; a zero seed is replaced by
/// [`MATMUL_SEED`] because zero is a fixed point.
#[derive(Debug, Clone)]
pub struct XorShift32(u32);

impl XorShift32 {
    /// A generator started from `seed` (0 is replaced by [`MATMUL_SEED`]).
    pub const fn new(seed: u32) -> Self {
        Self(if seed == 0 { MATMUL_SEED } else { seed })
    }

    /// The next 32-bit output.
    pub fn next_u32(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }

    /// The next int8: the top byte of [`XorShift32::next_u32`].
    pub fn next_i8(&mut self) -> i8 {
        (self.next_u32() >> 24) as u8 as i8
    }

    /// Fills `out` with [`XorShift32::next_i8`] in order.
    pub fn fill_i8(&mut self, out: &mut [i8]) {
        for v in out {
            *v = self.next_i8();
        }
    }
}

/// Continues an FNV-1a 32-bit hash `h` over the little-endian bytes of `data`.
/// Start from [`FNV_OFFSET`].
pub fn fnv1a_i32(mut h: u32, data: &[i32]) -> u32 {
    for v in data {
        for byte in v.to_le_bytes() {
            h = (h ^ byte as u32).wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// The matmul benchmark: `reps` times, fill `a` (n×n) then `b` (n×n) from one xorshift32 stream
/// started at `seed`, compute `c = a·b` with [`matmul_i8_i32`], and fold all of `c` into an FNV-1a
/// hash. Every repetition gets fresh inputs and is hashed, so no work can be skipped.
/// Returns the hash.
///
/// # Panics
/// If a buffer is shorter than n×n.
pub fn matmul_checksum(
    a: &mut [i8],
    b: &mut [i8],
    c: &mut [i32],
    n: usize,
    reps: u32,
    seed: u32,
) -> u32 {
    let (a, b, c) = (&mut a[..n * n], &mut b[..n * n], &mut c[..n * n]);
    let mut rng = XorShift32::new(seed);
    let mut h = FNV_OFFSET;
    for _ in 0..reps {
        rng.fill_i8(a);
        rng.fill_i8(b);
        matmul_i8_i32(a, b, c, n, n, n);
        h = fnv1a_i32(h, c);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorshift32_known_values() {
        // Marsaglia's paper: x = 1 -> 270369, 67634689, 2647435461.
        let mut r = XorShift32::new(1);
        assert_eq!(r.next_u32(), 270_369);
        assert_eq!(r.next_u32(), 67_634_689);
        assert_eq!(r.next_u32(), 2_647_435_461);
    }

    #[test]
    fn fnv1a_known_values() {
        assert_eq!(fnv1a_i32(FNV_OFFSET, &[]), FNV_OFFSET);
        // FNV-1a("a\0\0\0") from the reference implementation's byte loop.
        let mut h = FNV_OFFSET;
        for byte in [b'a', 0, 0, 0] {
            h = (h ^ byte as u32).wrapping_mul(FNV_PRIME);
        }
        assert_eq!(fnv1a_i32(FNV_OFFSET, &[b'a' as i32]), h);
        // FNV-1a("a") = 0xe40c292c.
        assert_eq!(
            (FNV_OFFSET ^ b'a' as u32).wrapping_mul(FNV_PRIME),
            0xE40C_292C
        );
    }

    #[test]
    fn checksum_depends_on_every_rep() {
        let (mut a, mut b, mut c) = ([0i8; 16], [0i8; 16], [0i32; 16]);
        let one = matmul_checksum(&mut a, &mut b, &mut c, 4, 1, MATMUL_SEED);
        let two = matmul_checksum(&mut a, &mut b, &mut c, 4, 2, MATMUL_SEED);
        assert_ne!(one, two);
        assert_eq!(
            one,
            matmul_checksum(&mut a, &mut b, &mut c, 4, 1, MATMUL_SEED)
        );
    }
}
