//! The job guest (`dnn-lib/guest/bin/job.elf`), embedded so that the binary needs nothing else.

use opml_vm::Program;

/// The job guest's ELF.
pub const JOB_ELF: &[u8] = include_bytes!("../../dnn-lib/guest/bin/job.elf");

/// The job guest, parsed.
pub fn job_program() -> Result<Program, opml_vm::elf::ElfError> {
    Program::parse(JOB_ELF)
}
