//! The fast interpreter: pre-decoded instructions, registers in an array, memory accessed
//! directly. It keeps no proof bookkeeping; `proof.rs` adds that for single steps, and the
//! literal verifier in `verify.rs` checks that both agree.

use crate::decode::{decode, div, divu, mulh, mulhsu, mulhu, rem, remu, Insn, InsnKind};
use crate::memory::Memory;
use crate::state::{Fault, Status, VmState};

/// `a7` value of the exit system call.
pub const SYS_EXIT: u32 = 93;
/// `a7` value of the write system call (a no-op that returns a2).
pub const SYS_WRITE: u32 = 64;

/// Register index that swallows writes to x0 in the decoded cache.
const SINK: u8 = 32;
/// Largest code range the decode cache covers (larger programs run from the slow path).
const MAX_CACHED_CODE: u32 = 64 << 20;
/// Most bytes of guest writes kept per run.
const MAX_OUTPUT: usize = 1 << 20;

/// A running RV32IM machine.
pub struct Machine {
    /// x0..x31, then the write sink for x0 at index 32; 64 entries so that a masked u8 index
    /// needs no bounds check.
    regs: [u32; 64],
    pc: u32,
    step: u64,
    status: Status,
    mem: Memory,
    code_base: u32,
    /// Decoded instructions of `code_base..code_base + 4·len`; an `Illegal` entry means
    /// "decode again from memory" (stores into code reset entries to it).
    code: Vec<Insn>,
    output: Option<Vec<u8>>,
}

fn cached(mut insn: Insn) -> Insn {
    if insn.rd == 0 {
        insn.rd = SINK;
    }
    insn
}

const UNDECODED: Insn = Insn {
    kind: InsnKind::Illegal,
    rd: 0,
    rs1: 0,
    rs2: 0,
    imm: 0,
};

impl Machine {
    /// A machine at `pc` over `mem`, with every register zero except `sp`.
    pub fn new(mem: Memory, pc: u32, sp: u32) -> Self {
        let mut regs = [0u32; 32];
        regs[2] = sp;
        Self::from_parts(mem, pc, regs, 0, Status::Running)
    }

    /// A machine in an arbitrary state (`regs[0]` is ignored).
    pub fn from_parts(mem: Memory, pc: u32, regs: [u32; 32], step: u64, status: Status) -> Self {
        let mut all = [0u32; 64];
        all[1..32].copy_from_slice(&regs[1..]);
        Self {
            regs: all,
            pc,
            step,
            status,
            mem,
            code_base: 0,
            code: Vec::new(),
            output: None,
        }
    }

    /// Pre-decodes lazily the instructions of `base..base + len` (a hint: any address runs).
    pub fn set_code_range(&mut self, base: u32, len: u32) {
        let len = len.min(MAX_CACHED_CODE) & !3;
        self.code_base = base & !3;
        self.code = vec![UNDECODED; (len / 4) as usize];
    }

    /// The code range given to [`Machine::set_code_range`].
    pub fn code_range(&self) -> (u32, u32) {
        (self.code_base, (self.code.len() * 4) as u32)
    }

    /// Keeps what the guest writes with the write system call (fd 1 and 2), for debugging.
    pub fn capture_output(&mut self) {
        self.output = Some(Vec::new());
    }

    /// What the guest wrote so far, if captured.
    pub fn take_output(&mut self) -> Vec<u8> {
        self.output.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Program counter.
    pub fn pc(&self) -> u32 {
        self.pc
    }

    /// Instructions executed.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Running or halted.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Register x`i` (x0 reads 0).
    pub fn reg(&self, i: usize) -> u32 {
        if i == 0 {
            0
        } else {
            self.regs[i]
        }
    }

    /// x0..x31.
    pub fn regs(&self) -> [u32; 32] {
        std::array::from_fn(|i| self.reg(i))
    }

    /// The memory.
    pub fn memory(&self) -> &Memory {
        &self.mem
    }

    /// The memory, mutably (writes bypass the decode cache: use before running).
    pub fn memory_mut(&mut self) -> &mut Memory {
        &mut self.mem
    }

    /// The packed-state view (computes the memory root).
    pub fn state(&mut self) -> VmState {
        VmState {
            mem_root: self.mem.root(),
            pc: self.pc,
            step: self.step,
            status: self.status,
            regs: self.regs(),
        }
    }

    /// Decodes at `pc` from memory, refreshing the cache entry when `pc` is cached.
    #[cold]
    fn fetch_slow(&mut self, pc: u32) -> Result<Insn, Fault> {
        if pc & 3 != 0 {
            return Err(Fault::InstructionAddressMisaligned);
        }
        let insn = cached(decode(self.mem.read_u32(pc)));
        if insn.kind == InsnKind::Illegal {
            return Err(Fault::IllegalInstruction);
        }
        if let Some(slot) = self
            .code
            .get_mut((pc.wrapping_sub(self.code_base) >> 2) as usize)
        {
            if pc >= self.code_base {
                *slot = insn;
            }
        }
        Ok(insn)
    }

    /// Drops cached decodes of the words that bytes `addr..addr + width` overlap.
    #[inline(always)]
    fn invalidate(&mut self, addr: u32, width: u32) {
        let len = (self.code.len() as u32) << 2;
        for a in [addr, addr.wrapping_add(width - 1)] {
            let off = a.wrapping_sub(self.code_base);
            if off < len {
                self.code[(off >> 2) as usize] = UNDECODED;
            }
        }
    }

    /// Runs until the machine halts or `max_steps` more instructions ran; returns how many ran.
    pub fn run(&mut self, max_steps: u64) -> u64 {
        use InsnKind::*;
        if self.status.is_halted() {
            return 0;
        }
        let mut r = self.regs;
        let mut pc = self.pc;
        let mut left = max_steps;
        let halt = loop {
            if left == 0 {
                break None;
            }
            left -= 1;
            let idx = pc.wrapping_sub(self.code_base).rotate_right(2) as usize;
            let mut insn = self.code.get(idx).copied().unwrap_or(UNDECODED);
            if insn.kind == Illegal {
                insn = match self.fetch_slow(pc) {
                    Ok(i) => i,
                    Err(fault) => break Some(Status::Faulted(fault)),
                };
            }
            let rd = (insn.rd & 63) as usize;
            let a = r[(insn.rs1 & 63) as usize];
            let b = r[(insn.rs2 & 63) as usize];
            let imm = insn.imm;
            let branch = |taken: bool| {
                if taken {
                    pc.wrapping_add(imm)
                } else {
                    pc.wrapping_add(4)
                }
            };
            pc = match insn.kind {
                Lui => {
                    r[rd] = imm;
                    pc.wrapping_add(4)
                }
                Auipc => {
                    r[rd] = pc.wrapping_add(imm);
                    pc.wrapping_add(4)
                }
                Jal => {
                    r[rd] = pc.wrapping_add(4);
                    pc.wrapping_add(imm)
                }
                Jalr => {
                    r[rd] = pc.wrapping_add(4);
                    a.wrapping_add(imm) & !1
                }
                Beq => branch(a == b),
                Bne => branch(a != b),
                Blt => branch((a as i32) < (b as i32)),
                Bge => branch((a as i32) >= (b as i32)),
                Bltu => branch(a < b),
                Bgeu => branch(a >= b),
                Sb | Sh | Sw => {
                    let width = match insn.kind {
                        Sb => 1,
                        Sh => 2,
                        _ => 4,
                    };
                    let addr = a.wrapping_add(imm);
                    self.mem.write_le(addr, b, width);
                    self.invalidate(addr, width);
                    pc.wrapping_add(4)
                }
                Ecall => match r[17] {
                    SYS_EXIT => break Some(Status::Exited(r[10])),
                    SYS_WRITE => {
                        let (fd, buf, len) = (r[10], r[11], r[12]);
                        r[10] = len;
                        self.record_output(fd, buf, len);
                        pc.wrapping_add(4)
                    }
                    _ => break Some(Status::Faulted(Fault::UnsupportedSyscall)),
                },
                Ebreak => break Some(Status::Faulted(Fault::Breakpoint)),
                Fence => pc.wrapping_add(4),
                kind => {
                    r[rd] = match kind {
                        Lb => self.mem.read_u8(a.wrapping_add(imm)) as i8 as u32,
                        Lh => self.mem.read_u16(a.wrapping_add(imm)) as i16 as u32,
                        Lw => self.mem.read_u32(a.wrapping_add(imm)),
                        Lbu => self.mem.read_u8(a.wrapping_add(imm)) as u32,
                        Lhu => self.mem.read_u16(a.wrapping_add(imm)) as u32,
                        Addi => a.wrapping_add(imm),
                        Slti => ((a as i32) < (imm as i32)) as u32,
                        Sltiu => (a < imm) as u32,
                        Xori => a ^ imm,
                        Ori => a | imm,
                        Andi => a & imm,
                        Slli => a << imm,
                        Srli => a >> imm,
                        Srai => ((a as i32) >> imm) as u32,
                        Add => a.wrapping_add(b),
                        Sub => a.wrapping_sub(b),
                        Sll => a << (b & 31),
                        Slt => ((a as i32) < (b as i32)) as u32,
                        Sltu => (a < b) as u32,
                        Xor => a ^ b,
                        Srl => a >> (b & 31),
                        Sra => ((a as i32) >> (b & 31)) as u32,
                        Or => a | b,
                        And => a & b,
                        Mul => a.wrapping_mul(b),
                        Mulh => mulh(a, b),
                        Mulhsu => mulhsu(a, b),
                        Mulhu => mulhu(a, b),
                        Div => div(a, b),
                        Divu => divu(a, b),
                        Rem => rem(a, b),
                        Remu => remu(a, b),
                        _ => unreachable!("handled above or faulted in fetch"),
                    };
                    pc.wrapping_add(4)
                }
            };
        };
        // A halting instruction counts as a step but leaves pc where it was.
        let executed = match halt {
            Some(status) => {
                self.status = status;
                max_steps - left
            }
            None => max_steps,
        };
        r[0] = 0;
        self.regs = r;
        self.pc = pc;
        self.step += executed;
        executed
    }

    fn record_output(&mut self, fd: u32, buf: u32, len: u32) {
        let Some(out) = self.output.as_mut() else {
            return;
        };
        if fd == 1 || fd == 2 {
            let room = MAX_OUTPUT.saturating_sub(out.len()).min(len as usize);
            out.extend((0..room as u32).map(|i| self.mem.read_u8(buf.wrapping_add(i))));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(program: &[u32]) -> Machine {
        let mut mem = Memory::new().unwrap();
        let bytes: Vec<u8> = program.iter().flat_map(|w| w.to_le_bytes()).collect();
        mem.write_bytes(0x1000, &bytes);
        let mut m = Machine::new(mem, 0x1000, 0x4000_0000);
        m.set_code_range(0x1000, bytes.len() as u32);
        m
    }

    #[test]
    fn exit_with_code() {
        // li a0, 42; li a7, 93; ecall
        let mut m = machine(&[0x02A0_0513, 0x05D0_0893, 0x0000_0073]);
        assert_eq!(m.run(100), 3);
        assert_eq!(m.status(), Status::Exited(42));
        assert_eq!(m.pc(), 0x1008);
        assert_eq!(m.run(100), 0, "a halted machine does not move");
    }

    #[test]
    fn self_modifying_code_is_seen() {
        // 0x1000: auipc t0, 0          t0 = 0x1000
        // 0x1004: lui t1, 0x02a00      t1 = 0x02a00000 (upper part of `li a0, 42`)
        // 0x1008: addi t1, t1, 0x513   t1 = 0x02a00513 = addi a0, x0, 42
        // 0x100c: sw t1, 20(t0)        overwrite the word at 0x1014
        // 0x1010: li a7, 93
        // 0x1014: li a0, 7             replaced by li a0, 42
        // 0x1018: ecall
        let mut m = machine(&[
            0x0000_0297,
            0x02A0_0337,
            0x5133_0313,
            0x0062_AA23,
            0x05D0_0893,
            0x0070_0513,
            0x0000_0073,
        ]);
        m.run(100);
        assert_eq!(m.status(), Status::Exited(42));
    }

    #[test]
    fn faults_stop_without_moving_pc() {
        let mut m = machine(&[0x0010_0073]);
        assert_eq!(m.run(10), 1);
        assert_eq!(
            (m.status(), m.pc(), m.step()),
            (Status::Faulted(Fault::Breakpoint), 0x1000, 1)
        );
        let mut m = machine(&[0x0000_0000]);
        m.run(10);
        assert_eq!(m.status(), Status::Faulted(Fault::IllegalInstruction));
        // jalr x0, 2(x0) lands on a misaligned pc, which faults at the next fetch.
        let mut m = machine(&[0x0020_0067]);
        m.run(10);
        assert_eq!(
            (m.status(), m.pc(), m.step()),
            (Status::Faulted(Fault::InstructionAddressMisaligned), 2, 2)
        );
    }
}
