//! Fixed-point requantization with gemmlowp / TFLite semantics (docs/spec.md §8.2).
//!
//! A real multiplier `r` is represented as `multiplier · 2^(shift − 31)` with `multiplier` a Q31
//! value (normally in `[2^30, 2^31)`, or 0 for `r = 0`). Every function here is total: it is
//! defined for every input, including `i32::MIN` and every shift in [`MIN_SHIFT`]`..=`[`MAX_SHIFT`].

/// Smallest shift of a [`Requant`]: a right shift by 31.
pub const MIN_SHIFT: i32 = -31;
/// Largest shift of a [`Requant`]: a left shift by 8.
pub const MAX_SHIFT: i32 = 8;

/// `round(a · b / 2^31)`, saturating: gemmlowp's `SaturatingRoundingDoublingHighMul`. The only
/// overflow, `i32::MIN · i32::MIN`, gives `i32::MAX`. As in gemmlowp, positive ties round up and
/// negative ties towards zero (the nudge is added before a truncating division).
pub const fn saturating_rounding_doubling_high_mul(a: i32, b: i32) -> i32 {
    if a == i32::MIN && b == i32::MIN {
        return i32::MAX;
    }
    let ab = a as i64 * b as i64;
    let nudge: i64 = if ab >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    // Division truncates towards zero, as in gemmlowp (not an arithmetic shift).
    ((ab + nudge) / (1i64 << 31)) as i32
}

/// `round(x / 2^exponent)` with ties away from zero: gemmlowp's `RoundingDivideByPOT`.
/// `exponent` is taken modulo 32 (callers pass 0..=31).
pub const fn rounding_divide_by_pot(x: i32, exponent: u32) -> i32 {
    let exponent = exponent & 31;
    let mask: i64 = (1i64 << exponent) - 1;
    let remainder = x as i64 & mask;
    let threshold = (mask >> 1) + if x < 0 { 1 } else { 0 };
    (x >> exponent) + if remainder > threshold { 1 } else { 0 }
}

/// `x · 2^shift`, saturated to the i32 range (`shift` in 0..=31).
pub const fn saturating_shift_left(x: i32, shift: u32) -> i32 {
    let wide = (x as i64) << (shift & 31);
    if wide > i32::MAX as i64 {
        i32::MAX
    } else if wide < i32::MIN as i64 {
        i32::MIN
    } else {
        wide as i32
    }
}

/// A real multiplier in fixed point: `multiplier · 2^(shift − 31)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Requant {
    /// Q31 mantissa; normally in `[2^30, 2^31)`, 0 for a zero multiplier. Negative values are
    /// allowed and computed exactly like positive ones.
    pub multiplier: i32,
    /// Power of two, in [`MIN_SHIFT`]`..=`[`MAX_SHIFT`]: positive shifts left before the
    /// multiplication, negative ones divide (rounding) after it.
    pub shift: i32,
}

impl Requant {
    /// 1.0 as `2^30 · 2^(1 − 31)` (2^31 is not representable). Exact for `|x| < 2^30`; the
    /// saturating left shift clamps larger magnitudes to ±2^30.
    pub const IDENTITY: Self = Self {
        multiplier: 1 << 30,
        shift: 1,
    };

    /// `round(x · multiplier · 2^(shift − 31))`, saturating: TFLite's
    /// `MultiplyByQuantizedMultiplier` with a saturating left shift. A shift outside
    /// [`MIN_SHIFT`]`..=`[`MAX_SHIFT`] is clamped into it (decoders reject such values first).
    pub const fn apply(self, x: i32) -> i32 {
        let shift = if self.shift < MIN_SHIFT {
            MIN_SHIFT
        } else if self.shift > MAX_SHIFT {
            MAX_SHIFT
        } else {
            self.shift
        };
        let left = if shift > 0 { shift as u32 } else { 0 };
        let right = if shift < 0 { (-shift) as u32 } else { 0 };
        let high =
            saturating_rounding_doubling_high_mul(saturating_shift_left(x, left), self.multiplier);
        rounding_divide_by_pot(high, right)
    }

    /// Whether the shift lies in the allowed range.
    pub const fn is_valid(self) -> bool {
        self.shift >= MIN_SHIFT && self.shift <= MAX_SHIFT
    }

    /// The nearest representation of a positive real `r` (for converters and tests; floats never
    /// enter committed computation). Values too small for the shift range give 0; too large
    /// saturate to the largest representable multiplier.
    #[cfg(feature = "std")]
    pub fn from_f64(r: f64) -> Self {
        if r.is_nan() || r <= 0.0 || !r.is_finite() {
            return Self {
                multiplier: 0,
                shift: 0,
            };
        }
        // r = m · 2^e with m in [0.5, 1).
        let mut e = r.log2().floor() as i32 + 1;
        let mut m = r / 2f64.powi(e);
        let mut q = (m * (1u64 << 31) as f64).round() as i64;
        if q == 1 << 31 {
            q /= 2;
            e += 1;
        }
        if e > MAX_SHIFT {
            return Self {
                multiplier: i32::MAX,
                shift: MAX_SHIFT,
            };
        }
        if e < MIN_SHIFT {
            // Denormalise into the smallest shift.
            m = r / 2f64.powi(MIN_SHIFT);
            q = (m * (1u64 << 31) as f64).round() as i64;
            return Self {
                multiplier: q as i32,
                shift: MIN_SHIFT,
            };
        }
        Self {
            multiplier: q as i32,
            shift: e,
        }
    }

    /// The real value `multiplier · 2^(shift − 31)` (for reports only).
    #[cfg(feature = "std")]
    pub fn to_f64(self) -> f64 {
        self.multiplier as f64 * 2f64.powi(self.shift - 31)
    }
}

/// Rounded integer division with ties away from zero; `d > 0`.
pub const fn div_round_i64(n: i64, d: i64) -> i64 {
    if n >= 0 {
        (n + d / 2) / d
    } else {
        -((-n + d / 2) / d)
    }
}

/// `floor(sqrt(x))`, exactly, by bitwise restoring square root.
pub const fn isqrt_u64(x: u64) -> u64 {
    let mut rem = x;
    let mut root = 0u64;
    let mut bit = 1u64 << 62;
    while bit > x {
        bit >>= 2;
    }
    while bit != 0 {
        if rem >= root + bit {
            rem -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srdhm_matches_gemmlowp_examples() {
        assert_eq!(
            saturating_rounding_doubling_high_mul(i32::MIN, i32::MIN),
            i32::MAX
        );
        assert_eq!(
            saturating_rounding_doubling_high_mul(1 << 30, 1 << 30),
            1 << 29
        );
        assert_eq!(
            saturating_rounding_doubling_high_mul(i32::MIN, 1 << 30),
            -(1 << 30)
        );
        // gemmlowp's nudge rounds 1.5 up and −1.5 towards zero.
        assert_eq!(saturating_rounding_doubling_high_mul(3, 1 << 30), 2);
        assert_eq!(saturating_rounding_doubling_high_mul(-3, 1 << 30), -1);
        assert_eq!(saturating_rounding_doubling_high_mul(-5, 1 << 30), -2);
        assert_eq!(
            saturating_rounding_doubling_high_mul(i32::MAX, i32::MAX),
            i32::MAX - 1
        );
    }

    #[test]
    fn rounding_divide_ties_away_from_zero() {
        assert_eq!(rounding_divide_by_pot(5, 1), 3);
        assert_eq!(rounding_divide_by_pot(-5, 1), -3);
        assert_eq!(rounding_divide_by_pot(4, 1), 2);
        assert_eq!(rounding_divide_by_pot(-4, 1), -2);
        assert_eq!(rounding_divide_by_pot(7, 0), 7);
        assert_eq!(rounding_divide_by_pot(i32::MIN, 31), -1);
        assert_eq!(rounding_divide_by_pot(i32::MAX, 31), 1);
        assert_eq!(rounding_divide_by_pot(i32::MIN, 30), -2);
    }

    #[test]
    fn requant_extremes_are_total() {
        for shift in MIN_SHIFT..=MAX_SHIFT {
            for m in [0, 1, -1, 1 << 30, i32::MAX, i32::MIN] {
                for x in [0, 1, -1, i32::MAX, i32::MIN, 12345, -98765] {
                    let _ = Requant {
                        multiplier: m,
                        shift,
                    }
                    .apply(x);
                }
            }
        }
        for x in [0, 1, -1, (1 << 30) - 1, -(1 << 30), 77, -77] {
            assert_eq!(Requant::IDENTITY.apply(x), x);
        }
        // The left shift saturates first: the identity is exact only below 2^30 in magnitude.
        assert_eq!(Requant::IDENTITY.apply(i32::MIN), -(1 << 30));
        assert_eq!(Requant::IDENTITY.apply(i32::MAX), 1 << 30);
        assert_eq!(
            Requant {
                multiplier: i32::MAX,
                shift: 8
            }
            .apply(i32::MAX),
            i32::MAX - 1
        );
    }

    #[test]
    fn requant_from_f64_round_trips() {
        for r in [1.0, 0.5, 0.003_921_568, 1e-6, 3.75, 200.0, 1e-9] {
            let q = Requant::from_f64(r);
            assert!(q.is_valid());
            assert!((q.to_f64() - r).abs() <= r * 1e-6, "{r}: {q:?}");
            let x = 1_000_000;
            let exact = (x as f64 * r).round();
            assert!(
                (q.apply(x) as f64 - exact).abs() <= 1.0 + exact.abs() * 1e-6,
                "{r}"
            );
        }
    }

    #[test]
    fn isqrt_is_floor_sqrt() {
        for x in (0..10_000u64).chain([u64::MAX, u64::MAX - 1, 1 << 62, (1 << 32) - 1]) {
            let r = isqrt_u64(x);
            assert!(r * r <= x);
            assert!((r + 1).checked_mul(r + 1).is_none_or(|sq| sq > x));
        }
    }
}
