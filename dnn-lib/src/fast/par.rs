//! Splitting an op's output over the rayon pool only when it pays: a fork-join costs a few
//! microseconds (waking the other workers), more than many of a transformer's small nodes take
//! on one core.

use rayon::prelude::*;

/// The least work of one parallel piece, in element-cost units (about 0.1 ns of one core each:
/// the kernels pass their measured cost per element), about 20 µs: waking a sleeping worker
/// and joining it costs microseconds, more under load. An op with less than two pieces' work
/// runs on the calling thread.
pub(super) const PIECE_WORK: usize = 200_000;

/// Calls `f(first_element, chunk)` over `out` (elements of `elem` bytes) cut into pieces of
/// whole `unit`s of elements (rows), on the calling thread when the work (`cost` per element)
/// is small, else in pieces spread over the pool. Every element is written by exactly one call.
pub(super) fn for_pieces<F>(out: &mut [u8], elem: usize, unit: usize, cost: usize, f: F)
where
    F: Fn(usize, &mut [u8]) + Sync,
{
    let elements = out.len() / elem;
    let work = elements.saturating_mul(cost);
    let threads = rayon::current_num_threads();
    if threads <= 1 || work < 2 * PIECE_WORK {
        f(0, out);
        return;
    }
    let pieces = (work / PIECE_WORK).clamp(2, threads * 4);
    let unit = unit.max(1);
    let units = elements.div_ceil(unit);
    let per = units.div_ceil(pieces).max(1) * unit;
    out.par_chunks_mut(per * elem)
        .enumerate()
        .for_each(|(i, chunk)| f(i * per, chunk));
}
