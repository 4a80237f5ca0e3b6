//! Cases for matmul, binary, requantize, embedding, the shape ops and the reductions.

use std::vec::Vec;

use super::{Case, Gen};
use crate::ops::{
    ArgMax, Binary, BinaryKind, Concat, Embedding, MatMul, Op, ReduceMean, Requantize, Reshape,
    Slice, Transpose,
};
use crate::tensor::{DType, TensorInfo};

/// Appends every basic op's cases.
pub(super) fn cases(g: &mut Gen, out: &mut Vec<Case>) {
    for i in 0..24 {
        out.push(matmul(g, i));
    }
    for i in 0..16 {
        out.push(binary(g, i));
    }
    for i in 0..8 {
        out.push(requantize(g, i));
        out.push(embedding(g, i));
        out.push(shape_op(g, i));
        out.push(reduce(g, i));
    }
}

fn matmul(g: &mut Gen, i: usize) -> Case {
    let batch = g.shape_ranked(0, 2, 3);
    let (m, k, n) = (
        g.size(1, 9) as u32,
        g.size(1, 40) as u32,
        g.size(1, 12) as u32,
    );
    let transpose_b = g.coin();
    let (has_bias, per_channel) = (g.coin(), g.coin());
    // B: a weight (no batch), the same batch, or a grouped batch (grouped-query attention).
    let b_batch: Vec<u32> = match (batch.len(), g.size(0, 2)) {
        (0, _) | (_, 0) => Vec::new(),
        (_, 1) => batch.clone(),
        _ => {
            let mut b = batch.clone();
            *b.last_mut().unwrap() = 1;
            b
        }
    };
    let mut a_shape = batch.clone();
    a_shape.extend([m, k]);
    let mut b_shape = b_batch;
    b_shape.extend(if transpose_b { [n, k] } else { [k, n] });
    let (ad, bd) = (g.act_dtype(), g.act_dtype());
    let a = g.info(ad, &a_shape);
    let b = g.info(bd, &b_shape);
    let mut inputs = std::vec![(a.clone(), g.tensor(&a)), (b.clone(), g.tensor(&b))];
    if has_bias {
        let bias = TensorInfo::raw(DType::I32, &[n]);
        let bytes = g.tensor_in(&bias, -100_000, 100_000);
        inputs.push((bias, bytes));
    }
    if per_channel {
        let t = TensorInfo::raw(DType::I32, &[n, 2]);
        let mut bytes = Vec::new();
        for _ in 0..n {
            let rq = g.requant();
            bytes.extend(rq.multiplier.to_le_bytes());
            bytes.extend(rq.shift.to_le_bytes());
        }
        inputs.push((t, bytes));
    }
    let mut o_shape = batch;
    o_shape.extend([m, n]);
    let od = g.pick(&[DType::I8, DType::I16, DType::I32]);
    let output = g.info(od, &o_shape);
    let stage = g.stage(&output);
    Case::new(
        std::format!("matmul/{i}"),
        Op::MatMul(MatMul {
            transpose_b,
            has_bias,
            per_channel,
            stage,
        }),
        inputs,
        output,
    )
}

fn binary(g: &mut Gen, i: usize) -> Case {
    let shape = g.shape_ranked(1, 4, 5);
    // B broadcasts: some dims set to 1, some leading dims dropped.
    let mut b_shape: Vec<u32> = shape
        .iter()
        .map(|&d| if g.coin() { d } else { 1 })
        .collect();
    let drop = g.size(0, b_shape.len() - 1);
    b_shape.drain(..drop);
    let (a_first, kind) = (
        g.coin(),
        if i.is_multiple_of(2) {
            BinaryKind::Add
        } else {
            BinaryKind::Mul
        },
    );
    let a = g.act_info(&shape);
    let b = g.act_info(&b_shape);
    let (a, b) = if a_first { (a, b) } else { (b, a) };
    let out_shape = crate::ops::binary::broadcast_shape(&a.shape, &b.shape).unwrap();
    let output = g.act_info(&out_shape);
    let op = Binary {
        kind,
        left_shift: g.pick(&[0, 10, 15, 20]),
        a_requant: g.requant(),
        b_requant: g.requant(),
        stage: g.stage(&output),
    };
    let inputs = std::vec![(a.clone(), g.tensor(&a)), (b.clone(), g.tensor(&b))];
    Case::new(std::format!("binary/{i}"), Op::Binary(op), inputs, output)
}

fn requantize(g: &mut Gen, i: usize) -> Case {
    let shape = g.shape_ranked(1, 3, 7);
    let x = g.info_of(&[DType::I8, DType::I16, DType::I32], &shape);
    let output = g.info_of(&[DType::I8, DType::I16, DType::I32], &shape);
    let stage = g.stage(&output);
    let inputs = std::vec![(x.clone(), g.tensor(&x))];
    Case::new(
        std::format!("requantize/{i}"),
        Op::Requantize(Requantize { stage }),
        inputs,
        output,
    )
}

fn embedding(g: &mut Gen, i: usize) -> Case {
    let (vocab, dim) = (g.size(1, 20) as u32, g.size(1, 9) as u32);
    let ids_shape = g.shape_ranked(1, 2, 6);
    let ids = TensorInfo::raw(DType::I32, &ids_shape);
    // Mostly valid ids, some out of range on either side.
    let ids_bytes = g.tensor_in(&ids, -2, vocab as i32 + 1);
    let table = g.act_info(&[vocab, dim]);
    let mut out_shape = ids_shape;
    out_shape.push(dim);
    let output = TensorInfo {
        shape: out_shape,
        ..table.clone()
    };
    let inputs = std::vec![(ids, ids_bytes), (table.clone(), g.tensor(&table))];
    Case::new(
        std::format!("embedding/{i}"),
        Op::Embedding(Embedding),
        inputs,
        output,
    )
}

fn shape_op(g: &mut Gen, i: usize) -> Case {
    let dtype = g.pick(&[DType::I8, DType::I16, DType::I32]);
    let shape = g.shape_ranked(1, 4, 5);
    let x = g.info(dtype, &shape);
    let with = |shape: Vec<u32>| TensorInfo { shape, ..x.clone() };
    let (op, inputs, output) = match i % 4 {
        0 => {
            let n = x.len() as u32;
            let new = if n.is_multiple_of(2) {
                std::vec![2, n / 2]
            } else {
                std::vec![n]
            };
            (
                Op::Reshape(Reshape { shape: new.clone() }),
                std::vec![(x.clone(), g.tensor(&x))],
                with(new),
            )
        }
        1 => {
            let mut perm: Vec<u32> = (0..shape.len() as u32).collect();
            for j in (1..perm.len()).rev() {
                perm.swap(j, g.size(0, j));
            }
            let new = perm.iter().map(|&p| shape[p as usize]).collect();
            (
                Op::Transpose(Transpose { perm }),
                std::vec![(x.clone(), g.tensor(&x))],
                with(new),
            )
        }
        2 => {
            let axis = g.size(0, shape.len() - 1);
            let mut inputs = Vec::new();
            let mut total = shape.clone();
            total[axis] = 0;
            for _ in 0..g.size(1, 4) {
                let mut s = shape.clone();
                s[axis] = g.size(1, 4) as u32;
                total[axis] += s[axis];
                let t = with(s);
                let bytes = g.tensor(&t);
                inputs.push((t, bytes));
            }
            (
                Op::Concat(Concat { axis: axis as u32 }),
                inputs,
                with(total),
            )
        }
        _ => {
            let starts: Vec<u32> = shape
                .iter()
                .map(|&d| g.size(0, d as usize - 1) as u32)
                .collect();
            let ends: Vec<u32> = shape
                .iter()
                .zip(&starts)
                .map(|(&d, &s)| g.size(s as usize + 1, d as usize) as u32)
                .collect();
            let new = starts.iter().zip(&ends).map(|(s, e)| e - s).collect();
            (
                Op::Slice(Slice { starts, ends }),
                std::vec![(x.clone(), g.tensor(&x))],
                with(new),
            )
        }
    };
    Case::new(std::format!("shape/{i}"), op, inputs, output)
}

fn reduce(g: &mut Gen, i: usize) -> Case {
    let shape = g.shape_ranked(1, 4, 9);
    let x = g.act_info(&shape);
    let inputs = std::vec![(x.clone(), g.tensor(&x))];
    if i.is_multiple_of(2) {
        let output = TensorInfo::raw(DType::I32, &shape[..shape.len() - 1]);
        Case::new(
            std::format!("argmax/{i}"),
            Op::ArgMax(ArgMax),
            inputs,
            output,
        )
    } else {
        let axis = g.size(0, shape.len() - 1);
        let mut out_shape = shape.clone();
        out_shape.remove(axis);
        let output = g.act_info(&out_shape);
        let stage = g.stage(&output);
        Case::new(
            std::format!("reduce_mean/{i}"),
            Op::ReduceMean(ReduceMean {
                axis: axis as u32,
                stage,
            }),
            inputs,
            output,
        )
    }
}
