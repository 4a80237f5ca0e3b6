//! VM benchmarks (docs/benchmarks.md): `cargo bench -p opml-vm --bench vm`.
//!
//! 1. Plain execution of the matmul guest (~10^9 steps): steps/s on one core, beside the same
//!    ELF under QEMU user mode and the same computation compiled natively.
//! 2. Proof of a random step in that run: recording with snapshots, then per-proof time.
//! 3. Memory root and resident memory against the number of pages touched.

use opml_vm::{Memory, Program, Status, Trace};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(0)
        * 4096
}

/// Peak resident set size of this process (VmHWM).
fn peak_resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn main() {
    let elf_path = std::env::var_os("OPML_BENCH_ELF")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("dnn-lib/guest/bin/matmul-1g.elf"));
    let elf = std::fs::read(&elf_path).expect("guest ELF (build it with scripts/build-guest.sh)");
    let program = Program::parse(&elf).expect("valid ELF");

    println!(
        "## Execution ({})\n",
        elf_path.file_name().unwrap().to_string_lossy()
    );
    let mut machine = program.machine().expect("machine");
    let started = Instant::now();
    machine.run(u64::MAX);
    let vm_time = started.elapsed();
    let steps = machine.step();
    let Status::Exited(code) = machine.status() else {
        panic!("guest did not exit: {:?}", machine.status())
    };
    let rate = steps as f64 / secs(vm_time);
    println!("| runner | time (s) | steps/s | vs opml-vm |");
    println!("|---|---|---|---|");
    println!(
        "| opml-vm (one core) | {:.3} | {:.0} M | 1.00 |",
        secs(vm_time),
        rate / 1e6
    );
    match run_qemu(&elf_path) {
        Some((t, qcode)) => {
            assert_eq!(
                qcode,
                code & 0xFF,
                "QEMU and opml-vm disagree on the exit code"
            );
            println!(
                "| qemu-riscv32-static (JIT) | {:.3} | {:.0} M | {:.2} |",
                secs(t),
                steps as f64 / secs(t) / 1e6,
                secs(vm_time) / secs(t)
            );
        }
        None => println!("| qemu-riscv32-static | not installed | | |"),
    }
    let native = native_matmul_time(&elf_path, code);
    if let Some(t) = native {
        println!(
            "| native x86-64 (same Rust source) | {:.3} | — | {:.1} |",
            secs(t),
            secs(vm_time) / secs(t)
        );
    }
    println!("\nsteps: {steps}, exit code {code:#010x}");
    let started = Instant::now();
    let root = machine.state().mem_root;
    println!(
        "final memory root after the run: {:.2} ms over {} touched pages (0x{}…); peak RSS so far {:.0} MiB",
        secs(started.elapsed()) * 1e3,
        machine.memory().touched_pages(),
        hex::encode(&root[..4]),
        peak_resident_bytes() as f64 / (1 << 20) as f64
    );

    println!("\n## Proofs in a {steps}-step run\n");
    let started = Instant::now();
    let trace = Trace::record(
        program.machine().unwrap(),
        u64::MAX,
        opml_vm::trace::DEFAULT_SNAPSHOT_INTERVAL,
    );
    let record_time = started.elapsed();
    println!(
        "recording with snapshots every 2^24 steps: {:.2} s, {} snapshots, resident {:.0} MiB",
        secs(record_time),
        trace.snapshot_count(),
        resident_bytes() as f64 / (1 << 20) as f64
    );
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut times = Vec::new();
    for _ in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let step = seed % steps;
        let started = Instant::now();
        let proof = trace.prove(step).expect("prove");
        times.push(started.elapsed());
        let post = opml_vm::verify::verify_step(
            &proof.pre_state_hash,
            &proof.pre_state,
            &proof.proof_bytes(),
        )
        .expect("verifies");
        assert_eq!(post, proof.post_state_hash);
    }
    times.sort();
    let mean = times.iter().map(|d| secs(*d)).sum::<f64>() / times.len() as f64;
    println!(
        "proof of a random step (20 steps): mean {:.3} s, median {:.3} s, max {:.3} s",
        mean,
        secs(times[times.len() / 2]),
        secs(*times.last().unwrap())
    );

    println!("\n## Memory root and resident memory vs pages touched\n");
    println!("| pages touched | first root (s) | root after rewriting 1% of pages (s) | resident growth (MiB) |");
    println!("|---|---|---|---|");
    for pages in [1_000u32, 10_000, 100_000, 400_000] {
        let before = resident_bytes();
        let mut mem = Memory::new().unwrap();
        // Spread pages over the whole address space (stride coprime with 2^20).
        let page = |i: u32| (i.wrapping_mul(0x9E37) & 0xF_FFFF) << 12;
        for i in 0..pages {
            mem.write_le::<4>(page(i), i | 1);
        }
        let started = Instant::now();
        mem.root();
        let first = started.elapsed();
        for i in (0..pages).step_by(100) {
            mem.write_le::<4>(page(i) + 64, i);
        }
        let started = Instant::now();
        mem.root();
        let again = started.elapsed();
        let grown = resident_bytes().saturating_sub(before);
        println!(
            "| {pages} | {:.3} | {:.4} | {:.0} |",
            secs(first),
            secs(again),
            grown as f64 / (1 << 20) as f64
        );
    }
}

/// Runs the ELF under QEMU user mode; the exit status holds only the code's low 8 bits.
fn run_qemu(elf: &Path) -> Option<(Duration, u32)> {
    let started = Instant::now();
    let status = std::process::Command::new("qemu-riscv32-static")
        .arg(elf)
        .status()
        .ok()?;
    Some((started.elapsed(), status.code()? as u32))
}

/// The guest's computation compiled for this machine (same Rust source, opml-dnn's testgen).
fn native_matmul_time(elf: &Path, guest_code: u32) -> Option<Duration> {
    use opml_dnn::testgen::{matmul_checksum, MATMUL_1G, MATMUL_SEED};
    if elf.file_name()? != "matmul-1g.elf" {
        return None;
    }
    let n = MATMUL_1G.n;
    let (mut a, mut b, mut c) = (vec![0i8; n * n], vec![0i8; n * n], vec![0i32; n * n]);
    let started = Instant::now();
    let code = matmul_checksum(&mut a, &mut b, &mut c, n, MATMUL_1G.reps, MATMUL_SEED);
    let t = started.elapsed();
    assert_eq!(code, guest_code, "native and guest checksums differ");
    Some(t)
}
