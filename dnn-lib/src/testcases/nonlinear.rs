//! Cases for the nonlinear ops: lut, softmax, norm, rope.

use std::vec::Vec;

use super::{Case, Gen};
use crate::ops::{Lut, Norm, NormKind, Op, OutputStage, Rope, Softmax};
use crate::quant::Requant;
use crate::tensor::{write_elem, DType, Quant, TensorInfo};

/// Appends every nonlinear op's cases.
pub(super) fn cases(g: &mut Gen, out: &mut Vec<Case>) {
    for i in 0..8 {
        out.push(lut(g, i));
        out.push(rope(g, i));
    }
    for i in 0..16 {
        out.push(softmax(g, i));
        out.push(norm(g, i));
    }
}

/// Random bytes of `info` where some rows (of the last axis) are constant, one in four, and some
/// hold a single outlier, one in eight.
fn rows_with_edges(g: &mut Gen, info: &TensorInfo) -> Vec<u8> {
    let mut bytes = g.tensor(info);
    let n = info.last_dim();
    for row in 0..info.len() / n {
        match g.range(0, 7) {
            0 | 1 => {
                let v = g.value(info.dtype);
                for c in 0..n {
                    write_elem(info.dtype, &mut bytes, row * n + c, v);
                }
            }
            2 => {
                let at = g.size(0, n - 1);
                for c in 0..n {
                    let v = if c == at {
                        info.dtype.max()
                    } else {
                        info.dtype.min()
                    };
                    write_elem(info.dtype, &mut bytes, row * n + c, v);
                }
            }
            _ => {}
        }
    }
    bytes
}

fn lut(g: &mut Gen, i: usize) -> Case {
    let shape = g.shape_ranked(if i == 0 { 0 } else { 1 }, 3, 7);
    let xd = if i.is_multiple_of(2) {
        DType::I8
    } else {
        DType::I16
    };
    let x = g.info(xd, &shape);
    let od = g.pick(&[DType::I8, DType::I16]);
    let len = if xd == DType::I8 { 256 } else { 257 };
    let t = TensorInfo::raw(od, &[len]);
    // A monotone table (an activation's shape) or noise with extremes.
    let table = if g.coin() {
        let mut bytes = std::vec![0u8; t.byte_len()];
        let (lo, hi) = (od.min() as i64, od.max() as i64);
        for j in 0..len as usize {
            let v = lo + (hi - lo) * j as i64 / (len as i64 - 1);
            write_elem(od, &mut bytes, j, v as i32);
        }
        bytes
    } else {
        g.tensor(&t)
    };
    let output = g.info(od, &shape);
    let inputs = std::vec![(x.clone(), g.tensor(&x)), (t, table)];
    Case::new(std::format!("lut/{i}"), Op::Lut(Lut), inputs, output)
}

fn softmax(g: &mut Gen, i: usize) -> Case {
    let causal = i % 2 == 1;
    let mut shape = g.shape_ranked(if causal { 2 } else { 1 }, 4, 7);
    if causal && g.coin() {
        // Square score matrices, as in attention.
        let r = shape.len();
        shape[r - 1] = shape[r - 2];
    }
    let xd = if i % 4 < 2 { DType::I8 } else { DType::I16 };
    let x = g.info(xd, &shape);
    let mut x_bytes = rows_with_edges(g, &x);
    if xd == DType::I16 && g.coin() {
        // Scores within a few hundred steps, where the table is not one-hot.
        x_bytes = g.tensor_in(&x, -300, 300);
    }
    // A decaying exponential table, or noise (out-of-range entries, E[0] = 0). Integer only, so
    // the cases are the same on every platform: E[k] = round(E[k − 1] · m / 2^16).
    let len = g.size(1, 300) as u32;
    let e = TensorInfo::raw(DType::I32, &[len]);
    let mut table = std::vec![0u8; e.byte_len()];
    if g.range(0, 3) != 0 {
        let m = g.range(40_000, 65_535);
        let mut v = 32768i64;
        for k in 0..len as usize {
            write_elem(DType::I32, &mut table, k, v as i32);
            v = (v * m + (1 << 15)) >> 16;
        }
    } else {
        for k in 0..len as usize {
            let v = g.pick(&[0, 1, 32768, 32769, -1, i32::MIN, i32::MAX]);
            write_elem(DType::I32, &mut table, k, v);
        }
    }
    let (od, zo, out_range) = match g.range(0, 3) {
        0 => (DType::I8, -128, 255),
        1 => (DType::I16, 0, 32767),
        _ => {
            // Any zero point; a range that fits above it, or any range (clamped).
            let od = g.pick(&[DType::I8, DType::I16]);
            let zo = g.value(od);
            let top = if g.coin() { od.max() - zo } else { 65535 };
            (od, zo, g.range(0, top as i64) as u32)
        }
    };
    let output = TensorInfo {
        quant: Quant {
            zero_point: zo,
            ..g.quant(od)
        },
        ..TensorInfo::raw(od, &shape)
    };
    Case::new(
        std::format!("softmax/{i}"),
        Op::Softmax(Softmax { causal, out_range }),
        std::vec![(x, x_bytes), (e, table)],
        output,
    )
}

fn norm(g: &mut Gen, i: usize) -> Case {
    let kind = if i.is_multiple_of(2) {
        NormKind::Layer
    } else {
        NormKind::Rms
    };
    let shape = g.shape_ranked(1, 3, 12);
    let n = *shape.last().unwrap();
    let x = if i % 4 >= 2 {
        TensorInfo {
            quant: Quant {
                zero_point: 0,
                ..g.quant(DType::I16)
            },
            ..TensorInfo::raw(DType::I16, &shape)
        }
    } else {
        g.info(DType::I8, &shape)
    };
    let x_bytes = rows_with_edges(g, &x);
    let gamma = g.info_of(&[DType::I8, DType::I16], &[n]);
    let mut inputs = std::vec![(x, x_bytes), (gamma.clone(), g.tensor(&gamma))];
    if kind == NormKind::Layer {
        let beta = TensorInfo::raw(DType::I32, &[n]);
        let mut bytes = g.tensor_in(&beta, -1_000_000, 1_000_000);
        if g.range(0, 3) == 0 {
            let c = g.size(0, n as usize - 1);
            let v = g.pick(&[i32::MIN, i32::MAX]);
            write_elem(DType::I32, &mut bytes, c, v);
        }
        inputs.push((beta, bytes));
    }
    let eps = match g.range(0, 3) {
        0 => 0,
        1 => g.range(1, 100) as u32,
        2 => g.range(0, u32::MAX as i64) as u32,
        _ => u32::MAX,
    };
    let output = g.info_of(&[DType::I8, DType::I16, DType::I32], &shape);
    // The accumulator is q (Q12, |q| < 2^15) times gamma plus beta: a random stage mostly
    // saturates, so half the cases scale it to about the output's range.
    let stage = if g.coin() {
        g.stage(&output)
    } else {
        OutputStage::new(Requant {
            multiplier: g.range(1 << 30, i32::MAX as i64) as i32,
            shift: g.range(-20, -8) as i32,
        })
    };
    Case::new(
        std::format!("norm/{i}"),
        Op::Norm(Norm { kind, eps, stage }),
        inputs,
        output,
    )
}

fn rope(g: &mut Gen, i: usize) -> Case {
    let mut shape = g.shape_ranked(0, 2, 3);
    let (t, d) = (g.size(1, 6) as u32, 2 * g.size(1, 5) as u32);
    shape.extend([t, d]);
    let xd = if i.is_multiple_of(2) {
        DType::I8
    } else {
        DType::I16
    };
    let x = g.info(xd, &shape);
    let r = TensorInfo::raw(DType::I16, &[t, d / 2, 2]);
    // Rotations (c² + s² ≈ 2^28 in Q14; IEEE square roots are exact, so the cases are the same
    // on every platform), or raw i16 noise (clamped into ±2^14 when used).
    let table = if g.coin() {
        let mut bytes = std::vec![0u8; r.byte_len()];
        for k in 0..(t * d / 2) as usize {
            let c = g.range(-16384, 16384);
            let s = ((1i64 << 28) - c * c) as f64;
            let s = s.sqrt().round() as i32 * if g.coin() { 1 } else { -1 };
            // Position 0 is the identity, as in a real table.
            let (c, s) = if k < (d / 2) as usize {
                (16384, 0)
            } else {
                (c as i32, s)
            };
            write_elem(DType::I16, &mut bytes, 2 * k, c);
            write_elem(DType::I16, &mut bytes, 2 * k + 1, s);
        }
        bytes
    } else {
        g.tensor(&r)
    };
    let output = x.clone();
    let inputs = std::vec![(x.clone(), g.tensor(&x)), (r, table)];
    Case::new(std::format!("rope/{i}"), Op::Rope(Rope), inputs, output)
}
