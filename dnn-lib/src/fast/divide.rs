//! Exact division by a divisor fixed for a whole row, as a multiplication (Lemire, Kaser and
//! Kurz, "Faster remainder by direct computation", 2019, theorem 1): with `c = ⌈2^F / d⌉` and
//! `d · 2^N ≤ 2^F`, `⌊n / d⌋ = ⌊n · c / 2^F⌋` for every `0 ≤ n < 2^N`; here F = 64, N = 32, so
//! the quotients of every u32 numerator are exactly those of the `/` operator.

/// Division of u32 numerators by a u32 divisor `d ≥ 1` (F = 64, N = 32).
#[derive(Debug, Clone, Copy)]
pub(super) struct DivU32 {
    d: u32,
    /// `⌈2^64 / d⌉` for `d ≥ 2`; unused for `d = 1`.
    c: u64,
}

impl DivU32 {
    pub(super) fn new(d: u32) -> Self {
        assert!(d >= 1);
        // For d ≥ 2, ⌊(2^64 − 1) / d⌋ + 1 = ⌈2^64 / d⌉ (2^64 is a multiple of d exactly when
        // d is a power of two, and then both sides are 2^64 / d).
        let c = if d >= 2 { u64::MAX / d as u64 + 1 } else { 0 };
        Self { d, c }
    }

    /// `n / d` (the tests' check of the multiplier).
    #[cfg(test)]
    fn div(self, n: u32) -> u32 {
        if self.d == 1 {
            n
        } else {
            ((n as u128 * self.c as u128) >> 64) as u32
        }
    }
}

impl DivU32 {
    /// `(c_hi, c_lo)`, the 32-bit halves of the multiplier, for [`div_by_halves`]; `None` for
    /// `d = 1` (whose multiplier 2^64 does not fit).
    pub(super) fn halves(self) -> Option<(u32, u32)> {
        (self.d >= 2).then_some(((self.c >> 32) as u32, self.c as u32))
    }
}

/// `⌊n / d⌋` from the halves of `c = ⌈2^64 / d⌉` (`d ≥ 2`) with u32 × u32 → u64 products only
/// (which vectorize): `⌊n·c / 2^64⌋ = ⌊(n·c_hi + ⌊n·c_lo / 2^32⌋) / 2^32⌋` (`n·c_hi` is an
/// integer, so the inner floor changes nothing), and the sum stays below 2^64 since
/// `n·c_hi ≤ (2^32 − 1)^2` and `⌊n·c_lo / 2^32⌋ < 2^32`.
#[inline(always)]
pub(super) fn div_by_halves(n: u32, c_hi: u32, c_lo: u32) -> u32 {
    let low = (n as u64 * c_lo as u64) >> 32;
    ((n as u64 * c_hi as u64 + low) >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::XorShift32;

    #[test]
    fn u32_quotients_equal_the_operator() {
        let mut rng = XorShift32::new(11);
        let edge = [
            1u32,
            2,
            3,
            5,
            7,
            255,
            256,
            32768,
            65535,
            1 << 31,
            u32::MAX - 1,
            u32::MAX,
        ];
        for i in 0..200_000u32 {
            let d = if i < 4000 {
                edge[(i % edge.len() as u32) as usize]
            } else {
                (rng.next_u32() >> (rng.next_u32() % 32)).max(1)
            };
            let n = match i % 4 {
                0 => rng.next_u32(),
                1 => u32::MAX - (rng.next_u32() % 1000),
                2 => d.wrapping_mul(rng.next_u32() % 1000).wrapping_sub(i % 2),
                _ => rng.next_u32() >> (rng.next_u32() % 32),
            };
            assert_eq!(DivU32::new(d).div(n), n / d, "{n} / {d}");
            if let Some((hi, lo)) = DivU32::new(d).halves() {
                assert_eq!(div_by_halves(n, hi, lo), n / d, "{n} / {d} by halves");
            }
        }
    }
}
