//! The fast interpreter: pre-decoded instructions, registers in an array, memory accessed
//! directly. It keeps no proof bookkeeping; `proof.rs` adds that for single steps, and the
//! literal verifier in `verify.rs` checks that both agree.
//!
//! The hot loop, [`fast_loop`], takes registers, memory bytes, page flags and decoded code as
//! separate borrows so that guest stores cannot alias anything it keeps in host registers. It
//! hands every rare case back to [`Machine::execute_slow`], which runs one instruction with the
//! full bookkeeping.

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
    /// x0..x31, then the write sink for x0 at index 32; 256 entries so that indexing with a
    /// `u8` needs no bounds check.
    regs: [u32; 256],
    pc: u32,
    step: u64,
    status: Status,
    mem: Memory,
    code_base: u32,
    /// Decoded instructions of `code_base..code_base + 4·len`, kept current: a store into the
    /// range decodes the words it touched again.
    code: Vec<Insn>,
    output: Option<Vec<u8>>,
}

/// The decoded form the interpreter keeps: writes to x0 go to the sink.
fn cached(mut insn: Insn) -> Insn {
    if insn.rd == 0 {
        insn.rd = SINK;
    }
    insn
}

impl Machine {
    /// A machine at `pc` over `mem`, with every register zero except `sp`.
    pub fn new(mem: Memory, pc: u32, sp: u32) -> Self {
        let mut regs = [0u32; 32];
        regs[2] = sp;
        Self::from_parts(mem, pc, regs, 0, Status::Running)
    }

    /// A machine in an arbitrary state (`regs[0]` is ignored).
    pub fn from_parts(mem: Memory, pc: u32, regs: [u32; 32], step: u64, status: Status) -> Self {
        let mut all = [0u32; 256];
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

    /// Pre-decodes the instructions of `base..base + len` (a hint: any address runs).
    pub fn set_code_range(&mut self, base: u32, len: u32) {
        let len = len.min(MAX_CACHED_CODE) & !3;
        let base = base & !3;
        self.code_base = base;
        self.code = (0..len / 4)
            .map(|i| cached(decode(self.mem.read_u32(base.wrapping_add(4 * i)))))
            .collect();
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

    /// The memory, mutably. Writes here bypass the decode cache: make them before
    /// [`Machine::set_code_range`], or outside the code range.
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

    /// Runs until the machine halts or `max_steps` more instructions ran; returns how many ran.
    pub fn run(&mut self, max_steps: u64) -> u64 {
        if self.status.is_halted() {
            return 0;
        }
        let mut left = max_steps;
        while left > 0 && !self.status.is_halted() {
            let (bytes, flags) = self.mem.fast_parts();
            let exit = fast_loop(
                &mut self.regs,
                &mut self.pc,
                &mut left,
                bytes,
                flags,
                &self.code,
                self.code_base,
            );
            match exit {
                Exit::Budget => break,
                Exit::Fetch => {
                    left -= 1;
                    self.execute_uncached();
                }
                Exit::Slow(insn) => {
                    left -= 1;
                    self.execute_slow(insn);
                }
            }
        }
        let executed = max_steps - left;
        self.step = self.step.wrapping_add(executed);
        executed
    }

    /// Executes one instruction at a pc outside the decode cache.
    #[cold]
    #[inline(never)]
    fn execute_uncached(&mut self) {
        let pc = self.pc;
        if pc & 3 != 0 {
            self.status = Status::Faulted(Fault::InstructionAddressMisaligned);
            return;
        }
        let insn = cached(decode(self.mem.read_u32(pc)));
        // Run it from a one-entry cache at pc.
        let (bytes, flags) = self.mem.fast_parts();
        let mut one = 1;
        if let Exit::Slow(insn) = fast_loop(
            &mut self.regs,
            &mut self.pc,
            &mut one,
            bytes,
            flags,
            &[insn],
            pc,
        ) {
            self.execute_slow(insn);
        }
    }

    /// Executes one instruction the fast loop handed back: a store that needs bookkeeping,
    /// an access that wraps around 4 GiB, a system instruction, or an illegal one.
    #[cold]
    #[inline(never)]
    fn execute_slow(&mut self, insn: Insn) {
        use InsnKind::*;
        let r = &mut self.regs;
        let rd = insn.rd as usize;
        let a = r[insn.rs1 as usize];
        let b = r[insn.rs2 as usize];
        let addr = a.wrapping_add(insn.imm);
        match insn.kind {
            Lb => r[rd] = self.mem.read_u8(addr) as i8 as u32,
            Lh => r[rd] = self.mem.read_u16(addr) as i16 as u32,
            Lw => r[rd] = self.mem.read_u32(addr),
            Lbu => r[rd] = self.mem.read_u8(addr) as u32,
            Lhu => r[rd] = self.mem.read_u16(addr) as u32,
            Sb => self.store::<1>(addr, b),
            Sh => self.store::<2>(addr, b),
            Sw => self.store::<4>(addr, b),
            Ecall => match r[17] {
                SYS_EXIT => return self.status = Status::Exited(r[10]),
                SYS_WRITE => {
                    let (fd, buf, len) = (r[10], r[11], r[12]);
                    r[10] = len;
                    self.record_output(fd, buf, len);
                }
                _ => return self.status = Status::Faulted(Fault::UnsupportedSyscall),
            },
            Ebreak => return self.status = Status::Faulted(Fault::Breakpoint),
            Illegal => return self.status = Status::Faulted(Fault::IllegalInstruction),
            other => unreachable!("{other:?} never leaves the fast loop"),
        }
        self.pc = self.pc.wrapping_add(4);
    }

    /// Writes `W` bytes with bookkeeping, and decodes again the cached words they overlap.
    fn store<const W: usize>(&mut self, addr: u32, value: u32) {
        self.mem.write_le::<W>(addr, value);
        let len = (self.code.len() as u32) << 2;
        for a in [addr, addr.wrapping_add(W as u32 - 1)] {
            let off = a.wrapping_sub(self.code_base);
            if off < len {
                let word = self.code_base.wrapping_add(off & !3);
                self.code[(off >> 2) as usize] = cached(decode(self.mem.read_u32(word)));
            }
        }
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

/// Why [`fast_loop`] handed control back.
enum Exit {
    /// The step budget is spent.
    Budget,
    /// pc is not in the decode cache.
    Fetch,
    /// This instruction, not yet executed, needs [`Machine::execute_slow`].
    Slow(Insn),
}

/// The hot loop: executes instructions from the decode cache until the budget ends, pc leaves
/// the cache, or an instruction needs the slow path. Stores go direct only into pages whose
/// bookkeeping is done and outside the cached code.
#[inline(never)]
fn fast_loop(
    regs: &mut [u32; 256],
    pc_out: &mut u32,
    left_out: &mut u64,
    bytes: &mut [u8],
    flags: &[u8],
    code: &[Insn],
    code_base: u32,
) -> Exit {
    use InsnKind::*;
    let mut r = *regs;
    let mut pc = *pc_out;
    let mut left = *left_out;
    let span = (code.len() as u32) << 2;
    let exit = loop {
        if left == 0 {
            break Exit::Budget;
        }
        let Some(&insn) = code.get(pc.wrapping_sub(code_base).rotate_right(2) as usize) else {
            break Exit::Fetch;
        };
        let rd = insn.rd as usize;
        let a = r[insn.rs1 as usize];
        let b = r[insn.rs2 as usize];
        let imm = insn.imm;
        let addr = a.wrapping_add(imm) as usize;
        macro_rules! load {
            ($n:literal, $conv:expr) => {
                match bytes.get(addr..addr + $n) {
                    Some(s) => r[rd] = $conv(s.try_into().expect("width")),
                    None => break Exit::Slow(insn),
                }
            };
        }
        macro_rules! store {
            ($n:literal) => {{
                let code_off = (addr as u32).wrapping_sub(code_base).wrapping_add($n - 1);
                if addr + $n > bytes.len()
                    || (addr & 0xFFF) + $n > 4096
                    || !Memory::is_marked(flags, addr >> 12)
                    || code_off < span + ($n - 1)
                {
                    break Exit::Slow(insn);
                }
                bytes[addr..addr + $n].copy_from_slice(&b.to_le_bytes()[..$n]);
            }};
        }
        let branch = |taken: bool| {
            if taken {
                pc.wrapping_add(imm)
            } else {
                pc.wrapping_add(4)
            }
        };
        pc = match insn.kind {
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
            kind => {
                match kind {
                    Lui => r[rd] = imm,
                    Auipc => r[rd] = pc.wrapping_add(imm),
                    Lb => load!(1, |v: [u8; 1]| v[0] as i8 as u32),
                    Lh => load!(2, |v: [u8; 2]| i16::from_le_bytes(v) as u32),
                    Lw => load!(4, u32::from_le_bytes),
                    Lbu => load!(1, |v: [u8; 1]| v[0] as u32),
                    Lhu => load!(2, |v: [u8; 2]| u16::from_le_bytes(v) as u32),
                    Sb => store!(1),
                    Sh => store!(2),
                    Sw => store!(4),
                    Addi => r[rd] = a.wrapping_add(imm),
                    Slti => r[rd] = ((a as i32) < (imm as i32)) as u32,
                    Sltiu => r[rd] = (a < imm) as u32,
                    Xori => r[rd] = a ^ imm,
                    Ori => r[rd] = a | imm,
                    Andi => r[rd] = a & imm,
                    Slli => r[rd] = a << imm,
                    Srli => r[rd] = a >> imm,
                    Srai => r[rd] = ((a as i32) >> imm) as u32,
                    Add => r[rd] = a.wrapping_add(b),
                    Sub => r[rd] = a.wrapping_sub(b),
                    Sll => r[rd] = a << (b & 31),
                    Slt => r[rd] = ((a as i32) < (b as i32)) as u32,
                    Sltu => r[rd] = (a < b) as u32,
                    Xor => r[rd] = a ^ b,
                    Srl => r[rd] = a >> (b & 31),
                    Sra => r[rd] = ((a as i32) >> (b & 31)) as u32,
                    Or => r[rd] = a | b,
                    And => r[rd] = a & b,
                    Mul => r[rd] = a.wrapping_mul(b),
                    Mulh => r[rd] = mulh(a, b),
                    Mulhsu => r[rd] = mulhsu(a, b),
                    Mulhu => r[rd] = mulhu(a, b),
                    Div => r[rd] = div(a, b),
                    Divu => r[rd] = divu(a, b),
                    Rem => r[rd] = rem(a, b),
                    Remu => r[rd] = remu(a, b),
                    Fence => {}
                    _ => break Exit::Slow(insn),
                }
                pc.wrapping_add(4)
            }
        };
        left -= 1;
    };
    *regs = r;
    *pc_out = pc;
    *left_out = left;
    exit
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
