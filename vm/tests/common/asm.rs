//! A tiny RV32IM encoder for tests: the six instruction formats and one helper per instruction,
//! with assembler operand order (`addi(rd, rs1, imm)`, `sw(rs2, imm, rs1)` like `sw rs2, imm(rs1)`).
//!
//! Immediates are given as signed values and truncated to their field; U-type helpers take the
//! 20-bit immediate the way an assembler does (`lui(rd, 0xFFFFF)` loads 0xFFFF_F000).

/// Register numbers by ABI name.
pub(crate) mod reg {
    pub(crate) const ZERO: u32 = 0;
    pub(crate) const RA: u32 = 1;
    pub(crate) const SP: u32 = 2;
    pub(crate) const T0: u32 = 5;
    pub(crate) const T1: u32 = 6;
    pub(crate) const T2: u32 = 7;
    pub(crate) const S0: u32 = 8;
    pub(crate) const S1: u32 = 9;
    pub(crate) const A0: u32 = 10;
    pub(crate) const A1: u32 = 11;
    pub(crate) const A2: u32 = 12;
    pub(crate) const A7: u32 = 17;
    pub(crate) const S2: u32 = 18;
    pub(crate) const S3: u32 = 19;
    pub(crate) const S4: u32 = 20;
    pub(crate) const S5: u32 = 21;
    pub(crate) const S6: u32 = 22;
    pub(crate) const T3: u32 = 28;
    pub(crate) const T4: u32 = 29;
    pub(crate) const T5: u32 = 30;
    pub(crate) const T6: u32 = 31;
}

/// Major opcodes (bits 6:0).
pub(crate) mod opcode {
    pub(crate) const LUI: u32 = 0x37;
    pub(crate) const AUIPC: u32 = 0x17;
    pub(crate) const JAL: u32 = 0x6F;
    pub(crate) const JALR: u32 = 0x67;
    pub(crate) const BRANCH: u32 = 0x63;
    pub(crate) const LOAD: u32 = 0x03;
    pub(crate) const STORE: u32 = 0x23;
    pub(crate) const OP_IMM: u32 = 0x13;
    pub(crate) const OP: u32 = 0x33;
    pub(crate) const MISC_MEM: u32 = 0x0F;
    pub(crate) const SYSTEM: u32 = 0x73;
}

const fn check_reg(r: u32) -> u32 {
    assert!(r < 32, "register out of range");
    r
}

/// R-type: `funct7 | rs2 | rs1 | funct3 | rd | opcode`.
pub(crate) const fn r_type(
    opcode: u32,
    rd: u32,
    funct3: u32,
    rs1: u32,
    rs2: u32,
    funct7: u32,
) -> u32 {
    (funct7 & 0x7F) << 25
        | check_reg(rs2) << 20
        | check_reg(rs1) << 15
        | (funct3 & 7) << 12
        | check_reg(rd) << 7
        | (opcode & 0x7F)
}

/// I-type: 12-bit signed immediate in bits 31:20.
pub(crate) const fn i_type(opcode: u32, rd: u32, funct3: u32, rs1: u32, imm: i32) -> u32 {
    assert!(-2048 <= imm && imm < 2048, "I immediate out of range");
    ((imm as u32) & 0xFFF) << 20
        | check_reg(rs1) << 15
        | (funct3 & 7) << 12
        | check_reg(rd) << 7
        | (opcode & 0x7F)
}

/// S-type: 12-bit signed immediate split over bits 31:25 and 11:7.
pub(crate) const fn s_type(opcode: u32, funct3: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
    assert!(-2048 <= imm && imm < 2048, "S immediate out of range");
    let imm = imm as u32;
    ((imm >> 5) & 0x7F) << 25
        | check_reg(rs2) << 20
        | check_reg(rs1) << 15
        | (funct3 & 7) << 12
        | (imm & 0x1F) << 7
        | (opcode & 0x7F)
}

/// B-type: 13-bit signed, even offset.
pub(crate) const fn b_type(funct3: u32, rs1: u32, rs2: u32, offset: i32) -> u32 {
    assert!(
        -4096 <= offset && offset < 4096 && offset % 2 == 0,
        "B offset out of range"
    );
    let imm = offset as u32;
    ((imm >> 12) & 1) << 31
        | ((imm >> 5) & 0x3F) << 25
        | check_reg(rs2) << 20
        | check_reg(rs1) << 15
        | (funct3 & 7) << 12
        | ((imm >> 1) & 0xF) << 8
        | ((imm >> 11) & 1) << 7
        | opcode::BRANCH
}

/// U-type: the 20-bit immediate lands in bits 31:12.
pub(crate) const fn u_type(opcode: u32, rd: u32, imm20: u32) -> u32 {
    assert!(imm20 < 1 << 20, "U immediate out of range");
    imm20 << 12 | check_reg(rd) << 7 | (opcode & 0x7F)
}

/// J-type: 21-bit signed, even offset.
pub(crate) const fn j_type(rd: u32, offset: i32) -> u32 {
    assert!(
        -(1 << 20) <= offset && offset < (1 << 20) && offset % 2 == 0,
        "J offset out of range"
    );
    let imm = offset as u32;
    ((imm >> 20) & 1) << 31
        | ((imm >> 1) & 0x3FF) << 21
        | ((imm >> 11) & 1) << 20
        | ((imm >> 12) & 0xFF) << 12
        | check_reg(rd) << 7
        | opcode::JAL
}

macro_rules! op {
    ($($name:ident = $f3:expr, $f7:expr;)*) => {$(
        #[doc = concat!("`", stringify!($name), " rd, rs1, rs2`")]
        pub(crate) const fn $name(rd: u32, rs1: u32, rs2: u32) -> u32 {
            r_type(opcode::OP, rd, $f3, rs1, rs2, $f7)
        }
    )*};
}
op! {
    add = 0, 0x00; sub = 0, 0x20; sll = 1, 0x00; slt = 2, 0x00; sltu = 3, 0x00; xor = 4, 0x00;
    srl = 5, 0x00; sra = 5, 0x20; or = 6, 0x00; and = 7, 0x00;
    mul = 0, 0x01; mulh = 1, 0x01; mulhsu = 2, 0x01; mulhu = 3, 0x01;
    div = 4, 0x01; divu = 5, 0x01; rem = 6, 0x01; remu = 7, 0x01;
}

macro_rules! op_imm {
    ($($name:ident = $f3:expr;)*) => {$(
        #[doc = concat!("`", stringify!($name), " rd, rs1, imm`")]
        pub(crate) const fn $name(rd: u32, rs1: u32, imm: i32) -> u32 {
            i_type(opcode::OP_IMM, rd, $f3, rs1, imm)
        }
    )*};
}
op_imm! { addi = 0; slti = 2; sltiu = 3; xori = 4; ori = 6; andi = 7; }

/// `slli rd, rs1, shamt`
pub(crate) const fn slli(rd: u32, rs1: u32, shamt: u32) -> u32 {
    assert!(shamt < 32);
    r_type(opcode::OP_IMM, rd, 1, rs1, shamt, 0)
}
/// `srli rd, rs1, shamt`
pub(crate) const fn srli(rd: u32, rs1: u32, shamt: u32) -> u32 {
    assert!(shamt < 32);
    r_type(opcode::OP_IMM, rd, 5, rs1, shamt, 0)
}
/// `srai rd, rs1, shamt`
pub(crate) const fn srai(rd: u32, rs1: u32, shamt: u32) -> u32 {
    assert!(shamt < 32);
    r_type(opcode::OP_IMM, rd, 5, rs1, shamt, 0x20)
}

macro_rules! load {
    ($($name:ident = $f3:expr;)*) => {$(
        #[doc = concat!("`", stringify!($name), " rd, imm(rs1)`")]
        pub(crate) const fn $name(rd: u32, imm: i32, rs1: u32) -> u32 {
            i_type(opcode::LOAD, rd, $f3, rs1, imm)
        }
    )*};
}
load! { lb = 0; lh = 1; lw = 2; lbu = 4; lhu = 5; }

macro_rules! store {
    ($($name:ident = $f3:expr;)*) => {$(
        #[doc = concat!("`", stringify!($name), " rs2, imm(rs1)`")]
        pub(crate) const fn $name(rs2: u32, imm: i32, rs1: u32) -> u32 {
            s_type(opcode::STORE, $f3, rs1, rs2, imm)
        }
    )*};
}
store! { sb = 0; sh = 1; sw = 2; }

macro_rules! branch {
    ($($name:ident = $f3:expr;)*) => {$(
        #[doc = concat!("`", stringify!($name), " rs1, rs2, offset`")]
        pub(crate) const fn $name(rs1: u32, rs2: u32, offset: i32) -> u32 {
            b_type($f3, rs1, rs2, offset)
        }
    )*};
}
branch! { beq = 0; bne = 1; blt = 4; bge = 5; bltu = 6; bgeu = 7; }

/// `lui rd, imm20`
pub(crate) const fn lui(rd: u32, imm20: u32) -> u32 {
    u_type(opcode::LUI, rd, imm20)
}
/// `auipc rd, imm20`
pub(crate) const fn auipc(rd: u32, imm20: u32) -> u32 {
    u_type(opcode::AUIPC, rd, imm20)
}
/// `jal rd, offset`
pub(crate) const fn jal(rd: u32, offset: i32) -> u32 {
    j_type(rd, offset)
}
/// `jalr rd, imm(rs1)`
pub(crate) const fn jalr(rd: u32, imm: i32, rs1: u32) -> u32 {
    i_type(opcode::JALR, rd, 0, rs1, imm)
}
/// `fence iorw, iorw`
pub(crate) const fn fence() -> u32 {
    0x0FF0_000F
}
/// `fence.i`
pub(crate) const fn fence_i() -> u32 {
    i_type(opcode::MISC_MEM, 0, 1, 0, 0)
}
/// `ecall`
pub(crate) const fn ecall() -> u32 {
    0x0000_0073
}
/// `ebreak`
pub(crate) const fn ebreak() -> u32 {
    0x0010_0073
}
/// `csrrs rd, csr, rs1` (illegal in this VM).
pub(crate) const fn csrrs(rd: u32, csr: u32, rs1: u32) -> u32 {
    assert!(csr < 1 << 12);
    csr << 20 | check_reg(rs1) << 15 | 2 << 12 | check_reg(rd) << 7 | opcode::SYSTEM
}
/// `csrrw rd, csr, rs1` (illegal in this VM).
pub(crate) const fn csrrw(rd: u32, csr: u32, rs1: u32) -> u32 {
    assert!(csr < 1 << 12);
    csr << 20 | check_reg(rs1) << 15 | 1 << 12 | check_reg(rd) << 7 | opcode::SYSTEM
}
/// `mv rd, rs`
pub(crate) const fn mv(rd: u32, rs: u32) -> u32 {
    addi(rd, rs, 0)
}
/// `nop`
pub(crate) const fn nop() -> u32 {
    addi(0, 0, 0)
}

/// `li rd, value` as `lui` + `addi` (two words, even when one would do).
pub(crate) const fn li(rd: u32, value: u32) -> [u32; 2] {
    let lo = ((value & 0xFFF) as i32) << 20 >> 20;
    let hi = value.wrapping_sub(lo as u32) >> 12;
    [lui(rd, hi), addi(rd, rd, lo)]
}
