//! The fast CPU backend: int8 × int8 matrix products through a SIMD GEMM, int8 convolutions
//! through the same GEMM (im2col, `conv.rs`); binary, requantize and LUT (`elementwise.rs`),
//! softmax (`softmax.rs`), layer / RMS norm (`norm.rs`), reshape, transpose and embedding
//! (`layout.rs`) through slice kernels that compute the reference's integer formulas in tight
//! loops (bit for bit), split over the cores only when the node is big enough (`par.rs`); every
//! other op (and i16 matmul operands) through the reference kernels ([`compute_split`]).
//!
//! The GEMM produces exactly the reference bytes (docs/spec.md §8.4, `matmul`): the wrapping i32
//! sum `Σ_k (a − za)(b − zb) + bias[n]` is rebuilt from the raw products of the packed operands
//! and per-row and per-column corrections, all in wrapping i32 (see `gemm.rs`), and every output
//! element goes through the stage of [`OutputStage::finish`](crate::ops::OutputStage::finish)
//! (the SIMD paths have lane-for-lane vector copies of it, tested against the scalar one).
//!
//! The instruction set is chosen at run time ([`Isa::detect`]): AVX-512 VNNI (`vpdpbusd` on
//! u8 × s8, A packed as `a + 128`), then AVX2 (`vpmaddwd` on i16 pairs; never the saturating
//! `vpmaddubsw`), then portable Rust on any target. [`FastCpuBackend::with_isa`] forces a path.

mod conv;
mod divide;
mod elementwise;
mod gemm;
mod layout;
mod norm;
mod par;
mod softmax;
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::exec::{compute_split, Backend};
use crate::graph::NodeDescriptor;
use crate::ops::Op;
use crate::tensor::{DType, TensorRef};

/// An instruction-set path of the int8 GEMM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Isa {
    /// Portable Rust on any target (i16 pair products, wrapping i32 sums).
    Scalar,
    /// x86-64 AVX2: `vpmaddwd` on sign-extended i16 pairs, vectorized epilogue.
    Avx2,
    /// x86-64 AVX-512 F/BW/VNNI: `vpdpbusd` on u8 × s8 quadruples, vectorized epilogue.
    Avx512Vnni,
}

impl Isa {
    /// Every path, slowest first.
    pub const ALL: [Isa; 3] = [Isa::Scalar, Isa::Avx2, Isa::Avx512Vnni];

    /// Short name.
    pub const fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
            Isa::Avx512Vnni => "avx512-vnni",
        }
    }

    /// Whether the running CPU can take this path.
    pub fn is_available(self) -> bool {
        match self {
            Isa::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => x86::Avx2::detect().is_some(),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512Vnni => x86::Avx512Vnni::detect().is_some(),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The fastest path the running CPU has.
    pub fn detect() -> Isa {
        Isa::ALL
            .into_iter()
            .rev()
            .find(|isa| isa.is_available())
            .unwrap_or(Isa::Scalar)
    }
}

impl core::fmt::Display for Isa {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// A benchmark aid: `iterations` rounds of a register-only loop of the instruction that the
/// kernel of `isa` is made of (24 independent `vpdpbusd` zmm, or 12 `vpmaddwd` + `vpaddd` ymm),
/// so that timing it gives the path's peak on this CPU. Returns the ops done (2 per
/// multiply-add) and a checksum of the result (to keep the work), or `None` for the scalar path
/// and unavailable ones.
pub fn peak_loop(isa: Isa, iterations: u64, seed: i32) -> Option<(u64, i32)> {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512Vnni => x86::Avx512Vnni::detect().map(|t| x86::vnni_peak(t, iterations, seed)),
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => x86::Avx2::detect().map(|t| x86::avx2_peak(t, iterations, seed)),
        _ => {
            let _ = (iterations, seed);
            None
        }
    }
}

/// Int8 matrix products on a SIMD GEMM; everything else on the reference kernels. Produces
/// exactly the reference bytes.
#[derive(Debug, Clone, Copy)]
pub struct FastCpuBackend {
    isa: Isa,
}

impl Default for FastCpuBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl FastCpuBackend {
    /// The backend on the fastest path of the running CPU.
    pub fn new() -> Self {
        Self { isa: Isa::detect() }
    }

    /// The backend on path `isa`, if the running CPU has it.
    pub fn with_isa(isa: Isa) -> Option<Self> {
        isa.is_available().then_some(Self { isa })
    }

    /// The GEMM's instruction-set path.
    pub fn isa(&self) -> Isa {
        self.isa
    }

    /// Whether `op` on these inputs goes through the GEMM (else: the reference kernel):
    /// matmul with i8 A and B; conv2d with i8 X and weight and at least two output channels per
    /// group (not depthwise).
    pub fn uses_gemm(op: &Op, inputs: &[TensorRef<'_>]) -> bool {
        match op {
            Op::MatMul(_) => {
                inputs.len() >= 2
                    && inputs[0].info.dtype == DType::I8
                    && inputs[1].info.dtype == DType::I8
            }
            Op::Conv2d(c) => conv::uses_gemm(c, inputs),
            _ => false,
        }
    }
}

impl Backend for FastCpuBackend {
    fn name(&self) -> &'static str {
        match self.isa {
            Isa::Scalar => "cpu-fast-scalar",
            Isa::Avx2 => "cpu-fast-avx2",
            Isa::Avx512Vnni => "cpu-fast-avx512-vnni",
        }
    }

    fn compute(&self, node: &NodeDescriptor, inputs: &[TensorRef<'_>], out: &mut [u8]) {
        match &node.op {
            Op::MatMul(mm) if Self::uses_gemm(&node.op, inputs) => {
                gemm::matmul(self.isa, mm, inputs, &node.output, out)
            }
            Op::Conv2d(c) if Self::uses_gemm(&node.op, inputs) => {
                conv::conv2d(self.isa, c, inputs, &node.output, out)
            }
            Op::Binary(b) => elementwise::binary(self.isa, b, inputs, &node.output, out),
            Op::Requantize(r) => elementwise::requantize(self.isa, r, inputs, &node.output, out),
            Op::Lut(l) => elementwise::lut(l, inputs, &node.output, out),
            Op::Softmax(s) => softmax::softmax(self.isa, s, inputs, &node.output, out),
            Op::Norm(n) => norm::norm(self.isa, n, inputs, &node.output, out),
            Op::Reshape(_) => layout::reshape(inputs, out),
            Op::Embedding(_) => layout::embedding(inputs, &node.output, out),
            Op::Transpose(t) => layout::transpose(t, inputs, &node.output, out),
            op => compute_split(op, inputs, &node.output, out),
        }
    }
}
