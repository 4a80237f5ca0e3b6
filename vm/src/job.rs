//! The initial machine of a job (docs/spec.md §8.5, §9.2): the program in slot 0, the job bytes
//! at the start of slot 4, input tensor i mounted at the start of slot 5 + i.

use crate::elf::{ElfError, Program};
use crate::layout::{FIRST_INPUT_SLOT, INPUT_SLOTS, JOB_SLOT, SLOT_DEPTH};
use crate::machine::Machine;
use crate::memory::MemoryError;
use crate::merkle::root_of_bytes;

/// Why a job's machine cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Loading the program failed.
    #[error(transparent)]
    Elf(#[from] ElfError),
    /// Mounting a slot failed (too large, or a root mismatch).
    #[error(transparent)]
    Memory(#[from] MemoryError),
    /// More inputs than input slots.
    #[error("{0} inputs exceed the {INPUT_SLOTS} input slots")]
    TooManyInputs(usize),
}

/// The machine that runs `job` over `inputs`. Every slot is mounted by the root of its own
/// bytes, which is also the tensor root a contract derives it from.
pub fn job_machine(program: &Program, job: &[u8], inputs: &[&[u8]]) -> Result<Machine, JobError> {
    if inputs.len() > INPUT_SLOTS {
        return Err(JobError::TooManyInputs(inputs.len()));
    }
    let mut machine = program.machine()?;
    let mem = machine.memory_mut();
    mem.mount(JOB_SLOT, job, &root_of_bytes(job, SLOT_DEPTH))?;
    for (i, data) in inputs.iter().enumerate() {
        mem.mount(FIRST_INPUT_SLOT + i, data, &root_of_bytes(data, SLOT_DEPTH))?;
    }
    Ok(machine)
}
