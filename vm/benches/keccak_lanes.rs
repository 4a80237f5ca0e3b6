//! Merkle hashing throughput (docs/benchmarks.md): `cargo bench -p opml-vm --bench keccak_lanes`.
//!
//! 1. Parents per second on one thread, 1M random pairs: `merkle::hash_pair` one at a time, then
//!    `keccak_lanes::hash_pairs_with` on each path this CPU has (scalar, AVX2, AVX-512).
//! 2. `merkle::root_of_bytes` of 8 MiB in a 256 MiB slot tree: one pair at a time (the
//!    implementation before SIMD lanes, copied here) against the current one.
//!
//! Each time is the best of `OPML_BENCH_REPS` runs (default 5).

use opml_vm::keccak_lanes::{hash_pairs_with, Isa};
use opml_vm::layout::SLOT_DEPTH;
use opml_vm::merkle::{hash_pair, root_of_bytes, zero_hash, Hash, LEAF_SIZE};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::hint::black_box;
use std::time::{Duration, Instant};

const PAIRS: usize = 1 << 20;
const ROOT_BYTES: usize = 8 << 20;

/// Best time of each job over `reps` rounds; the jobs take turns within a round, so a busy
/// machine slows them alike.
fn best_of_rounds(reps: usize, jobs: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; jobs.len()];
    for _ in 0..reps {
        for (job, best) in jobs.iter_mut().zip(&mut best) {
            let started = Instant::now();
            job();
            *best = (*best).min(started.elapsed());
        }
    }
    best
}

/// `root_of_bytes` before SIMD lanes: pad every leaf, then one `hash_pair` per parent.
fn root_one_pair_at_a_time(data: &[u8], depth: usize) -> Hash {
    let mut level: Vec<Hash> = data
        .chunks(LEAF_SIZE)
        .map(|c| {
            let mut leaf = [0u8; 32];
            leaf[..c.len()].copy_from_slice(c);
            leaf
        })
        .collect();
    for height in 0..depth {
        if level.is_empty() {
            return *zero_hash(depth);
        }
        level = level
            .chunks(2)
            .map(|pair| hash_pair(&pair[0], pair.get(1).unwrap_or(zero_hash(height))))
            .collect();
    }
    level.first().copied().unwrap_or(*zero_hash(depth))
}

fn main() {
    let reps: usize = std::env::var("OPML_BENCH_REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut rng = SmallRng::seed_from_u64(0x4ecc);
    let pairs: Vec<[Hash; 2]> = (0..PAIRS).map(|_| rng.gen()).collect();

    println!("## Parents per second, one thread, {PAIRS} random pairs (best of {reps})\n");
    let expected: Vec<Hash> = pairs.iter().map(|p| hash_pair(&p[0], &p[1])).collect();
    let isas: Vec<Isa> = Isa::ALL.into_iter().filter(|i| i.is_available()).collect();
    let mut outs = vec![vec![[0u8; 32]; PAIRS]; isas.len() + 1];
    let times = {
        let (base_out, isa_outs) = outs.split_first_mut().expect("one output per job");
        let mut base = || {
            for (p, o) in pairs.iter().zip(base_out.iter_mut()) {
                *o = hash_pair(&p[0], &p[1]);
            }
            black_box(&base_out);
        };
        let mut lanes: Vec<_> = isas
            .iter()
            .zip(isa_outs.iter_mut())
            .map(|(&isa, out)| {
                let pairs = &pairs;
                move || {
                    hash_pairs_with(isa, pairs, out);
                    black_box(&out);
                }
            })
            .collect();
        let mut jobs: Vec<&mut dyn FnMut()> = vec![&mut base];
        jobs.extend(lanes.iter_mut().map(|l| l as &mut dyn FnMut()));
        best_of_rounds(reps, &mut jobs)
    };
    for out in &outs {
        assert!(*out == expected, "a path differs from hash_pair");
    }
    println!("| path | time (ms) | pairs/s | ns/pair | vs hash_pair |");
    println!("|---|---|---|---|---|");
    let names = std::iter::once("`merkle::hash_pair`, one at a time".to_string()).chain(
        isas.iter()
            .map(|isa| format!("`hash_pairs_with(Isa::{isa:?})`")),
    );
    for (name, t) in names.zip(&times) {
        println!(
            "| {name} | {:.1} | {:.2} M | {:.1} | × {:.2} |",
            t.as_secs_f64() * 1e3,
            PAIRS as f64 / t.as_secs_f64() / 1e6,
            t.as_secs_f64() * 1e9 / PAIRS as f64,
            times[0].as_secs_f64() / t.as_secs_f64()
        );
    }
    for isa in Isa::ALL.into_iter().filter(|i| !i.is_available()) {
        println!("| `hash_pairs_with(Isa::{isa:?})` | not on this CPU | | | |");
    }
    println!("\nbest path here: {}", Isa::best().name());

    let data: Vec<u8> = (0..ROOT_BYTES).map(|_| rng.gen()).collect();
    println!(
        "\n## root_of_bytes of {} MiB, depth {SLOT_DEPTH} (best of {reps})\n",
        ROOT_BYTES >> 20
    );
    let (mut root_before, mut root_after) = ([0u8; 32], [1u8; 32]);
    let times = best_of_rounds(
        reps,
        &mut [
            &mut || root_before = root_one_pair_at_a_time(black_box(&data), SLOT_DEPTH),
            &mut || root_after = root_of_bytes(black_box(&data), SLOT_DEPTH),
        ],
    );
    assert_eq!(root_before, root_after, "roots differ");
    println!("| implementation | time (ms) | MiB/s |");
    println!("|---|---|---|");
    for (name, t) in [
        "one pair at a time (before)",
        "`root_of_bytes`, SIMD lanes (after)",
    ]
    .into_iter()
    .zip(&times)
    {
        println!(
            "| {name} | {:.1} | {:.0} |",
            t.as_secs_f64() * 1e3,
            ROOT_BYTES as f64 / (1 << 20) as f64 / t.as_secs_f64()
        );
    }
    println!(
        "\nspeedup × {:.2}; root 0x{}",
        times[0].as_secs_f64() / times[1].as_secs_f64(),
        hex::encode(root_after)
    );
}
