//! Loader for static RV32 ELF executables: every PT_LOAD segment at its own address, pc at the
//! entry point. Bounds-checked: a malformed file is an error, never a panic.

use crate::layout::{PROGRAM_SLOT, STACK_TOP};
use crate::machine::Machine;
use crate::memory::{Memory, MemoryError};
use crate::merkle::Hash;

const PT_LOAD: u32 = 1;
const PF_X: u32 = 1;
const EM_RISCV: u16 = 243;
const ET_EXEC: u16 = 2;
const EF_RISCV_RVC: u32 = 1;
const EF_RISCV_FLOAT_ABI: u32 = 6;
const EF_RISCV_RVE: u32 = 8;

/// Why a file is not a loadable RV32 executable.
#[derive(Debug, thiserror::Error)]
pub enum ElfError {
    /// Shorter than its headers say.
    #[error("ELF truncated: {0}")]
    Truncated(&'static str),
    /// Not an ELF file.
    #[error("not an ELF file (bad magic)")]
    BadMagic,
    /// An ELF, but not one this VM runs.
    #[error("unsupported ELF: {0}")]
    Unsupported(String),
    /// A segment reaches outside the file or the 4 GiB address space.
    #[error("segment {index} is out of bounds: {reason}")]
    BadSegment {
        /// Program header index.
        index: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// Memory could not be set up.
    #[error(transparent)]
    Memory(#[from] MemoryError),
}

/// One PT_LOAD segment.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Load address.
    pub vaddr: u32,
    /// Bytes from the file (the rest up to `mem_size` is zero).
    pub data: Vec<u8>,
    /// Size in memory.
    pub mem_size: u32,
    /// Executable.
    pub executable: bool,
}

/// A parsed executable.
#[derive(Debug, Clone)]
pub struct Program {
    /// Entry point.
    pub entry: u32,
    /// Loadable segments in file order.
    pub segments: Vec<Segment>,
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, ElfError> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or(ElfError::Truncated("header"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, ElfError> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or(ElfError::Truncated("header"))
}

impl Program {
    /// Parses an ELF32 little-endian RISC-V executable.
    pub fn parse(bytes: &[u8]) -> Result<Self, ElfError> {
        if bytes.len() < 52 {
            return Err(if bytes.starts_with(b"\x7fELF") || bytes.len() < 4 {
                ElfError::Truncated("ELF header")
            } else {
                ElfError::BadMagic
            });
        }
        if &bytes[..4] != b"\x7fELF" {
            return Err(ElfError::BadMagic);
        }
        if bytes[4] != 1 {
            return Err(ElfError::Unsupported(
                "not a 32-bit ELF (RV64 is not supported)".into(),
            ));
        }
        if bytes[5] != 1 {
            return Err(ElfError::Unsupported("not little-endian".into()));
        }
        let machine = u16_at(bytes, 18)?;
        if machine != EM_RISCV {
            return Err(ElfError::Unsupported(format!(
                "machine {machine} is not RISC-V ({EM_RISCV})"
            )));
        }
        let kind = u16_at(bytes, 16)?;
        if kind != ET_EXEC {
            return Err(ElfError::Unsupported(format!(
                "type {kind} is not a static executable (ET_EXEC)"
            )));
        }
        let flags = u32_at(bytes, 36)?;
        if flags & EF_RISCV_RVC != 0 {
            return Err(ElfError::Unsupported(
                "built with compressed instructions (RVC): build for rv32im".into(),
            ));
        }
        if flags & EF_RISCV_FLOAT_ABI != 0 {
            return Err(ElfError::Unsupported(
                "built for a hard-float ABI: build for ilp32".into(),
            ));
        }
        if flags & EF_RISCV_RVE != 0 {
            return Err(ElfError::Unsupported("built for RV32E".into()));
        }
        let entry = u32_at(bytes, 24)?;
        let phoff = u32_at(bytes, 28)? as usize;
        let phentsize = u16_at(bytes, 42)? as usize;
        let phnum = u16_at(bytes, 44)? as usize;
        if phnum > 0 && phentsize < 32 {
            return Err(ElfError::Unsupported(format!(
                "program header size {phentsize} < 32"
            )));
        }
        let mut segments = Vec::new();
        for index in 0..phnum {
            let at = phoff
                .checked_add(index * phentsize)
                .filter(|a| a.checked_add(32).is_some_and(|end| end <= bytes.len()))
                .ok_or(ElfError::Truncated("program headers"))?;
            if u32_at(bytes, at)? != PT_LOAD {
                continue;
            }
            let offset = u32_at(bytes, at + 4)? as usize;
            let vaddr = u32_at(bytes, at + 8)?;
            let file_size = u32_at(bytes, at + 16)? as usize;
            let mem_size = u32_at(bytes, at + 20)?;
            let seg_flags = u32_at(bytes, at + 24)?;
            if file_size > mem_size as usize {
                return Err(ElfError::BadSegment {
                    index,
                    reason: "file size exceeds memory size",
                });
            }
            if vaddr as u64 + mem_size as u64 > 1 << 32 {
                return Err(ElfError::BadSegment {
                    index,
                    reason: "ends past 4 GiB",
                });
            }
            let data = offset
                .checked_add(file_size)
                .and_then(|end| bytes.get(offset..end))
                .ok_or(ElfError::BadSegment {
                    index,
                    reason: "file bytes past the end of the file",
                })?;
            segments.push(Segment {
                vaddr,
                data: data.to_vec(),
                mem_size,
                executable: seg_flags & PF_X != 0,
            });
        }
        if segments.is_empty() {
            return Err(ElfError::Unsupported("no PT_LOAD segment".into()));
        }
        Ok(Self { entry, segments })
    }

    /// Memory holding every segment at its address.
    pub fn memory(&self) -> Result<Memory, ElfError> {
        let mut mem = Memory::new()?;
        for s in &self.segments {
            mem.write_bytes(s.vaddr, &s.data);
        }
        Ok(mem)
    }

    /// A machine at the entry point with `sp` = 0x4000_0000 and the code range pre-decoded.
    pub fn machine(&self) -> Result<Machine, ElfError> {
        let mut m = Machine::new(self.memory()?, self.entry, STACK_TOP);
        let exec = self.segments.iter().filter(|s| s.executable);
        let lo = exec.clone().map(|s| s.vaddr).min();
        let hi = exec.map(|s| s.vaddr as u64 + s.mem_size as u64).max();
        if let (Some(lo), Some(hi)) = (lo, hi) {
            m.set_code_range(lo, (hi - lo as u64).min(u32::MAX as u64) as u32);
        }
        Ok(m)
    }

    /// The program root: root of slot 0 with the image loaded (meaningful when every segment
    /// lies in slot 0, as the guest's do).
    pub fn program_root(&self) -> Result<Hash, ElfError> {
        Ok(self.memory()?.slot_root(PROGRAM_SLOT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal ELF: one executable segment at 0x1000 holding `code`.
    pub(crate) fn tiny_elf(code: &[u32]) -> Vec<u8> {
        let mut b = vec![0u8; 84];
        b[..4].copy_from_slice(b"\x7fELF");
        b[4] = 1;
        b[5] = 1;
        b[6] = 1;
        b[16..18].copy_from_slice(&ET_EXEC.to_le_bytes());
        b[18..20].copy_from_slice(&EM_RISCV.to_le_bytes());
        b[24..28].copy_from_slice(&0x1000u32.to_le_bytes());
        b[28..32].copy_from_slice(&52u32.to_le_bytes());
        b[42..44].copy_from_slice(&32u16.to_le_bytes());
        b[44..46].copy_from_slice(&1u16.to_le_bytes());
        let size = (code.len() * 4) as u32;
        let ph = [PT_LOAD, 84, 0x1000, 0x1000, size, size, PF_X | 4, 4];
        for (i, v) in ph.iter().enumerate() {
            b[52 + 4 * i..56 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        b.extend(code.iter().flat_map(|w| w.to_le_bytes()));
        b
    }

    #[test]
    fn loads_and_runs() {
        let elf = tiny_elf(&[0x02A0_0513, 0x05D0_0893, 0x0000_0073]);
        let p = Program::parse(&elf).unwrap();
        let mut m = p.machine().unwrap();
        m.run(10);
        assert_eq!(m.status(), crate::Status::Exited(42));
        assert_eq!(m.reg(2), STACK_TOP);
    }

    #[test]
    fn malformed_files_are_errors() {
        let elf = tiny_elf(&[0x0000_0073]);
        for len in 0..elf.len() {
            assert!(Program::parse(&elf[..len]).is_err(), "truncated to {len}");
        }
        let mut bad = elf.clone();
        bad[4] = 2;
        assert!(matches!(
            Program::parse(&bad),
            Err(ElfError::Unsupported(_))
        ));
        let mut bad = elf.clone();
        bad[36] = 1;
        assert!(matches!(
            Program::parse(&bad),
            Err(ElfError::Unsupported(_))
        ));
        let mut bad = elf.clone();
        bad[52 + 4..52 + 8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            Program::parse(&bad),
            Err(ElfError::BadSegment { .. })
        ));
        let mut bad = elf.clone();
        bad[28..32].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Program::parse(&bad).is_err());
        assert!(matches!(
            Program::parse(b"hello world, this is not an ELF file at all, not even close"),
            Err(ElfError::BadMagic)
        ));
    }
}
