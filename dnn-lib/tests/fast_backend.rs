//! The fast CPU backend equals the reference byte for byte: the shared op suite, random large and
//! odd matmul shapes, extreme values, every instruction-set path the CPU has, and whole models.

use opml_dnn::exec::{self, Backend, ReferenceBackend};
use opml_dnn::fast::{FastCpuBackend, Isa};
use opml_dnn::model::Model;
use opml_dnn::ops::{Conv2d, MatMul, Op, OutputStage};
use opml_dnn::quant::Requant;
use opml_dnn::tensor::{write_elem, DType, Quant, TensorInfo, TensorRef};
use opml_dnn::testcases::{all_cases, Case, Gen};
use opml_dnn::testmodels;

/// The backends of every path this CPU has (printed, so the log says which ran).
fn backends() -> Vec<FastCpuBackend> {
    let mut out = Vec::new();
    for isa in Isa::ALL {
        match FastCpuBackend::with_isa(isa) {
            Some(b) => {
                eprintln!("path {isa}: runs");
                out.push(b);
            }
            None => eprintln!("path {isa}: not available on this CPU, skipped"),
        }
    }
    out
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
}

fn run_case(backend: &dyn Backend, case: &Case) -> Vec<u8> {
    let inputs: Vec<TensorRef<'_>> = case
        .node
        .inputs
        .iter()
        .zip(&case.inputs)
        .map(|(info, data)| TensorRef { info, data })
        .collect();
    let mut out = vec![0u8; case.node.output.byte_len()];
    backend.compute(&case.node, &inputs, &mut out);
    out
}

/// The reference on all cores (the same kernels as `Case::reference`, faster for big cases).
fn reference(case: &Case) -> Vec<u8> {
    run_case(&ReferenceBackend, case)
}

fn assert_same(backend: &FastCpuBackend, case: &Case, want: &[u8]) {
    let got = run_case(backend, case);
    if got != want {
        let size = case.node.output.dtype.size();
        let first = got
            .chunks(size)
            .zip(want.chunks(size))
            .position(|(g, w)| g != w)
            .unwrap_or(0);
        panic!(
            "{} on {}: output differs first at element {first} of {} (shapes {:?})",
            case.name,
            backend.isa(),
            want.len() / size,
            case.node
                .inputs
                .iter()
                .map(|i| i.shape.clone())
                .collect::<Vec<_>>(),
        );
    }
}

#[test]
fn op_suite_matches_reference_on_every_path() {
    let backends = backends();
    let mut counted = 0;
    for seed in [0x5EED, 1, 2, 0xBEEF] {
        for case in all_cases(seed) {
            let want = case.reference();
            for b in &backends {
                assert_same(b, &case, &want);
                counted += 1;
            }
        }
    }
    eprintln!("{counted} case runs equal");
}

/// Parameters of a generated matmul.
struct Spec {
    batch: Vec<u32>,
    /// B's batch: empty (a weight), A's, or A's with the last dim 1 (grouped).
    b_batch: Vec<u32>,
    m: u32,
    k: u32,
    n: u32,
    transpose_b: bool,
    has_bias: bool,
    per_channel: bool,
    out: DType,
}

/// Where a generated case's values come from.
struct Values<'a> {
    /// A's and B's zero points and the output's quantization.
    quant: (i32, i32, Quant),
    /// Elements of A (argument 0) and B (argument 1).
    fill: &'a mut dyn FnMut(&mut Gen, usize) -> i32,
    /// Bias elements.
    bias: &'a mut dyn FnMut(&mut Gen) -> i32,
    /// Per-channel multipliers.
    table: &'a mut dyn FnMut(&mut Gen) -> Requant,
    /// The output stage.
    stage: OutputStage,
}

/// A matmul case of shape `s` with values from `v`.
fn matmul_case(name: String, g: &mut Gen, s: &Spec, v: Values<'_>) -> Case {
    let Values {
        quant,
        fill,
        bias,
        table,
        stage,
    } = v;
    let (za, zb, out_quant) = quant;
    let mut a_shape = s.batch.clone();
    a_shape.extend([s.m, s.k]);
    let mut b_shape = s.b_batch.clone();
    b_shape.extend(if s.transpose_b {
        [s.n, s.k]
    } else {
        [s.k, s.n]
    });
    let q = |zp| Quant {
        scale: Requant::from_f64(0.01),
        zero_point: zp,
    };
    let a = TensorInfo::new(DType::I8, &a_shape, q(za));
    let b = TensorInfo::new(DType::I8, &b_shape, q(zb));
    let bytes = |g: &mut Gen,
                 info: &TensorInfo,
                 which: usize,
                 fill: &mut dyn FnMut(&mut Gen, usize) -> i32| {
        (0..info.len())
            .map(|_| fill(g, which) as i8 as u8)
            .collect::<Vec<u8>>()
    };
    let a_bytes = bytes(g, &a, 0, fill);
    let b_bytes = bytes(g, &b, 1, fill);
    let mut inputs = vec![(a, a_bytes), (b, b_bytes)];
    if s.has_bias {
        let info = TensorInfo::raw(DType::I32, &[s.n]);
        let mut data = vec![0u8; 4 * s.n as usize];
        for i in 0..s.n as usize {
            write_elem(DType::I32, &mut data, i, bias(g));
        }
        inputs.push((info, data));
    }
    if s.per_channel {
        let info = TensorInfo::raw(DType::I32, &[s.n, 2]);
        let mut data = Vec::new();
        for _ in 0..s.n {
            let rq = table(g);
            data.extend(rq.multiplier.to_le_bytes());
            data.extend(rq.shift.to_le_bytes());
        }
        inputs.push((info, data));
    }
    let mut o_shape = s.batch.clone();
    o_shape.extend([s.m, s.n]);
    let output = TensorInfo::new(s.out, &o_shape, out_quant);
    Case::new(
        name,
        Op::MatMul(MatMul {
            transpose_b: s.transpose_b,
            has_bias: s.has_bias,
            per_channel: s.per_channel,
            stage,
        }),
        inputs,
        output,
    )
}

fn random_spec(g: &mut Gen, max: usize) -> Spec {
    let batch = if g.range(0, 2) == 0 {
        g.shape_ranked(1, 2, 3)
    } else {
        Vec::new()
    };
    let b_batch = match (batch.len(), g.size(0, 2)) {
        (0, _) | (_, 0) => Vec::new(),
        (_, 1) => batch.clone(),
        _ => {
            let mut b = batch.clone();
            *b.last_mut().unwrap() = 1;
            b
        }
    };
    // Batched cases stay smaller (the reference is slow in debug builds).
    let max = if batch.is_empty() { max } else { max / 3 };
    Spec {
        batch,
        b_batch,
        m: g.size(1, max) as u32,
        k: g.size(1, max) as u32,
        n: g.size(1, max) as u32,
        transpose_b: g.coin(),
        has_bias: g.coin(),
        per_channel: g.coin(),
        out: g.pick(&[DType::I8, DType::I16, DType::I32]),
    }
}

#[test]
fn random_large_matmuls_match_reference() {
    let backends = backends();
    let mut g = Gen::new(0xFA57);
    let mut runs = 0;
    for i in 0..40 {
        let mut s = random_spec(&mut g, 300);
        // A few shapes right at the kernel's blocking edges.
        match i {
            0 => (s.m, s.k, s.n) = (1, 1, 1),
            1 => (s.m, s.k, s.n) = (145, 257, 33),
            2 => (s.m, s.k, s.n) = (8, 4, 32),
            3 => (s.m, s.k, s.n) = (7, 3, 17),
            4 => (s.m, s.k, s.n) = (289, 65, 97),
            5 => (s.m, s.k, s.n) = (1, 300, 300),
            _ => {}
        }
        let out = g.info(s.out, &[1]);
        let za = g.range(-128, 127) as i32;
        let zb = g.range(-128, 127) as i32;
        let stage = g.stage(&out);
        let case = matmul_case(
            format!("random/{i}"),
            &mut g,
            &s,
            Values {
                quant: (za, zb, out.quant),
                fill: &mut |g, _| g.value(DType::I8),
                bias: &mut |g| g.range(-1 << 20, 1 << 20) as i32,
                table: &mut |g| g.requant(),
                stage,
            },
        );
        let want = reference(&case);
        for b in &backends {
            // The tiling depends on the thread count: 1, the default pool, and 3.
            match i % 3 {
                0 => pool(1).install(|| assert_same(b, &case, &want)),
                1 => assert_same(b, &case, &want),
                _ => pool(3).install(|| assert_same(b, &case, &want)),
            }
            runs += 1;
        }
    }
    eprintln!("{runs} random matmul runs equal");
}

#[test]
fn extreme_values_match_reference() {
    let backends = backends();
    let mut g = Gen::new(0xE7);
    let mut runs = 0;
    // (A value, B value, za, zb): constant operands at the ends of the range.
    let corners = [
        (-128, -128, 127, 127),
        (-128, -128, -128, -128),
        (127, 127, -128, -128),
        (127, -128, 127, -128),
        (-128, 127, 0, 0),
        (-128, -128, 0, 0),
        (127, 127, 127, 127),
    ];
    let mut i = 0;
    for (av, bv, za, zb) in corners {
        for out in [DType::I32, DType::I8, DType::I16] {
            for (transpose_b, per_channel) in [(false, true), (true, false), (true, true)] {
                // K large enough that the sums wrap in i32 with every corner: 255² · K > 2^31
                // needs K > 33,000; keep the test quick with a long K on one row.
                let k = if i % 5 == 0 { 40_000 } else { 300 };
                let s = Spec {
                    batch: vec![2],
                    b_batch: if i % 2 == 0 { vec![] } else { vec![2] },
                    m: if k > 1000 { 3 } else { 37 },
                    k,
                    n: 35,
                    transpose_b,
                    has_bias: true,
                    per_channel,
                    out,
                };
                let stage = OutputStage::new(if out == DType::I32 {
                    Requant::IDENTITY
                } else {
                    g.requant()
                });
                let out_zp = match i % 3 {
                    0 => out.min(),
                    1 => out.max(),
                    _ => 0,
                };
                let quant = Quant {
                    scale: Requant::IDENTITY,
                    zero_point: out_zp,
                };
                let case = matmul_case(
                    format!("extreme/{i}"),
                    &mut g,
                    &s,
                    Values {
                        quant: (za, zb, quant),
                        fill: &mut |_, which| if which == 0 { av } else { bv },
                        bias: &mut |g| g.pick(&[i32::MIN, i32::MAX, 0, -1]),
                        table: &mut |g| Requant {
                            multiplier: g.pick(&[i32::MAX, i32::MIN, 1 << 30, 0, -1, 1]),
                            shift: g.pick(&[-31, 8, 0, -1, 1]),
                        },
                        stage,
                    },
                );
                let want = reference(&case);
                for b in &backends {
                    assert_same(b, &case, &want);
                    runs += 1;
                }
                i += 1;
            }
        }
    }
    // Random data with every extreme multiplier shift and i32 outputs with an identity stage.
    for shift in [-31, -30, -1, 0, 1, 7, 8] {
        let s = Spec {
            batch: vec![],
            b_batch: vec![],
            m: 33,
            k: 129,
            n: 47,
            transpose_b: shift % 2 == 0,
            has_bias: true,
            per_channel: true,
            out: DType::I32,
        };
        let case = matmul_case(
            format!("shift/{shift}"),
            &mut g,
            &s,
            Values {
                quant: (-128, 127, Quant::default()),
                fill: &mut |g, _| g.value(DType::I8),
                bias: &mut |g| g.pick(&[i32::MIN, i32::MAX, 12345]),
                table: &mut |g| Requant {
                    multiplier: g.range(i32::MIN as i64, i32::MAX as i64) as i32,
                    shift,
                },
                stage: OutputStage::new(Requant::IDENTITY),
            },
        );
        let want = reference(&case);
        for b in &backends {
            assert_same(b, &case, &want);
            runs += 1;
        }
    }
    eprintln!("{runs} extreme matmul runs equal");
}

#[test]
fn models_give_the_reference_roots() {
    let backends = backends();
    for (seed, dims) in [
        (1u32, &[64u32, 128, 96, 10][..]),
        (2, &[300, 257, 1]),
        (3, &[17, 33, 65, 129]),
    ] {
        for unfused in [false, true] {
            let builder = if unfused {
                testmodels::mlp_unfused(seed, dims)
            } else {
                testmodels::mlp(seed, dims)
            };
            let bytes = builder.to_model_bytes("{}").expect("model encodes");
            let model = Model::from_bytes(bytes).expect("model decodes");
            let input = testmodels::random_input(seed, model.input_info());
            let want = exec::run(&model, &input, &ReferenceBackend).expect("runs");
            for b in &backends {
                let got = exec::run(&model, &input, b).expect("runs");
                assert_eq!(got.outputs, want.outputs, "mlp {dims:?} on {}", b.isa());
                assert_eq!(got.node_roots, want.node_roots);
                assert_eq!(got.state_roots, want.state_roots);
                assert_eq!(got.final_state_root(), want.final_state_root());
            }
        }
    }
}

#[test]
fn other_ops_fall_back_to_the_reference() {
    let fast = FastCpuBackend::new();
    eprintln!("default path: {} ({})", fast.isa(), fast.name());
    assert_eq!(fast.isa(), Isa::detect());
    let mut gemm_cases = 0;
    for case in all_cases(7) {
        let inputs: Vec<TensorRef<'_>> = case
            .node
            .inputs
            .iter()
            .zip(&case.inputs)
            .map(|(info, data)| TensorRef { info, data })
            .collect();
        let gemm = FastCpuBackend::uses_gemm(&case.node.op, &inputs);
        let i8 =
            || case.node.inputs[0].dtype == DType::I8 && case.node.inputs[1].dtype == DType::I8;
        let expected = match &case.node.op {
            Op::MatMul(_) => i8(),
            Op::Conv2d(c) => i8() && case.node.inputs[1].shape[0] / c.groups >= 2,
            _ => false,
        };
        assert_eq!(gemm, expected, "{}", case.name);
        gemm_cases += gemm as usize;
        assert_eq!(run_case(&fast, &case), case.reference(), "{}", case.name);
    }
    eprintln!("{gemm_cases} cases took the GEMM");
}

/// A random int8 conv2d that takes the GEMM path; `extreme` makes every value and zero point an
/// end of the range.
fn conv_case(g: &mut Gen, i: usize, extreme: bool) -> Case {
    let groups = g.pick(&[1, 1, 2, 3]);
    let cg = g.size(1, 12);
    let og = g.size(2, 24);
    let (c, o) = ((groups * cg) as u32, (groups * og) as u32);
    let (kh, kw) = (g.size(1, 5) as u32, g.size(1, 5) as u32);
    let conv = Conv2d {
        stride_h: g.size(1, 3) as u32,
        stride_w: g.size(1, 3) as u32,
        pad_top: g.size(0, 3) as u32,
        pad_left: g.size(0, 3) as u32,
        pad_bottom: g.size(0, 3) as u32,
        pad_right: g.size(0, 3) as u32,
        dilation_h: g.pick(&[1, 1, 2, 3]),
        dilation_w: g.pick(&[1, 1, 2, 3]),
        groups: groups as u32,
        has_bias: g.coin(),
        per_channel: g.coin(),
        stage: OutputStage::new(Requant::IDENTITY),
    };
    let span = |k: u32, d: u32, p0: u32, p1: u32| (d * (k - 1) + 1).saturating_sub(p0 + p1).max(1);
    let h = span(kh, conv.dilation_h, conv.pad_top, conv.pad_bottom) + g.size(0, 20) as u32;
    let w = span(kw, conv.dilation_w, conv.pad_left, conv.pad_right) + g.size(0, 20) as u32;
    let n = g.size(1, 2) as u32;
    let zp = |g: &mut Gen| {
        if extreme {
            g.pick(&[-128, 127])
        } else {
            g.range(-128, 127) as i32
        }
    };
    let q = |zero_point| Quant {
        scale: Requant::from_f64(0.01),
        zero_point,
    };
    let x = TensorInfo::new(DType::I8, &[n, c, h, w], q(zp(g)));
    let wt = TensorInfo::new(DType::I8, &[o, cg as u32, kh, kw], q(zp(g)));
    let bytes = |g: &mut Gen, info: &TensorInfo| -> Vec<u8> {
        let v = g.pick(&[-128, 127]);
        (0..info.len())
            .map(|_| if extreme { v } else { g.value(DType::I8) } as i8 as u8)
            .collect()
    };
    let mut inputs = vec![(x.clone(), bytes(g, &x)), (wt.clone(), bytes(g, &wt))];
    if conv.has_bias {
        let mut data = vec![0u8; 4 * o as usize];
        for i in 0..o as usize {
            let b = if extreme {
                g.pick(&[i32::MIN, i32::MAX])
            } else {
                g.range(-1 << 20, 1 << 20) as i32
            };
            write_elem(DType::I32, &mut data, i, b);
        }
        inputs.push((TensorInfo::raw(DType::I32, &[o]), data));
    }
    if conv.per_channel {
        let mut data = Vec::new();
        for _ in 0..o {
            let rq = if extreme {
                Requant {
                    multiplier: g.pick(&[i32::MAX, i32::MIN, 1 << 30]),
                    shift: g.pick(&[-31, 8]),
                }
            } else {
                g.requant()
            };
            data.extend(rq.multiplier.to_le_bytes());
            data.extend(rq.shift.to_le_bytes());
        }
        inputs.push((TensorInfo::raw(DType::I32, &[o, 2]), data));
    }
    let out_dtype = g.pick(&[DType::I8, DType::I16, DType::I32]);
    let probe = Op::Conv2d(conv.clone());
    let infos: Vec<&TensorInfo> = inputs.iter().map(|(i, _)| i).collect();
    let shape = probe.output_shape(&infos).expect("valid conv");
    let output = g.info(out_dtype, &shape);
    let stage = g.stage(&output);
    Case::new(
        format!("conv/{i}{}", if extreme { "/extreme" } else { "" }),
        Op::Conv2d(Conv2d { stage, ..conv }),
        inputs,
        output,
    )
}

#[test]
fn int8_convolutions_match_reference() {
    let backends = backends();
    let mut g = Gen::new(0xC0_2D);
    let mut runs = 0;
    for i in 0..48 {
        let case = conv_case(&mut g, i, i % 4 == 3);
        let inputs: Vec<TensorRef<'_>> = case
            .node
            .inputs
            .iter()
            .zip(&case.inputs)
            .map(|(info, data)| TensorRef { info, data })
            .collect();
        assert!(FastCpuBackend::uses_gemm(&case.node.op, &inputs));
        let want = reference(&case);
        for b in &backends {
            assert_same(b, &case, &want);
            runs += 1;
        }
    }
    eprintln!("{runs} conv2d runs through the GEMM equal");
}

// Randomized exactness of the slice kernels (binary, requantize, LUT, softmax, norm, reshape,
// transpose): random shapes (some big enough to be split over the pool), dtypes, zero points at
// the ends of their range, extreme multipliers, shifts and clamps, and random data with
// extremes; each output must equal the reference kernel's byte for byte, on every thread count.

mod slice_kernels {
    use super::*;
    use opml_dnn::ops::binary::broadcast_shape;
    use opml_dnn::ops::Transpose;
    use opml_dnn::ops::{
        Binary, BinaryKind, Embedding, Lut, Norm, NormKind, Requantize, Reshape, Softmax,
    };
    use proptest::prelude::*;

    const DTYPES: [DType; 3] = [DType::I8, DType::I16, DType::I32];

    /// A multiplier anywhere in its domain: extremes, fully random, or a normal one.
    fn any_requant(g: &mut Gen) -> Requant {
        match g.range(0, 3) {
            0 => Requant {
                multiplier: g.pick(&[0, 1, -1, i32::MAX, i32::MIN, 1 << 30, -(1 << 30)]),
                shift: g.pick(&[-31, -30, -1, 0, 1, 7, 8]),
            },
            1 => Requant {
                multiplier: g.range(i32::MIN as i64, i32::MAX as i64) as i32,
                shift: g.range(-31, 8) as i32,
            },
            _ => g.requant(),
        }
    }

    /// A zero point of `dtype`: an end of the range, 0, or random.
    fn zero_point(g: &mut Gen, dtype: DType) -> i32 {
        match g.range(0, 2) {
            0 => g.pick(&[dtype.min(), dtype.max(), 0]),
            _ => g.range(
                dtype.min().max(-40_000) as i64,
                dtype.max().min(40_000) as i64,
            ) as i32,
        }
    }

    fn info(g: &mut Gen, dtype: DType, shape: &[u32]) -> TensorInfo {
        let quant = Quant {
            scale: Requant::from_f64(0.02),
            zero_point: zero_point(g, dtype),
        };
        TensorInfo::new(dtype, shape, quant)
    }

    /// An output stage with an extreme or random multiplier and sometimes a clamp (also an empty
    /// one, lo > hi).
    fn stage(g: &mut Gen, output: &TensorInfo) -> OutputStage {
        let s = OutputStage::new(any_requant(g));
        match g.range(0, 4) {
            0 => s.relu(output),
            1 => OutputStage {
                lo: g.range(-300, 0) as i32,
                hi: g.range(0, 300) as i32,
                ..s
            },
            2 => OutputStage {
                lo: g.range(-50, 50) as i32,
                hi: g.range(-50, 50) as i32,
                ..s
            },
            _ => s,
        }
    }

    /// A shape of rank `lo..=hi`; when `big`, the first dim is raised so that the output has
    /// about `big` elements (enough work that the kernels split it over the pool).
    fn shape(g: &mut Gen, lo: usize, hi: usize, max: usize, big: Option<usize>) -> Vec<u32> {
        let mut s = g.shape_ranked(lo, hi, max);
        if let (Some(want), false) = (big, s.is_empty()) {
            let rest: usize = s[1..].iter().map(|&d| d as usize).product();
            s[0] = want.div_ceil(rest).max(1) as u32;
        }
        s
    }

    /// Runs `case` on every path in pools of 1, 2 and 3 threads and compares with the reference.
    fn check(case: &Case) {
        let want = case.reference();
        for b in backends_quiet() {
            for threads in [1, 2, 3] {
                pool(threads).install(|| assert_same(&b, case, &want));
            }
        }
    }

    fn backends_quiet() -> Vec<FastCpuBackend> {
        Isa::ALL
            .into_iter()
            .filter_map(FastCpuBackend::with_isa)
            .collect()
    }

    fn binary_case(seed: u32, big: bool) -> Case {
        let mut g = Gen::new(seed);
        let full = shape(&mut g, 0, 4, 7, big.then_some(70_000));
        let operand = |g: &mut Gen| -> Vec<u32> {
            let keep = g.size(0, full.len());
            full[full.len() - keep..]
                .iter()
                .map(|&d| if g.range(0, 2) == 0 { 1 } else { d })
                .collect()
        };
        let (sa, sb) = (operand(&mut g), operand(&mut g));
        let so = broadcast_shape(&sa, &sb).expect("suffixes broadcast");
        let kind = if g.coin() {
            BinaryKind::Add
        } else {
            BinaryKind::Mul
        };
        let a = {
            let d = g.pick(&DTYPES);
            info(&mut g, d, &sa)
        };
        let b = {
            let d = g.pick(&DTYPES);
            info(&mut g, d, &sb)
        };
        let out_dtype = g.pick(&DTYPES);
        let output = info(&mut g, out_dtype, &so);
        let op = Binary {
            kind,
            left_shift: {
                let r = g.range(0, 20) as u32;
                g.pick(&[0, 20, r])
            },
            a_requant: any_requant(&mut g),
            b_requant: any_requant(&mut g),
            stage: stage(&mut g, &output),
        };
        let (da, db) = (g.tensor(&a), g.tensor(&b));
        Case::new(
            format!("binary/{seed}"),
            Op::Binary(op),
            vec![(a, da), (b, db)],
            output,
        )
    }

    fn requantize_case(seed: u32, big: bool) -> Case {
        let mut g = Gen::new(seed);
        let s = shape(&mut g, 0, 4, 9, big.then_some(150_000));
        let x_dtype = g.pick(&DTYPES);
        let x = info(&mut g, x_dtype, &s);
        let out_dtype = g.pick(&DTYPES);
        let output = info(&mut g, out_dtype, &s);
        let op = Requantize {
            stage: stage(&mut g, &output),
        };
        let dx = g.tensor(&x);
        Case::new(
            format!("requantize/{seed}"),
            Op::Requantize(op),
            vec![(x, dx)],
            output,
        )
    }

    fn lut_case(seed: u32, big: bool) -> Case {
        let mut g = Gen::new(seed);
        let s = shape(&mut g, 0, 4, 9, big.then_some(150_000));
        let x_dtype = g.pick(&[DType::I8, DType::I16]);
        let t_dtype = g.pick(&[DType::I8, DType::I16]);
        let x = info(&mut g, x_dtype, &s);
        let len = if x_dtype == DType::I8 { 256 } else { 257 };
        let t = info(&mut g, t_dtype, &[len]);
        let output = info(&mut g, t_dtype, &s);
        let (dx, dt) = (g.tensor(&x), g.tensor(&t));
        Case::new(
            format!("lut/{seed}"),
            Op::Lut(Lut),
            vec![(x, dx), (t, dt)],
            output,
        )
    }

    fn softmax_case(seed: u32, big: bool) -> Case {
        let mut g = Gen::new(seed);
        let causal = g.coin();
        let mut s = shape(&mut g, if causal { 2 } else { 1 }, 4, 9, None);
        let r = g.size(1, 300) as u32;
        *s.last_mut().unwrap() = g.pick(&[1, 2, 31, 128, r]);
        if causal && g.coin() {
            let rank = s.len();
            s[rank - 2] = g.size(1, 200) as u32;
        }
        if big {
            let rest: usize = s[1..].iter().map(|&d| d as usize).product();
            s[0] = 60_000usize.div_ceil(rest).max(1) as u32;
        }
        let x = {
            let d = g.pick(&[DType::I8, DType::I16]);
            info(&mut g, d, &s)
        };
        let r = g.size(1, 5000) as u32;
        let len = g.pick(&[1, 2, 100, 300, r]);
        // The converter's table: decaying from 2^15; sometimes raw values (negative, > 2^15).
        let decay = g.range(1, 200) as f64 / 1000.0;
        let raw = g.range(0, 3) == 0;
        let mut table = Vec::new();
        for k in 0..len {
            let v = if raw {
                g.value(DType::I32)
            } else {
                (32768.0 * (-(k as f64) * decay).exp()).round() as i32
            };
            table.extend(v.to_le_bytes());
        }
        let out_dtype = g.pick(&[DType::I8, DType::I16]);
        let output = info(&mut g, out_dtype, &s);
        let r = g.range(0, 65535) as u32;
        let out_range = g.pick(&[0, 1, 255, 32767, 65535, r]);
        let dx = g.tensor(&x);
        Case::new(
            format!("softmax/{seed}"),
            Op::Softmax(Softmax { causal, out_range }),
            vec![(x, dx), (TensorInfo::raw(DType::I32, &[len]), table)],
            output,
        )
    }

    fn norm_case(seed: u32, big: bool) -> Case {
        let mut g = Gen::new(seed);
        let kind = if g.coin() {
            NormKind::Layer
        } else {
            NormKind::Rms
        };
        let mut s = shape(&mut g, 1, 3, 7, None);
        let r = g.size(1, 700) as u32;
        *s.last_mut().unwrap() = g.pick(&[1, 2, 384, r]);
        if big {
            let rest: usize = s[1..].iter().map(|&d| d as usize).product();
            s[0] = 40_000usize.div_ceil(rest).max(1) as u32;
        }
        let n = *s.last().unwrap();
        let x = if g.coin() {
            info(&mut g, DType::I8, &s)
        } else {
            TensorInfo::new(DType::I16, &s, Quant::default())
        };
        let gamma = {
            let d = g.pick(&[DType::I8, DType::I16]);
            info(&mut g, d, &[n])
        };
        let out_dtype = g.pick(&DTYPES);
        let output = info(&mut g, out_dtype, &s);
        // Sometimes the accumulator itself (i32, identity multiplier): every unit of q shows.
        let (output, stage) = if g.range(0, 2) == 0 {
            let output = TensorInfo::raw(DType::I32, &s);
            (output, OutputStage::new(Requant::IDENTITY))
        } else {
            let stage = stage(&mut g, &output);
            (output, stage)
        };
        let op = Norm {
            kind,
            eps: {
                let r = g.range(0, 1 << 20) as u32;
                g.pick(&[0, 1, u32::MAX, r])
            },
            stage,
        };
        // Sometimes near-constant rows (tiny or zero variance), or constant rows with rare
        // outliers (normalized values far beyond ±8: the clamp of q to ±2^15, both signs).
        let dx = match g.range(0, 3) {
            0 => {
                let v = g.value(x.dtype);
                let lo = (v - 1).max(x.dtype.min());
                g.tensor_in(&x, lo, v)
            }
            1 => {
                let v = g.value(x.dtype);
                let mut data = g.tensor_in(&x, v, v);
                // One outlier per row: |normalized| = sqrt(n − 1) on it.
                for row in 0..x.len() / n as usize {
                    let at = row * n as usize + g.size(0, n as usize - 1);
                    let o = g.pick(&[x.dtype.min(), x.dtype.max()]);
                    write_elem(x.dtype, &mut data, at, o);
                }
                data
            }
            _ => g.tensor(&x),
        };
        let dg = g.tensor(&gamma);
        let mut inputs = vec![(x, dx), (gamma, dg)];
        if kind == NormKind::Layer {
            let beta = TensorInfo::raw(DType::I32, &[n]);
            let db = g.tensor(&beta);
            inputs.push((beta, db));
        }
        Case::new(format!("norm/{seed}"), Op::Norm(op), inputs, output)
    }

    fn transpose_case(seed: u32, big: bool) -> Case {
        let mut g = Gen::new(seed);
        let s = shape(&mut g, 0, 5, 7, big.then_some(600_000));
        let mut perm: Vec<u32> = (0..s.len() as u32).collect();
        for i in (1..perm.len()).rev() {
            let j = g.size(0, i);
            perm.swap(i, j);
        }
        let x = {
            let d = g.pick(&DTYPES);
            info(&mut g, d, &s)
        };
        let out_shape: Vec<u32> = perm.iter().map(|&p| s[p as usize]).collect();
        let output = TensorInfo::new(x.dtype, &out_shape, x.quant);
        let dx = g.tensor(&x);
        Case::new(
            format!("transpose/{seed}"),
            Op::Transpose(Transpose { perm }),
            vec![(x, dx)],
            output,
        )
    }

    fn reshape_case(seed: u32, big: bool) -> Case {
        let mut g = Gen::new(seed);
        let s = shape(&mut g, 0, 4, 9, big.then_some(150_000));
        let x = {
            let d = g.pick(&DTYPES);
            info(&mut g, d, &s)
        };
        let count: u32 = s.iter().product();
        let output = TensorInfo::new(x.dtype, &[count], x.quant);
        let dx = g.tensor(&x);
        Case::new(
            format!("reshape/{seed}"),
            Op::Reshape(Reshape { shape: vec![count] }),
            vec![(x, dx)],
            output,
        )
    }

    fn embedding_case(seed: u32, big: bool) -> Case {
        let mut g = Gen::new(seed);
        let ids_shape = shape(&mut g, 0, 3, 9, big.then_some(5_000));
        let (vocab, dim) = (g.size(1, 300) as u32, g.size(1, 200) as u32);
        let t = {
            let d = g.pick(&DTYPES);
            info(&mut g, d, &[vocab, dim])
        };
        let ids = TensorInfo::raw(DType::I32, &ids_shape);
        // Ids mostly inside the table, some negative or past its end.
        let mut di = vec![0u8; ids.byte_len()];
        for i in 0..ids.len() {
            let id = match g.range(0, 5) {
                0 => g.pick(&[-1, i32::MIN, i32::MAX, vocab as i32, vocab as i32 - 1, 0]),
                _ => g.range(0, vocab as i64 - 1) as i32,
            };
            write_elem(DType::I32, &mut di, i, id);
        }
        let mut out_shape = ids_shape.clone();
        out_shape.push(dim);
        let output = TensorInfo::new(t.dtype, &out_shape, t.quant);
        let dt = g.tensor(&t);
        Case::new(
            format!("embedding/{seed}"),
            Op::Embedding(Embedding),
            vec![(ids, di), (t, dt)],
            output,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn binary_is_exact(seed in any::<u32>(), big in prop::bool::weighted(0.15)) {
            check(&binary_case(seed, big));
        }

        #[test]
        fn requantize_is_exact(seed in any::<u32>(), big in prop::bool::weighted(0.15)) {
            check(&requantize_case(seed, big));
        }

        #[test]
        fn lut_is_exact(seed in any::<u32>(), big in prop::bool::weighted(0.15)) {
            check(&lut_case(seed, big));
        }

        #[test]
        fn softmax_is_exact(seed in any::<u32>(), big in prop::bool::weighted(0.15)) {
            check(&softmax_case(seed, big));
        }

        #[test]
        fn norm_is_exact(seed in any::<u32>(), big in prop::bool::weighted(0.15)) {
            check(&norm_case(seed, big));
        }

        #[test]
        fn transpose_is_exact(seed in any::<u32>(), big in prop::bool::weighted(0.15)) {
            check(&transpose_case(seed, big));
        }

        #[test]
        fn embedding_is_exact(seed in any::<u32>(), big in prop::bool::weighted(0.15)) {
            check(&embedding_case(seed, big));
        }

        #[test]
        fn reshape_is_exact(seed in any::<u32>(), big in prop::bool::weighted(0.15)) {
            check(&reshape_case(seed, big));
        }
    }

    /// Norm rows with one outlier (normalized value ±sqrt(n − 1), beyond the ±8 that q's clamp
    /// to ±2^15 cuts), no epsilon, the accumulator as output: the clamp shows on both signs.
    #[test]
    fn norm_clamps_both_signs() {
        let mut g = Gen::new(0x0C1A);
        for (i, n) in [65u32, 100, 384, 700].into_iter().enumerate() {
            for kind in [NormKind::Layer, NormKind::Rms] {
                for dtype in [DType::I8, DType::I16] {
                    let s = [4, n];
                    let x = TensorInfo::new(dtype, &s, Quant::default());
                    let mut dx = g.tensor_in(&x, 3, 3);
                    for row in 0..4 {
                        let o = [dtype.min(), dtype.max()][(row + i) % 2];
                        write_elem(dtype, &mut dx, row * n as usize + row * 7 % n as usize, o);
                    }
                    let gamma = TensorInfo::raw(DType::I16, &[n]);
                    let dg = g.tensor_in(&gamma, -3, 3);
                    let mut inputs = vec![(x, dx), (gamma, dg)];
                    if kind == NormKind::Layer {
                        let beta = TensorInfo::raw(DType::I32, &[n]);
                        let db = g.tensor_in(&beta, -5, 5);
                        inputs.push((beta, db));
                    }
                    let op = Norm {
                        kind,
                        eps: 0,
                        stage: OutputStage::new(Requant::IDENTITY),
                    };
                    let case = Case::new(
                        format!("norm/outlier/{n}/{kind:?}/{dtype}"),
                        Op::Norm(op),
                        inputs,
                        TensorInfo::raw(DType::I32, &s),
                    );
                    check(&case);
                }
            }
        }
    }

    /// The encoder and decoder test models (all of these ops, transformer-shaped) give the
    /// reference's outputs and roots.
    #[test]
    fn transformers_give_the_reference_roots() {
        let shape = testmodels::TransformerShape {
            vocab: 300,
            tokens: 24,
            hidden: 64,
            heads: 4,
            kv_heads: 2,
            ffn: 96,
            layers: 2,
        };
        let encoder = testmodels::encoder(
            5,
            testmodels::TransformerShape {
                kv_heads: 4,
                ..shape
            },
        );
        for (name, builder) in [
            ("encoder", encoder),
            ("decoder", testmodels::decoder(6, shape)),
        ] {
            let bytes = builder.to_model_bytes("{}").expect("model encodes");
            let model = Model::from_bytes(bytes).expect("model decodes");
            let input = testmodels::random_tokens(9, shape.tokens, shape.vocab);
            let want = exec::run(&model, &input, &ReferenceBackend).expect("runs");
            for b in backends_quiet() {
                let got = exec::run(&model, &input, &b).expect("runs");
                assert_eq!(got.outputs, want.outputs, "{name} on {}", b.isa());
                assert_eq!(got.state_roots, want.state_roots, "{name} on {}", b.isa());
            }
        }
    }
}
