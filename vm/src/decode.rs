//! RV32IM decoding for the fast interpreter: one instruction word into an [`Insn`].
//!
//! The literal verifier in `verify.rs` decodes on its own, field by field, the way the contract
//! does; the two are kept equal by differential tests.

/// What an instruction does. `imm` is the sign-extended immediate (shift amount for shifts).
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is documented by its semantics line
pub enum InsnKind {
    /// rd ← imm (upper 20 bits)
    Lui,
    /// rd ← pc + imm
    Auipc,
    /// rd ← pc + 4; pc ← pc + imm
    Jal,
    /// rd ← pc + 4; pc ← (rs1 + imm) & !1
    Jalr,
    /// if rs1 == rs2: pc ← pc + imm
    Beq,
    /// if rs1 != rs2: pc ← pc + imm
    Bne,
    /// if rs1 <s rs2: pc ← pc + imm
    Blt,
    /// if rs1 >=s rs2: pc ← pc + imm
    Bge,
    /// if rs1 <u rs2: pc ← pc + imm
    Bltu,
    /// if rs1 >=u rs2: pc ← pc + imm
    Bgeu,
    /// rd ← sext(mem8[rs1 + imm])
    Lb,
    /// rd ← sext(mem16[rs1 + imm])
    Lh,
    /// rd ← mem32[rs1 + imm]
    Lw,
    /// rd ← zext(mem8[rs1 + imm])
    Lbu,
    /// rd ← zext(mem16[rs1 + imm])
    Lhu,
    /// mem8[rs1 + imm] ← rs2
    Sb,
    /// mem16[rs1 + imm] ← rs2
    Sh,
    /// mem32[rs1 + imm] ← rs2
    Sw,
    /// rd ← rs1 + imm
    Addi,
    /// rd ← rs1 <s imm
    Slti,
    /// rd ← rs1 <u imm
    Sltiu,
    /// rd ← rs1 ^ imm
    Xori,
    /// rd ← rs1 | imm
    Ori,
    /// rd ← rs1 & imm
    Andi,
    /// rd ← rs1 << shamt
    Slli,
    /// rd ← rs1 >>u shamt
    Srli,
    /// rd ← rs1 >>s shamt
    Srai,
    /// rd ← rs1 + rs2
    Add,
    /// rd ← rs1 - rs2
    Sub,
    /// rd ← rs1 << (rs2 & 31)
    Sll,
    /// rd ← rs1 <s rs2
    Slt,
    /// rd ← rs1 <u rs2
    Sltu,
    /// rd ← rs1 ^ rs2
    Xor,
    /// rd ← rs1 >>u (rs2 & 31)
    Srl,
    /// rd ← rs1 >>s (rs2 & 31)
    Sra,
    /// rd ← rs1 | rs2
    Or,
    /// rd ← rs1 & rs2
    And,
    /// rd ← low32(rs1 × rs2)
    Mul,
    /// rd ← high32(s(rs1) × s(rs2))
    Mulh,
    /// rd ← high32(s(rs1) × u(rs2))
    Mulhsu,
    /// rd ← high32(u(rs1) × u(rs2))
    Mulhu,
    /// rd ← rs1 /s rs2 (÷0 → −1; INT_MIN ÷ −1 → INT_MIN)
    Div,
    /// rd ← rs1 /u rs2 (÷0 → 2^32−1)
    Divu,
    /// rd ← rs1 %s rs2 (÷0 → rs1; INT_MIN % −1 → 0)
    Rem,
    /// rd ← rs1 %u rs2 (÷0 → rs1)
    Remu,
    /// `fence` / `fence.i`: no effect (fetch always reads current memory)
    Fence,
    /// system call: a7 = 93 exit(a0), a7 = 64 write (a0 ← a2), anything else faults
    Ecall,
    /// halts with fault Breakpoint
    Ebreak,
    /// halts with fault IllegalInstruction
    Illegal,
}

/// A decoded instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Insn {
    /// The operation.
    pub kind: InsnKind,
    /// Destination register (0..=31).
    pub rd: u8,
    /// First source register.
    pub rs1: u8,
    /// Second source register.
    pub rs2: u8,
    /// Immediate, sign-extended to 32 bits.
    pub imm: u32,
}

const fn sext(value: u32, bits: u32) -> u32 {
    (((value << (32 - bits)) as i32) >> (32 - bits)) as u32
}

/// The I-type immediate (bits 31:20), sign-extended.
pub const fn imm_i(w: u32) -> u32 {
    sext(w >> 20, 12)
}
/// The S-type immediate, sign-extended.
pub const fn imm_s(w: u32) -> u32 {
    sext(((w >> 25) << 5) | ((w >> 7) & 0x1F), 12)
}
/// The B-type immediate, sign-extended.
pub const fn imm_b(w: u32) -> u32 {
    let v = ((w >> 31) << 12)
        | (((w >> 7) & 1) << 11)
        | (((w >> 25) & 0x3F) << 5)
        | (((w >> 8) & 0xF) << 1);
    sext(v, 13)
}
/// The U-type immediate (upper 20 bits in place).
pub const fn imm_u(w: u32) -> u32 {
    w & 0xFFFF_F000
}
/// The J-type immediate, sign-extended.
pub const fn imm_j(w: u32) -> u32 {
    let v = ((w >> 31) << 20)
        | (((w >> 12) & 0xFF) << 12)
        | (((w >> 20) & 1) << 11)
        | (((w >> 21) & 0x3FF) << 1);
    sext(v, 21)
}

/// Decodes one instruction word. Never fails: unknown encodings decode to [`InsnKind::Illegal`].
pub fn decode(w: u32) -> Insn {
    use InsnKind::*;
    let rd = ((w >> 7) & 0x1F) as u8;
    let rs1 = ((w >> 15) & 0x1F) as u8;
    let rs2 = ((w >> 20) & 0x1F) as u8;
    let f3 = (w >> 12) & 7;
    let f7 = w >> 25;
    let insn = |kind, imm| Insn {
        kind,
        rd,
        rs1,
        rs2,
        imm,
    };
    match w & 0x7F {
        0x37 => insn(Lui, imm_u(w)),
        0x17 => insn(Auipc, imm_u(w)),
        0x6F => insn(Jal, imm_j(w)),
        0x67 if f3 == 0 => insn(Jalr, imm_i(w)),
        0x63 => {
            let kind = match f3 {
                0 => Beq,
                1 => Bne,
                4 => Blt,
                5 => Bge,
                6 => Bltu,
                7 => Bgeu,
                _ => Illegal,
            };
            insn(kind, imm_b(w))
        }
        0x03 => {
            let kind = match f3 {
                0 => Lb,
                1 => Lh,
                2 => Lw,
                4 => Lbu,
                5 => Lhu,
                _ => Illegal,
            };
            insn(kind, imm_i(w))
        }
        0x23 => {
            let kind = match f3 {
                0 => Sb,
                1 => Sh,
                2 => Sw,
                _ => Illegal,
            };
            insn(kind, imm_s(w))
        }
        0x13 => {
            let shamt = (w >> 20) & 0x1F;
            match (f3, f7) {
                (0, _) => insn(Addi, imm_i(w)),
                (2, _) => insn(Slti, imm_i(w)),
                (3, _) => insn(Sltiu, imm_i(w)),
                (4, _) => insn(Xori, imm_i(w)),
                (6, _) => insn(Ori, imm_i(w)),
                (7, _) => insn(Andi, imm_i(w)),
                (1, 0x00) => insn(Slli, shamt),
                (5, 0x00) => insn(Srli, shamt),
                (5, 0x20) => insn(Srai, shamt),
                _ => insn(Illegal, 0),
            }
        }
        0x33 => {
            let kind = match (f7, f3) {
                (0x00, 0) => Add,
                (0x20, 0) => Sub,
                (0x00, 1) => Sll,
                (0x00, 2) => Slt,
                (0x00, 3) => Sltu,
                (0x00, 4) => Xor,
                (0x00, 5) => Srl,
                (0x20, 5) => Sra,
                (0x00, 6) => Or,
                (0x00, 7) => And,
                (0x01, 0) => Mul,
                (0x01, 1) => Mulh,
                (0x01, 2) => Mulhsu,
                (0x01, 3) => Mulhu,
                (0x01, 4) => Div,
                (0x01, 5) => Divu,
                (0x01, 6) => Rem,
                (0x01, 7) => Remu,
                _ => Illegal,
            };
            insn(kind, 0)
        }
        0x0F if f3 <= 1 => insn(Fence, 0),
        0x73 if w == 0x0000_0073 => insn(Ecall, 0),
        0x73 if w == 0x0010_0073 => insn(Ebreak, 0),
        _ => insn(Illegal, 0),
    }
}

/// rd of `mulh`: high 32 bits of signed × signed.
#[inline(always)]
pub fn mulh(a: u32, b: u32) -> u32 {
    ((a as i32 as i64 * b as i32 as i64) >> 32) as u32
}
/// rd of `mulhsu`: high 32 bits of signed × unsigned.
#[inline(always)]
pub fn mulhsu(a: u32, b: u32) -> u32 {
    ((a as i32 as i64).wrapping_mul(b as i64) >> 32) as u32
}
/// rd of `mulhu`: high 32 bits of unsigned × unsigned.
#[inline(always)]
pub fn mulhu(a: u32, b: u32) -> u32 {
    ((a as u64 * b as u64) >> 32) as u32
}
/// rd of `div`: ÷0 gives −1, INT_MIN ÷ −1 gives INT_MIN.
#[inline(always)]
pub fn div(a: u32, b: u32) -> u32 {
    match (a as i32, b as i32) {
        (_, 0) => u32::MAX,
        (x, y) => x.wrapping_div(y) as u32,
    }
}
/// rd of `divu`: ÷0 gives 2^32 − 1.
#[inline(always)]
pub fn divu(a: u32, b: u32) -> u32 {
    a.checked_div(b).unwrap_or(u32::MAX)
}
/// rd of `rem`: ÷0 gives the dividend, INT_MIN % −1 gives 0.
#[inline(always)]
pub fn rem(a: u32, b: u32) -> u32 {
    match (a as i32, b as i32) {
        (_, 0) => a,
        (x, y) => x.wrapping_rem(y) as u32,
    }
}
/// rd of `remu`: ÷0 gives the dividend.
#[inline(always)]
pub fn remu(a: u32, b: u32) -> u32 {
    a.checked_rem(b).unwrap_or(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn immediates() {
        // addi x1, x0, -1
        assert_eq!(
            decode(0xFFF0_0093),
            Insn {
                kind: InsnKind::Addi,
                rd: 1,
                rs1: 0,
                rs2: 31,
                imm: u32::MAX
            }
        );
        // sw x2, -4(x3)
        let s = decode(0xFE21_AE23);
        assert_eq!(
            (s.kind, s.rs1, s.rs2, s.imm as i32),
            (InsnKind::Sw, 3, 2, -4)
        );
        // beq x0, x0, -8
        let b = decode(0xFE00_0CE3);
        assert_eq!((b.kind, b.imm as i32), (InsnKind::Beq, -8));
        // jal x1, 2048
        let j = decode(0x0010_00EF);
        assert_eq!((j.kind, j.rd, j.imm), (InsnKind::Jal, 1, 2048));
    }

    #[test]
    fn illegal_encodings() {
        for w in [
            0x0000_0000u32, // all zero
            0xFFFF_FFFF,    // all ones
            0x0000_2067,    // jalr with funct3 = 2
            0x0000_2063,    // branch funct3 = 2
            0x0000_3003,    // load funct3 = 3 (ld)
            0x0000_3023,    // store funct3 = 3 (sd)
            0x4000_1013,    // slli with funct7 = 0x20
            0x0200_5013,    // srli with funct7 = 1
            0x0400_0033,    // OP with funct7 = 2
            0x4000_1033,    // sll with funct7 = 0x20
            0x0000_2073,    // csrrs
            0x3020_0073,    // mret
            0x1050_0073,    // wfi
            0x0000_200F,    // MISC-MEM funct3 = 2
            0x0000_4501,    // compressed c.li
        ] {
            assert_eq!(decode(w).kind, InsnKind::Illegal, "{w:#010x}");
        }
    }

    #[test]
    fn division_edge_cases() {
        let min = i32::MIN as u32;
        assert_eq!(div(7, 0), u32::MAX);
        assert_eq!(divu(7, 0), u32::MAX);
        assert_eq!(rem(7, 0), 7);
        assert_eq!(remu(7, 0), 7);
        assert_eq!(div(min, u32::MAX), min);
        assert_eq!(rem(min, u32::MAX), 0);
        assert_eq!(div((-7i32) as u32, 2), (-3i32) as u32);
        assert_eq!(rem((-7i32) as u32, 2), (-1i32) as u32);
        assert_eq!(mulh(min, min), 0x4000_0000);
        assert_eq!(mulhsu(u32::MAX, u32::MAX), u32::MAX);
        assert_eq!(mulhu(u32::MAX, u32::MAX), 0xFFFF_FFFE);
    }
}
