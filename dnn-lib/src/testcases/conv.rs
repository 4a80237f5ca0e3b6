//! Cases for conv2d (plain, depthwise, grouped, strided, dilated, padded; bias and per-channel
//! multipliers) and pool2d (max and average, padded, strided, global windows).

use std::vec::Vec;

use super::{Case, Gen};
use crate::ops::{Conv2d, Op, Pool2d, PoolKind};
use crate::tensor::{DType, TensorInfo};

/// Appends the conv2d and pool2d cases.
pub(super) fn cases(g: &mut Gen, out: &mut Vec<Case>) {
    for i in 0..20 {
        out.push(conv2d(g, i));
    }
    for i in 0..12 {
        out.push(pool2d(g, i));
    }
}

/// Four paddings (top, left, bottom, right) in `0..=max`.
fn pads(g: &mut Gen, max: usize) -> [u32; 4] {
    [(); 4].map(|_| g.size(0, max) as u32)
}

/// An input extent for which a window of `span` fits with the given padding, plus a little.
fn extent(g: &mut Gen, span: u32, pad_before: u32, pad_after: u32) -> u32 {
    span.saturating_sub(pad_before + pad_after).max(1) + g.size(0, 4) as u32
}

fn conv2d(g: &mut Gen, i: usize) -> Case {
    const VARIANTS: [&str; 5] = ["plain", "depthwise", "grouped", "strided", "dilated"];
    let variant = VARIANTS[i % VARIANTS.len()];
    // Channels per group (input, output) and the group count.
    let (groups, cg, og) = match variant {
        "depthwise" => (g.size(2, 4), 1, g.size(1, 2)),
        "grouped" => (g.size(2, 3), g.size(1, 2), g.size(1, 2)),
        _ => (1, g.size(1, 4), g.size(1, 5)),
    };
    let (c, o) = ((groups * cg) as u32, (groups * og) as u32);
    let (kh, kw) = (g.size(1, 3) as u32, g.size(1, 3) as u32);
    let strided = variant == "strided" || g.range(0, 3) == 0;
    let (stride_h, stride_w) = if strided {
        (g.size(1, 3) as u32, g.size(1, 3) as u32)
    } else {
        (1, 1)
    };
    let (dilation_h, dilation_w) = if variant == "dilated" {
        (g.size(1, 3) as u32, g.size(1, 3) as u32)
    } else {
        (1, 1)
    };
    let [pad_top, pad_left, pad_bottom, pad_right] =
        if matches!(variant, "strided" | "dilated") || g.coin() {
            pads(g, 2)
        } else {
            [0; 4]
        };
    let h = extent(g, dilation_h * (kh - 1) + 1, pad_top, pad_bottom);
    let w = extent(g, dilation_w * (kw - 1) + 1, pad_left, pad_right);
    let n = g.size(1, 2) as u32;
    let (has_bias, per_channel) = (g.coin(), g.coin());
    let x = g.act_info(&[n, c, h, w]);
    let weight = g.act_info(&[o, cg as u32, kh, kw]);
    let mut inputs = std::vec![
        (x.clone(), g.tensor(&x)),
        (weight.clone(), g.tensor(&weight)),
    ];
    if has_bias {
        let bias = TensorInfo::raw(DType::I32, &[o]);
        let bytes = g.tensor_in(&bias, -100_000, 100_000);
        inputs.push((bias, bytes));
    }
    if per_channel {
        let t = TensorInfo::raw(DType::I32, &[o, 2]);
        let mut bytes = Vec::new();
        for _ in 0..o {
            let rq = g.requant();
            bytes.extend(rq.multiplier.to_le_bytes());
            bytes.extend(rq.shift.to_le_bytes());
        }
        inputs.push((t, bytes));
    }
    let oh = (h + pad_top + pad_bottom - dilation_h * (kh - 1) - 1) / stride_h + 1;
    let ow = (w + pad_left + pad_right - dilation_w * (kw - 1) - 1) / stride_w + 1;
    let od = g.pick(&[DType::I8, DType::I16, DType::I32]);
    let output = g.info(od, &[n, o, oh, ow]);
    let stage = g.stage(&output);
    let op = Conv2d {
        stride_h,
        stride_w,
        pad_top,
        pad_left,
        pad_bottom,
        pad_right,
        dilation_h,
        dilation_w,
        groups: groups as u32,
        has_bias,
        per_channel,
        stage,
    };
    Case::new(
        std::format!("conv2d/{i}/{variant}"),
        Op::Conv2d(op),
        inputs,
        output,
    )
}

fn pool2d(g: &mut Gen, i: usize) -> Case {
    let kind = if i.is_multiple_of(2) {
        PoolKind::Max
    } else {
        PoolKind::Avg
    };
    let dtype = g.pick(&[DType::I8, DType::I8, DType::I16, DType::I32]);
    let (n, c) = (g.size(1, 2) as u32, g.size(1, 4) as u32);
    let global = i % 6 >= 4;
    let (h, w, op) = if global {
        // One window over the whole plane.
        let (h, w) = (g.size(1, 6) as u32, g.size(1, 6) as u32);
        let op = Pool2d {
            kernel_h: h,
            kernel_w: w,
            ..Pool2d::new(kind, 1, 1)
        };
        (h, w, op)
    } else {
        let (kh, kw) = (g.size(1, 3) as u32, g.size(1, 3) as u32);
        let p = pads(g, 2);
        let [pad_top, pad_bottom] = [p[0], p[2]].map(|v| v.min(kh - 1));
        let [pad_left, pad_right] = [p[1], p[3]].map(|v| v.min(kw - 1));
        let op = Pool2d {
            kind,
            kernel_h: kh,
            kernel_w: kw,
            stride_h: g.size(1, 3) as u32,
            stride_w: g.size(1, 3) as u32,
            pad_top,
            pad_left,
            pad_bottom,
            pad_right,
            count_include_pad: g.coin(),
        };
        let h = extent(g, kh, pad_top, pad_bottom);
        let w = extent(g, kw, pad_left, pad_right);
        (h, w, op)
    };
    let x = g.info(dtype, &[n, c, h, w]);
    let oh = (h + op.pad_top + op.pad_bottom - op.kernel_h) / op.stride_h + 1;
    let ow = (w + op.pad_left + op.pad_right - op.kernel_w) / op.stride_w + 1;
    let output = TensorInfo {
        shape: std::vec![n, c, oh, ow],
        ..x.clone()
    };
    let inputs = std::vec![(x.clone(), g.tensor(&x))];
    let name = match (kind, global) {
        (PoolKind::Max, false) => "max",
        (PoolKind::Avg, false) => "avg",
        (PoolKind::Max, true) => "global_max",
        (PoolKind::Avg, true) => "global_avg",
    };
    Case::new(
        std::format!("pool2d/{i}/{name}"),
        Op::Pool2d(op),
        inputs,
        output,
    )
}
