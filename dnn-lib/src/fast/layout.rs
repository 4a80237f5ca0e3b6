//! Ops that only move bytes: reshape (one copy) and transpose (whole rows of the output at a
//! time, a copy per row when the last axis stays last).

use std::vec::Vec;

use super::par::for_pieces;
use crate::ops::Transpose;
use crate::tensor::{strides, TensorInfo, TensorRef};

/// Reshape: the input's bytes.
pub(super) fn reshape(inputs: &[TensorRef<'_>], out: &mut [u8]) {
    out.copy_from_slice(inputs[0].data);
}

/// Transpose: output row by output row (the last output axis), the source offset of each row
/// kept by an odometer over the outer output axes.
pub(super) fn transpose(
    op: &Transpose,
    inputs: &[TensorRef<'_>],
    output: &TensorInfo,
    out: &mut [u8],
) {
    let x = inputs[0];
    let size = output.dtype.size();
    let rank = output.shape.len();
    if rank == 0 {
        out.copy_from_slice(x.data);
        return;
    }
    let in_strides = strides(&x.info.shape);
    let n = output.shape[rank - 1] as usize;
    // Input elements between consecutive elements of an output row.
    let step = in_strides[op.perm[rank - 1] as usize];
    let dims: Vec<usize> = output.shape[..rank - 1]
        .iter()
        .map(|&d| d as usize)
        .collect();
    let src_strides: Vec<usize> = op.perm[..rank - 1]
        .iter()
        .map(|&p| in_strides[p as usize])
        .collect();
    let data = x.data;
    for_pieces(out, size, n, 1, |start, dst| {
        let first_row = start / n;
        // The odometer: coordinates of the current row and its first source element.
        let mut coord = [0usize; crate::tensor::MAX_RANK];
        let mut src = 0;
        let mut rest = first_row;
        for d in (0..dims.len()).rev() {
            coord[d] = rest % dims[d];
            rest /= dims[d];
            src += coord[d] * src_strides[d];
        }
        for row in dst.chunks_mut(n * size) {
            if step == 1 {
                row.copy_from_slice(&data[src * size..src * size + row.len()]);
            } else {
                gather(data, src, step, size, row);
            }
            // Next row.
            for d in (0..dims.len()).rev() {
                coord[d] += 1;
                src += src_strides[d];
                if coord[d] < dims[d] {
                    break;
                }
                src -= coord[d] * src_strides[d];
                coord[d] = 0;
            }
        }
    });
}

/// `row[j] = data[src + j · step]`, elements of `size` bytes.
fn gather(data: &[u8], src: usize, step: usize, size: usize, row: &mut [u8]) {
    match size {
        1 => {
            for (j, d) in row.iter_mut().enumerate() {
                *d = data[src + j * step];
            }
        }
        _ => {
            for (j, d) in row.chunks_exact_mut(size).enumerate() {
                let at = (src + j * step) * size;
                d.copy_from_slice(&data[at..at + size]);
            }
        }
    }
}

/// Embedding: a copy of each id's table row, the zero point for ids outside the table.
pub(super) fn embedding(inputs: &[TensorRef<'_>], output: &TensorInfo, out: &mut [u8]) {
    let (ids, table) = (inputs[0], inputs[1]);
    let (vocab, dim) = (table.info.shape[0] as usize, table.info.shape[1] as usize);
    let size = output.dtype.size();
    let row_bytes = dim * size;
    // One element of the zero point, as stored.
    let zp = output.quant.zero_point.to_le_bytes();
    let zp = &zp[..size];
    for_pieces(out, size, dim, 1, |start, dst| {
        let first = start / dim;
        for (r, row) in dst.chunks_mut(row_bytes).enumerate() {
            let id = ids.get(first + r);
            if id >= 0 && (id as u32 as usize) < vocab {
                let at = id as u32 as usize * row_bytes;
                row.copy_from_slice(&table.data[at..at + row.len()]);
            } else {
                for e in row.chunks_exact_mut(size) {
                    e.copy_from_slice(zp);
                }
            }
        }
    });
}
