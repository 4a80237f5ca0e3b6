//! The opml RISC-V guest: a minimal `no_std` runtime ([`rt`]) and the programs' shared code.
//!
//! Built for `riscv32im-unknown-none-elf` by `scripts/build-guest.sh`; the ELFs are plain
//! Linux-compatible RV32IM programs (they use only the `write` and `exit` system calls), so they
//! run under `qemu-riscv32-static` as well as in the opml VM.
#![no_std]

extern crate alloc;

pub mod heap;
pub mod job;
pub mod rt;

pub use opml_dnn;
pub use rt::{exit, write};

/// Every guest's allocator (the job runner allocates; the benchmarks do not).
#[cfg(target_os = "none")]
#[global_allocator]
static HEAP: heap::Bump = heap::Bump::new();

/// Defines the guest's entry point as a matmul benchmark: given an
/// [`opml_dnn::testgen::MatmulBench`] constant, runs [`opml_dnn::testgen::matmul_checksum`] over
/// static n×n buffers in .bss (no heap), prints `checksum 0x........` to stdout and exits with
/// the checksum.
#[macro_export]
macro_rules! matmul_bench {
    ($bench:expr) => {
        fn guest_main() -> u32 {
            const BENCH: $crate::opml_dnn::testgen::MatmulBench = $bench;
            const NN: usize = BENCH.n * BENCH.n;
            static BUFFERS: $crate::Static<([i8; NN], [i8; NN], [i32; NN])> =
                $crate::Static::new(([0; NN], [0; NN], [0; NN]));
            // SAFETY: guest_main runs once, on the only hart; nothing else borrows BUFFERS.
            let (a, b, c) = unsafe { BUFFERS.get_mut() };
            $crate::matmul_bench(a, b, c, BENCH.n, BENCH.reps)
        }
        $crate::entry!(guest_main);
    };
}

/// Runs [`opml_dnn::testgen::matmul_checksum`] with [`opml_dnn::testgen::MATMUL_SEED`], prints
/// the checksum to stdout and returns it.
pub fn matmul_bench(a: &mut [i8], b: &mut [i8], c: &mut [i32], n: usize, reps: u32) -> u32 {
    use opml_dnn::testgen::{matmul_checksum, MATMUL_SEED};
    let h = matmul_checksum(a, b, c, n, reps, MATMUL_SEED);
    let mut line = *b"checksum 0x00000000\n";
    line[11..19].copy_from_slice(&hex_u32(h));
    write(1, &line);
    h
}

/// `v` as 8 lowercase hex digits.
pub fn hex_u32(v: u32) -> [u8; 8] {
    let mut out = [0u8; 8];
    for (i, d) in out.iter_mut().enumerate() {
        let nibble = (v >> (28 - 4 * i)) & 0xF;
        *d = b"0123456789abcdef"[nibble as usize];
    }
    out
}

/// A `static` that the single-threaded guest may borrow mutably (static buffers in .bss instead
/// of a heap).
pub struct Static<T>(core::cell::UnsafeCell<T>);

// SAFETY: the guest runs on a single hart with no interrupts.
unsafe impl<T> Sync for Static<T> {}

impl<T> Static<T> {
    /// Wraps `value` (zero-initialised values land in .bss).
    pub const fn new(value: T) -> Self {
        Self(core::cell::UnsafeCell::new(value))
    }

    /// The value, mutably.
    ///
    /// # Safety
    /// No other reference to the value may be alive while the result is.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn get_mut(&self) -> &mut T {
        unsafe { &mut *self.0.get() }
    }
}
