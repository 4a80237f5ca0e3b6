//! Int8 GEMM throughput: `cargo bench -p opml-dnn --bench gemm`.
//!
//! A 1024×1024 · 1024×1024 int8 matmul (B as a `[N, K]` weight, as a linear layer stores it) with
//! two epilogues: i32 output with the identity multiplier, and i8 output with per-channel
//! requantization, bias and ReLU; the first again with B stored `[K, N]` (another packing); and
//! a 3×3 convolution through im2col and the same GEMM. Reports GOPS = 2·M·N·K / seconds, best of several runs, for the
//! reference kernels (`compute_split` on all cores) and the fast backend on 1 and 2 threads, on
//! every instruction-set path the CPU has. Every fast output is checked against the reference.
//! `OPML_GEMM_SIZE=n` changes the size; `OPML_GEMM_RUNS=r` the number of timed runs;
//! `OPML_GEMM_ONLY=text` keeps the problems whose name contains `text`, `OPML_GEMM_ISA=name`
//! the one path; `OPML_GEMM_QUICK=1` times the reference once and the detected path only.

use std::time::Instant;

use opml_dnn::exec::{compute_split, Backend};
use opml_dnn::fast::{peak_loop, FastCpuBackend, Isa};
use opml_dnn::graph::{NodeDescriptor, Source};
use opml_dnn::ops::{Conv2d, MatMul, Op, OutputStage};
use opml_dnn::quant::Requant;
use opml_dnn::tensor::DType;
use opml_dnn::tensor::{Quant, TensorInfo, TensorRef};
use opml_dnn::testgen::XorShift32;

struct Problem {
    name: &'static str,
    node: NodeDescriptor,
    inputs: Vec<Vec<u8>>,
}

impl Problem {
    fn refs(&self) -> Vec<TensorRef<'_>> {
        self.node
            .inputs
            .iter()
            .zip(&self.inputs)
            .map(|(info, data)| TensorRef { info, data })
            .collect()
    }
}

fn random_bytes(rng: &mut XorShift32, len: usize) -> Vec<u8> {
    (0..len).map(|_| rng.next_i8() as u8).collect()
}

fn problem(n: u32, per_channel_i8: bool, transpose_b: bool) -> Problem {
    let mut rng = XorShift32::new(0x6E33 + per_channel_i8 as u32);
    let q = |zp| Quant {
        scale: Requant::from_f64(0.02),
        zero_point: zp,
    };
    let a = TensorInfo::new(DType::I8, &[n, n], q(3));
    let b = TensorInfo::new(DType::I8, &[n, n], q(0));
    let mut infos = vec![a, b];
    let mut inputs = vec![
        random_bytes(&mut rng, (n * n) as usize),
        random_bytes(&mut rng, (n * n) as usize),
    ];
    let (name, output, stage) = if per_channel_i8 {
        infos.push(TensorInfo::raw(DType::I32, &[n]));
        inputs.push(
            (0..n)
                .flat_map(|i| ((i as i32 - 500) * 37).to_le_bytes())
                .collect(),
        );
        infos.push(TensorInfo::raw(DType::I32, &[n, 2]));
        inputs.push(
            (0..n)
                .flat_map(|i| {
                    let rq = Requant::from_f64(1.0 / (3000.0 + i as f64));
                    [rq.multiplier.to_le_bytes(), rq.shift.to_le_bytes()].concat()
                })
                .collect(),
        );
        let out = TensorInfo::new(DType::I8, &[n, n], q(-5));
        let stage = OutputStage::new(Requant::IDENTITY).relu(&out);
        ("i8 out, per-channel requant + bias + relu", out, stage)
    } else {
        (
            if transpose_b {
                "i32 out, identity multiplier"
            } else {
                "i32 out, identity multiplier, B stored [K, N]"
            },
            TensorInfo::raw(DType::I32, &[n, n]),
            OutputStage::new(Requant::IDENTITY),
        )
    };
    let node = NodeDescriptor {
        op: Op::MatMul(MatMul {
            transpose_b,
            has_bias: per_channel_i8,
            per_channel: per_channel_i8,
            stage,
        }),
        sources: (0..infos.len() as u32).map(Source::Weight).collect(),
        inputs: infos,
        output,
    };
    node.check().expect("valid matmul");
    Problem { name, node, inputs }
}

/// Best wall time of `runs` runs of `f` on a pool of `threads` threads (one untimed warm-up).
fn best_of(threads: usize, runs: usize, mut f: impl FnMut() + Send) -> f64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    pool.install(|| {
        f();
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    })
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A 3×3 convolution, 64 → 64 channels on 56×56 (padding 1), i8 out with per-channel
/// requantization, bias and ReLU (a ResNet-18 stage-1 layer).
fn conv_problem() -> Problem {
    let mut rng = XorShift32::new(0xC0);
    let (c, o, hw) = (64u32, 64u32, 56u32);
    let q = |zp| Quant {
        scale: Requant::from_f64(0.02),
        zero_point: zp,
    };
    let infos = vec![
        TensorInfo::new(DType::I8, &[1, c, hw, hw], q(-7)),
        TensorInfo::new(DType::I8, &[o, c, 3, 3], q(0)),
        TensorInfo::raw(DType::I32, &[o]),
        TensorInfo::raw(DType::I32, &[o, 2]),
    ];
    let inputs = vec![
        random_bytes(&mut rng, (c * hw * hw) as usize),
        random_bytes(&mut rng, (o * c * 9) as usize),
        (0..o)
            .flat_map(|i| (i as i32 * 91 - 3000).to_le_bytes())
            .collect(),
        (0..o)
            .flat_map(|i| {
                let rq = Requant::from_f64(1.0 / (2000.0 + 10.0 * i as f64));
                [rq.multiplier.to_le_bytes(), rq.shift.to_le_bytes()].concat()
            })
            .collect(),
    ];
    let output = TensorInfo::new(DType::I8, &[1, o, hw, hw], q(-3));
    let node = NodeDescriptor {
        op: Op::Conv2d(Conv2d {
            pad_top: 1,
            pad_left: 1,
            pad_bottom: 1,
            pad_right: 1,
            has_bias: true,
            per_channel: true,
            stage: OutputStage::new(Requant::IDENTITY).relu(&output),
            ..Conv2d::default()
        }),
        sources: (0..4).map(Source::Weight).collect(),
        inputs: infos,
        output,
    };
    node.check().expect("valid conv2d");
    Problem {
        name: "conv2d 3×3, 64→64 channels, 56×56, pad 1, i8 out per-channel (im2col + GEMM)",
        node,
        inputs,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    let n = env("OPML_GEMM_SIZE", 1024) as u32;
    let runs = env("OPML_GEMM_RUNS", 50);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let ops = 2.0 * (n as f64).powi(3);
    println!(
        "int8 GEMM {n}×{n}×{n} ({:.3} G ops per product), {cores} cores; detected path: {}",
        ops / 1e9,
        Isa::detect()
    );
    // The instructions' own peak: register-only loops, best of 5, on 1 and 2 threads.
    for isa in [Isa::Avx512Vnni, Isa::Avx2] {
        if !isa.is_available() {
            continue;
        }
        let iterations = 2_000_000;
        let mut line = format!("peak of the {isa} instruction loop (no memory):");
        for threads in [1, 2] {
            let mut done = 0;
            let t = best_of(threads, 5, || {
                done = rayon::broadcast(|ctx| {
                    let (ops, sum) = peak_loop(isa, iterations, ctx.index() as i32 + 3).unwrap();
                    std::hint::black_box(sum);
                    ops
                })
                .iter()
                .sum::<u64>();
            });
            line += &format!(" {:.1} GOPS on {threads}", done as f64 / t / 1e9);
        }
        println!("{line}");
    }

    let problems = [
        problem(n, false, true),
        problem(n, true, true),
        problem(n, false, false),
        conv_problem(),
    ];
    let only = std::env::var("OPML_GEMM_ONLY").unwrap_or_default();
    let isa_filter = std::env::var("OPML_GEMM_ISA").unwrap_or_default();
    for p in problems.iter().filter(|p| p.name.contains(&only)) {
        let inputs = p.refs();
        let len = p.node.output.byte_len();
        let ops = match &p.node.op {
            Op::Conv2d(_) => {
                let (o, w) = (&p.node.output.shape, &p.node.inputs[1].shape);
                2.0 * [o[0], o[1], o[2], o[3], w[1], w[2], w[3]]
                    .iter()
                    .map(|&d| d as f64)
                    .product::<f64>()
            }
            _ => ops,
        };
        println!("\n{} ({:.3} G ops):", p.name, ops / 1e9);

        // The reference kernels are slow: time fewer runs (still the full size, no extrapolation
        // from a smaller product).
        let mut want = vec![0u8; len];
        let quick = env("OPML_GEMM_QUICK", 0) == 1;
        let ref_runs = if quick { 1 } else { 2 };
        let t = best_of(cores, ref_runs, || {
            compute_split(&p.node.op, &inputs, &p.node.output, &mut want)
        });
        println!(
            "  reference (compute_split, {cores} threads, best of {ref_runs}):  {:8.3} ms {:8.1} GOPS",
            t * 1e3,
            ops / t / 1e9
        );

        for isa in Isa::ALL.into_iter().rev() {
            if (quick && isa != Isa::detect()) || !isa.name().contains(&isa_filter) {
                continue;
            }
            let Some(backend) = FastCpuBackend::with_isa(isa) else {
                println!("  fast/{isa}: not available on this CPU");
                continue;
            };
            // The scalar path is slow too: fewer runs.
            let runs = if isa == Isa::Scalar { 2 } else { runs };
            for threads in [1, 2] {
                let mut out = vec![0u8; len];
                let t = best_of(threads, runs, || {
                    backend.compute(&p.node, &inputs, &mut out)
                });
                assert!(out == want, "fast/{isa} differs from the reference");
                println!(
                    "  fast/{isa:<12} {threads} thread{} (best of {runs}): {:8.3} ms {:8.1} GOPS",
                    if threads == 1 { " " } else { "s" },
                    t * 1e3,
                    ops / t / 1e9
                );
            }
        }
    }
}
