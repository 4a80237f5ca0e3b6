//! k-ary dissection (docs/spec.md §9.4): which positions the claimant reveals for an interval,
//! and which segment an honest challenger picks.

/// The positions revealed for the interval `(lo, hi)` with width `k`: `p_j = lo + ⌊j·d/m⌋` for
/// `j = 1..m−1`, `d = hi − lo`, `m = min(k, d)`. Empty when `d < 2` (nothing to dissect).
pub fn positions(lo: u64, hi: u64, k: u64) -> Vec<u64> {
    let d = hi.saturating_sub(lo);
    if d < 2 || k < 2 {
        return Vec::new();
    }
    let m = k.min(d);
    (1..m)
        .map(|j| lo + ((j as u128 * d as u128) / m as u128) as u64)
        .collect()
}

/// The interval after choosing `segment` of the revealed positions of `(lo, hi)`.
///
/// # Panics
/// If `segment` is not in `0..=positions.len()`.
pub fn narrow(lo: u64, hi: u64, positions: &[u64], segment: usize) -> (u64, u64) {
    let at = |j: usize| match j {
        0 => lo,
        j if j == positions.len() + 1 => hi,
        j => positions[j - 1],
    };
    (at(segment), at(segment + 1))
}

/// The segment an honest challenger picks: the first `j` whose right end the claimant got
/// wrong. `revealed[j]` is the claimant's value at the j-th position and `truth(j)` the
/// challenger's own; the value at `lo` is agreed and the one at `hi` disputed, so if every
/// revealed value is right the last segment is the disputed one.
pub fn first_wrong<T: PartialEq>(revealed: &[T], mut truth: impl FnMut(usize) -> T) -> usize {
    revealed
        .iter()
        .enumerate()
        .position(|(j, v)| *v != truth(j))
        .unwrap_or(revealed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_split_evenly() {
        assert_eq!(positions(0, 100, 8), vec![12, 25, 37, 50, 62, 75, 87]);
        assert_eq!(positions(10, 13, 8), vec![11, 12]);
        assert_eq!(positions(0, 2, 8), vec![1]);
        assert!(positions(5, 6, 8).is_empty());
        assert_eq!(positions(0, u64::MAX, 2), vec![u64::MAX / 2]);
    }

    #[test]
    fn dissection_always_shrinks_to_one() {
        for (lo, hi, k) in [
            (0u64, 1_000_003u64, 8u64),
            (7, 9, 8),
            (0, 65_535, 2),
            (3, 1 << 40, 16),
        ] {
            let (mut lo, mut hi) = (lo, hi);
            let mut rounds = 0;
            while hi - lo >= 2 {
                let p = positions(lo, hi, k);
                assert!(p.windows(2).all(|w| w[0] < w[1]) && p[0] > lo && *p.last().unwrap() < hi);
                // Always take the largest segment: the worst case.
                let seg = (0..=p.len())
                    .max_by_key(|&j| {
                        let (a, b) = narrow(lo, hi, &p, j);
                        b - a
                    })
                    .unwrap();
                (lo, hi) = narrow(lo, hi, &p, seg);
                rounds += 1;
            }
            assert_eq!(hi - lo, 1);
            assert!(rounds <= 64);
        }
    }

    #[test]
    fn honest_choice_is_the_first_wrong_value() {
        assert_eq!(first_wrong(&[1, 2, 9, 9], |j| [1, 2, 3, 4][j]), 2);
        assert_eq!(first_wrong(&[1, 2, 3], |j| [1, 2, 3][j]), 3);
        assert_eq!(first_wrong(&[0], |_| 1), 0);
    }
}
