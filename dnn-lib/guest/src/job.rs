//! The job runner: reads the job in slot 4, computes the requested output bytes of that node
//! with the reference kernel from its inputs in slots 5–14, writes them into slot 15 at their
//! offset in the output tensor (docs/spec.md §8.5).

use alloc::vec::Vec;

use opml_dnn::graph::{Job, NodeDescriptor};

/// Bytes of one VM memory slot.
pub const SLOT_BYTES: usize = 1 << 28;
/// Address of the job (slot 4).
pub const JOB_ADDR: usize = 0x4000_0000;
/// Address of input 0 (slot 5); input i is at `INPUT_ADDR + i · SLOT_BYTES`.
pub const INPUT_ADDR: usize = 0x5000_0000;
/// Address of the output tensor's byte 0 (slot 15).
pub const OUTPUT_ADDR: usize = 0xF000_0000;

/// Exit code: the job header is malformed.
pub const EXIT_BAD_JOB: u32 = 2;
/// Exit code: the node descriptor does not decode.
pub const EXIT_BAD_DESCRIPTOR: u32 = 3;
/// Exit code: the op rejects its inputs, output or range.
pub const EXIT_BAD_NODE: u32 = 4;

/// Runs the job in memory and returns the exit code.
///
/// # Safety
/// Only in the opml VM: slots 4, 5–14 and 15 must be addressable memory.
pub unsafe fn run() -> u32 {
    // SAFETY (all slices): each covers at most one 256 MiB slot of the VM's flat memory, which
    // nothing else references while the job runs.
    let job_bytes = unsafe { core::slice::from_raw_parts(JOB_ADDR as *const u8, SLOT_BYTES) };
    let Ok(job) = Job::decode(job_bytes) else {
        return EXIT_BAD_JOB;
    };
    let Ok(node) = NodeDescriptor::decode(job.descriptor) else {
        return EXIT_BAD_DESCRIPTOR;
    };
    let inputs: Vec<&[u8]> = node
        .inputs
        .iter()
        .enumerate()
        .map(|(i, info)| unsafe {
            core::slice::from_raw_parts((INPUT_ADDR + i * SLOT_BYTES) as *const u8, info.byte_len())
        })
        .collect();
    let (start, end) = (job.start as usize, job.end as usize);
    if start >= end || end > node.output.byte_len() {
        return EXIT_BAD_NODE;
    }
    let out =
        unsafe { core::slice::from_raw_parts_mut((OUTPUT_ADDR + start) as *mut u8, end - start) };
    match node.compute_bytes(&inputs, start..end, out) {
        Ok(()) => 0,
        Err(_) => EXIT_BAD_NODE,
    }
}
