//! Quantization sanity of the ops written against docs/spec.md §8.4 (matmul, add, mul,
//! requantize, mean): each op's dequantized integer output is within a documented bound of a
//! float computation of the same op on the dequantized inputs. This is about quality, not
//! commitments: the bound is the op's own rounding, not an exactness tolerance.
//!
//! Bound for every op here: `|ŷ − clamp(y)| ≤ s_out · (0.5 + ε) + 1e-6·|y|`, where `ŷ` is the
//! dequantized output, `y` the float result, `clamp` the output range in real units. Half a
//! quantum is the final rounding. `ε` is the double rounding of the fixed-point multiply: the
//! high multiply rounds to a unit of `2^−right` output quanta before the rounding shift, adding
//! up to `2^−(right+1)` quanta (0.25 with the right shift of 1 some multipliers here have; about
//! 0.004 for typical layers, whose right shifts are ≥ 7). The relative term is the Q31
//! representation of the multipliers.

use opml_dnn::ops::{
    compute_all, Binary, BinaryKind, MatMul, Op, OutputStage, ReduceMean, Requantize,
};
use opml_dnn::quant::Requant;
use opml_dnn::tensor::{read_elem, DType, Quant, TensorInfo, TensorRef};
use opml_dnn::testcases::Gen;

struct Quantized {
    info: TensorInfo,
    data: Vec<u8>,
    real: Vec<f64>,
}

/// A random tensor and the real values it represents.
fn tensor(g: &mut Gen, dtype: DType, shape: &[u32], scale: f64, zp: i32) -> Quantized {
    let info = TensorInfo::new(
        dtype,
        shape,
        Quant {
            scale: Requant::from_f64(scale),
            zero_point: zp,
        },
    );
    let data = g.tensor_in(&info, dtype.min().max(-120), dtype.max().min(120));
    let real = (0..info.len())
        .map(|i| scale * (read_elem(dtype, &data, i) - zp) as f64)
        .collect();
    Quantized { info, data, real }
}

fn check(name: &str, out: &TensorInfo, bytes: &[u8], s_out: f64, float: &[f64], eps: f64) {
    let (lo, hi) = (
        s_out * (out.dtype.min() - out.quant.zero_point) as f64,
        s_out * (out.dtype.max() - out.quant.zero_point) as f64,
    );
    let mut worst: f64 = 0.0;
    for (i, &y) in float.iter().enumerate() {
        let got = s_out * (read_elem(out.dtype, bytes, i) - out.quant.zero_point) as f64;
        let err = (got - y.clamp(lo, hi)).abs();
        let bound = s_out * (0.5 + eps) + 1e-6 * y.abs();
        assert!(
            err <= bound,
            "{name}: element {i}: got {got}, float {y}, error {err} > {bound}"
        );
        worst = worst.max(err / s_out);
    }
    println!("{name}: worst error {worst:.3} output quanta");
}

#[test]
fn matmul_is_close_to_float() {
    let mut g = Gen::new(1);
    for (dt_a, dt_out) in [
        (DType::I8, DType::I8),
        (DType::I16, DType::I16),
        (DType::I8, DType::I16),
    ] {
        let (m, k, n) = (5, 37, 6);
        let (sa, so) = (0.02, 0.05);
        let a = tensor(
            &mut g,
            dt_a,
            &[m, k],
            sa,
            if dt_a == DType::I8 { 3 } else { 0 },
        );
        let sb: Vec<f64> = (0..n).map(|c| 0.004 + 0.001 * c as f64).collect();
        let b_info = TensorInfo::raw(DType::I8, &[n, k]);
        let b_data = g.tensor_in(&b_info, -127, 127);
        let mut table = Vec::new();
        for &s in &sb {
            let rq = Requant::from_f64(sa * s / so);
            table.extend(rq.multiplier.to_le_bytes());
            table.extend(rq.shift.to_le_bytes());
        }
        let t_info = TensorInfo::raw(DType::I32, &[n, 2]);
        let out = TensorInfo::new(
            dt_out,
            &[m, n],
            Quant {
                scale: Requant::from_f64(so),
                zero_point: 0,
            },
        );
        let op = Op::MatMul(MatMul {
            transpose_b: true,
            has_bias: false,
            per_channel: true,
            stage: OutputStage::new(Requant::IDENTITY),
        });
        let inputs = [
            TensorRef {
                info: &a.info,
                data: &a.data,
            },
            TensorRef {
                info: &b_info,
                data: &b_data,
            },
            TensorRef {
                info: &t_info,
                data: &table,
            },
        ];
        let bytes = compute_all(&op, &inputs, &out);
        let float: Vec<f64> = (0..(m * n) as usize)
            .map(|i| {
                let (r, c) = (i / n as usize, i % n as usize);
                (0..k as usize)
                    .map(|p| {
                        a.real[r * k as usize + p]
                            * sb[c]
                            * read_elem(DType::I8, &b_data, c * k as usize + p) as f64
                    })
                    .sum()
            })
            .collect();
        check(
            &format!("matmul {dt_a}->{dt_out}"),
            &out,
            &bytes,
            so,
            &float,
            0.01,
        );
    }
}

#[test]
fn add_and_mul_are_close_to_float() {
    let mut g = Gen::new(2);
    let (sa, sb, so) = (0.03, 0.05, 0.06);
    let a = tensor(&mut g, DType::I8, &[4, 9], sa, -5);
    let b = tensor(&mut g, DType::I8, &[1, 9], sb, 7);
    let out = TensorInfo::new(
        DType::I8,
        &[4, 9],
        Quant {
            scale: Requant::from_f64(so),
            zero_point: 2,
        },
    );
    let twice_max = 2.0 * sa.max(sb);
    let add = Binary {
        kind: BinaryKind::Add,
        left_shift: 20,
        a_requant: Requant::from_f64(sa / twice_max),
        b_requant: Requant::from_f64(sb / twice_max),
        stage: OutputStage::new(Requant::from_f64(twice_max / ((1 << 20) as f64 * so))),
    };
    let inputs = [
        TensorRef {
            info: &a.info,
            data: &a.data,
        },
        TensorRef {
            info: &b.info,
            data: &b.data,
        },
    ];
    let bytes = compute_all(&Op::Binary(add), &inputs, &out);
    let float: Vec<f64> = (0..36).map(|i| a.real[i] + b.real[i % 9]).collect();
    check("add", &out, &bytes, so, &float, 0.25);

    let so = 0.004;
    let out = TensorInfo::new(
        DType::I8,
        &[4, 9],
        Quant {
            scale: Requant::from_f64(so),
            zero_point: 0,
        },
    );
    let mul = Binary {
        kind: BinaryKind::Mul,
        left_shift: 0,
        a_requant: Requant::default(),
        b_requant: Requant::default(),
        stage: OutputStage::new(Requant::from_f64(sa * sb / so)),
    };
    let bytes = compute_all(&Op::Binary(mul), &inputs, &out);
    let float: Vec<f64> = (0..36).map(|i| a.real[i] * b.real[i % 9]).collect();
    check("mul", &out, &bytes, so, &float, 0.25);
}

#[test]
fn requantize_and_mean_are_close_to_float() {
    let mut g = Gen::new(3);
    let (sx, so) = (0.02, 0.05);
    let x = tensor(&mut g, DType::I16, &[6, 10], sx, 0);
    let out = TensorInfo::new(
        DType::I8,
        &[6, 10],
        Quant {
            scale: Requant::from_f64(so),
            zero_point: -4,
        },
    );
    let op = Op::Requantize(Requantize {
        stage: OutputStage::new(Requant::from_f64(sx / so)),
    });
    let inputs = [TensorRef {
        info: &x.info,
        data: &x.data,
    }];
    check(
        "requantize",
        &out,
        &compute_all(&op, &inputs, &out),
        so,
        &x.real,
        0.25,
    );

    let out = TensorInfo::new(
        DType::I8,
        &[10],
        Quant {
            scale: Requant::from_f64(so / 20.0),
            zero_point: 0,
        },
    );
    let op = Op::ReduceMean(ReduceMean {
        axis: 0,
        stage: OutputStage::new(Requant::from_f64(sx / (6.0 * so / 20.0))),
    });
    let float: Vec<f64> = (0..10)
        .map(|c| (0..6).map(|r| x.real[r * 10 + c]).sum::<f64>() / 6.0)
        .collect();
    check(
        "mean",
        &out,
        &compute_all(&op, &inputs, &out),
        so / 20.0,
        &float,
        0.25,
    );
}
