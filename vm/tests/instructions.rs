//! One-instruction tests with exact expected post-states.
//!
//! Every case runs twice: on the fast interpreter (`Machine::run(1)`) and through
//! `Machine::prove_step` + the literal verifier; both must produce exactly the expected state
//! (see `common::check_step`). Expected values are written out by hand from the RISC-V
//! unprivileged spec and docs/spec.md, not computed by the VM's own helpers.

mod common;

use common::asm::{self, reg::*};
use common::{check_run, check_step, Expect, Setup, STEP};
use opml_vm::proof::encode_leaf_proof;
use opml_vm::verify::{self, verify_step, VerifyError};
use opml_vm::{Fault, Status};

/// Where most cases execute.
const PC: u32 = 0x0001_2340;
/// A page- and leaf-aligned data area.
const DATA: u32 = 0x0002_0000;

type Rtype = fn(u32, u32, u32) -> u32;

/// `insn` with rs1 = a, rs2 = b must write `want`; checked with rd distinct from the sources,
/// rd = rs1, rd = rs2 and rd = x0.
#[track_caller]
fn op_case(name: &str, insn: Rtype, a: u32, b: u32, want: u32) {
    eprintln!("{name} {a:#010x}, {b:#010x} -> {want:#010x}");
    let s = Setup::new(PC)
        .code(&[insn(T0, T1, T2)])
        .reg(T1, a)
        .reg(T2, b);
    check_step(&s, &Expect::next(&s).reg(T0, want));
    let s = Setup::new(PC)
        .code(&[insn(T1, T1, T2)])
        .reg(T1, a)
        .reg(T2, b);
    check_step(&s, &Expect::next(&s).reg(T1, want));
    let s = Setup::new(PC)
        .code(&[insn(T2, T1, T2)])
        .reg(T1, a)
        .reg(T2, b);
    check_step(&s, &Expect::next(&s).reg(T2, want));
    let s = Setup::new(PC)
        .code(&[insn(ZERO, T1, T2)])
        .reg(T1, a)
        .reg(T2, b);
    check_step(&s, &Expect::next(&s));
}

fn op_table(rows: &[(&str, Rtype, u32, u32, u32)]) {
    for &(name, insn, a, b, want) in rows {
        op_case(name, insn, a, b, want);
    }
}

type Itype = fn(u32, u32, i32) -> u32;

#[track_caller]
fn imm_case(name: &str, insn: Itype, a: u32, imm: i32, want: u32) {
    eprintln!("{name} {a:#010x}, {imm} -> {want:#010x}");
    let s = Setup::new(PC).code(&[insn(T0, T1, imm)]).reg(T1, a);
    check_step(&s, &Expect::next(&s).reg(T0, want));
    let s = Setup::new(PC).code(&[insn(T1, T1, imm)]).reg(T1, a);
    check_step(&s, &Expect::next(&s).reg(T1, want));
    let s = Setup::new(PC).code(&[insn(ZERO, T1, imm)]).reg(T1, a);
    check_step(&s, &Expect::next(&s));
}

const MIN: u32 = 0x8000_0000;
const MAX: u32 = 0x7FFF_FFFF;
const NEG1: u32 = 0xFFFF_FFFF;

fn neg(x: i32) -> u32 {
    x as u32
}

// ---------------------------------------------------------------------------------------------
// The encoder itself.

#[test]
fn encoder_matches_known_encodings_and_the_decoder() {
    use opml_vm::decode::{decode, InsnKind};
    // Golden words (objdump of riscv64-unknown-elf-as output).
    assert_eq!(asm::addi(1, 0, -1), 0xFFF0_0093);
    assert_eq!(asm::sw(2, -4, 3), 0xFE21_AE23);
    assert_eq!(asm::beq(0, 0, -8), 0xFE00_0CE3);
    assert_eq!(asm::jal(1, 2048), 0x0010_00EF);
    assert_eq!(asm::lui(A0, 0x12345), 0x1234_5537);
    assert_eq!(asm::auipc(T0, 0), 0x0000_0297);
    assert_eq!(asm::jalr(ZERO, 0, RA), 0x0000_8067); // ret
    assert_eq!(asm::add(A0, A0, A1), 0x00B5_0533);
    assert_eq!(asm::sub(A0, A0, A1), 0x40B5_0533);
    assert_eq!(asm::mul(A0, A0, A1), 0x02B5_0533);
    assert_eq!(asm::srai(A0, A0, 3), 0x4035_5513);
    assert_eq!(asm::lw(A0, 8, SP), 0x0081_2503);
    assert_eq!(asm::bne(A0, ZERO, -16), 0xFE05_18E3);
    assert_eq!(asm::fence_i(), 0x0000_100F);
    assert_eq!(asm::csrrs(A0, 0xC00, ZERO), 0xC000_2573); // rdcycle a0
    assert_eq!(asm::li(A0, 0xDEAD_BEEF), [0xDEAD_C537, 0xEEF5_0513]);

    let d = decode(asm::sh(T2, -2048, T1));
    assert_eq!(
        (d.kind, d.rs1, d.rs2, d.imm),
        (InsnKind::Sh, 6, 7, neg(-2048))
    );
    let d = decode(asm::bgeu(T1, T2, -4096));
    assert_eq!(
        (d.kind, d.rs1, d.rs2, d.imm),
        (InsnKind::Bgeu, 6, 7, neg(-4096))
    );
    let d = decode(asm::blt(T1, T2, 4094));
    assert_eq!((d.kind, d.imm), (InsnKind::Blt, 4094));
    let d = decode(asm::jal(RA, -(1 << 20)));
    assert_eq!((d.kind, d.rd, d.imm), (InsnKind::Jal, 1, neg(-(1 << 20))));
    let d = decode(asm::jal(RA, (1 << 20) - 2));
    assert_eq!(d.imm, (1 << 20) - 2);
    let d = decode(asm::lbu(T0, 2047, T1));
    assert_eq!((d.kind, d.rd, d.rs1, d.imm), (InsnKind::Lbu, 5, 6, 2047));
}

// ---------------------------------------------------------------------------------------------
// Register-register ALU.

#[test]
fn add_sub_and_logic() {
    op_table(&[
        ("add", asm::add, 1, 2, 3),
        ("add", asm::add, NEG1, 1, 0),
        ("add", asm::add, MAX, 1, MIN),
        ("add", asm::add, MIN, MIN, 0),
        ("sub", asm::sub, 0, 1, NEG1),
        ("sub", asm::sub, MIN, 1, MAX),
        ("sub", asm::sub, 5, 5, 0),
        ("sub", asm::sub, 3, neg(-4), 7),
        ("xor", asm::xor, 0xF0F0_F0F0, 0xFF00_FF00, 0x0FF0_0FF0),
        ("or", asm::or, 0xF0F0_F0F0, 0xFF00_FF00, 0xFFF0_FFF0),
        ("and", asm::and, 0xF0F0_F0F0, 0xFF00_FF00, 0xF000_F000),
        ("xor", asm::xor, NEG1, 0x1234_5678, 0xEDCB_A987),
    ]);
}

#[test]
fn set_less_than_signed_and_unsigned() {
    op_table(&[
        ("slt", asm::slt, NEG1, 0, 1),
        ("slt", asm::slt, 0, NEG1, 0),
        ("slt", asm::slt, MIN, MAX, 1),
        ("slt", asm::slt, MAX, MIN, 0),
        ("slt", asm::slt, 5, 5, 0),
        ("slt", asm::slt, 4, 5, 1),
        ("sltu", asm::sltu, NEG1, 0, 0),
        ("sltu", asm::sltu, 0, NEG1, 1),
        ("sltu", asm::sltu, MIN, MAX, 0),
        ("sltu", asm::sltu, MAX, MIN, 1),
        ("sltu", asm::sltu, 5, 5, 0),
    ]);
}

#[test]
fn register_shifts_use_the_low_5_bits_of_rs2() {
    op_table(&[
        ("sll", asm::sll, 1, 31, MIN),
        ("sll", asm::sll, 1, 32, 1),
        ("sll", asm::sll, 1, 33, 2),
        ("sll", asm::sll, 3, NEG1, MIN),
        ("sll", asm::sll, 0x1234_5678, 0, 0x1234_5678),
        ("sll", asm::sll, 0x1234_5678, 0xFFFF_FFE4, 0x2345_6780),
        ("srl", asm::srl, MIN, 31, 1),
        ("srl", asm::srl, MIN, 32, MIN),
        ("srl", asm::srl, MIN, 33, 0x4000_0000),
        ("srl", asm::srl, MIN, NEG1, 1),
        ("srl", asm::srl, NEG1, 4, 0x0FFF_FFFF),
        ("sra", asm::sra, MIN, 31, NEG1),
        ("sra", asm::sra, MIN, 32, MIN),
        ("sra", asm::sra, MIN, 33, 0xC000_0000),
        ("sra", asm::sra, MIN, NEG1, NEG1),
        ("sra", asm::sra, 0x4000_0000, NEG1, 0),
        ("sra", asm::sra, MIN, 4, 0xF800_0000),
        ("sra", asm::sra, 0x7000_0000, 4, 0x0700_0000),
    ]);
}

#[test]
fn multiplication_low_and_high_words() {
    op_table(&[
        ("mul", asm::mul, NEG1, NEG1, 1),
        ("mul", asm::mul, MIN, MIN, 0),
        ("mul", asm::mul, MIN, NEG1, MIN),
        ("mul", asm::mul, 7, neg(-3), neg(-21)),
        ("mul", asm::mul, 0x1234_5678, 0x9ABC_DEF0, 0x242D_2080),
        ("mulh", asm::mulh, MIN, MIN, 0x4000_0000),
        ("mulh", asm::mulh, NEG1, NEG1, 0),
        ("mulh", asm::mulh, MIN, MAX, 0xC000_0000),
        ("mulh", asm::mulh, NEG1, 1, NEG1),
        ("mulh", asm::mulh, MAX, MAX, 0x3FFF_FFFF),
        ("mulh", asm::mulh, 1, MIN, NEG1),
        ("mulh", asm::mulh, MIN, NEG1, 0),
        ("mulhsu", asm::mulhsu, NEG1, NEG1, NEG1),
        ("mulhsu", asm::mulhsu, MIN, NEG1, MIN),
        ("mulhsu", asm::mulhsu, MAX, NEG1, 0x7FFF_FFFE),
        ("mulhsu", asm::mulhsu, NEG1, 1, NEG1),
        ("mulhsu", asm::mulhsu, 1, MIN, 0),
        ("mulhsu", asm::mulhsu, MIN, MIN, 0xC000_0000),
        ("mulhsu", asm::mulhsu, 0, NEG1, 0),
        ("mulhu", asm::mulhu, NEG1, NEG1, 0xFFFF_FFFE),
        ("mulhu", asm::mulhu, MIN, MIN, 0x4000_0000),
        ("mulhu", asm::mulhu, NEG1, 1, 0),
        ("mulhu", asm::mulhu, MIN, 2, 1),
        ("mulhu", asm::mulhu, 0x1234_5678, 0x9ABC_DEF0, 0x0B00_EA4E),
    ]);
}

#[test]
fn division_by_zero_and_overflow() {
    op_table(&[
        ("div", asm::div, 7, 2, 3),
        ("div", asm::div, neg(-7), 2, neg(-3)),
        ("div", asm::div, 7, neg(-2), neg(-3)),
        ("div", asm::div, neg(-7), neg(-2), 3),
        ("div", asm::div, 0x1234_5678, 0, NEG1),
        ("div", asm::div, 0, 0, NEG1),
        ("div", asm::div, MIN, 0, NEG1),
        ("div", asm::div, MIN, NEG1, MIN),
        ("div", asm::div, MIN, 1, MIN),
        ("div", asm::div, MAX, NEG1, neg(-(MAX as i32))),
        ("divu", asm::divu, 7, 2, 3),
        ("divu", asm::divu, NEG1, 2, MAX),
        ("divu", asm::divu, 0x1234_5678, 0, NEG1),
        ("divu", asm::divu, 0, 0, NEG1),
        ("divu", asm::divu, MIN, NEG1, 0),
        ("divu", asm::divu, NEG1, NEG1, 1),
        ("rem", asm::rem, 7, 2, 1),
        ("rem", asm::rem, neg(-7), 2, NEG1),
        ("rem", asm::rem, 7, neg(-2), 1),
        ("rem", asm::rem, neg(-7), neg(-2), NEG1),
        ("rem", asm::rem, 0x1234_5678, 0, 0x1234_5678),
        ("rem", asm::rem, MIN, 0, MIN),
        ("rem", asm::rem, MIN, NEG1, 0),
        ("rem", asm::rem, MIN, 3, neg(-2)),
        ("remu", asm::remu, 7, 2, 1),
        ("remu", asm::remu, NEG1, 2, 1),
        ("remu", asm::remu, 0x1234_5678, 0, 0x1234_5678),
        ("remu", asm::remu, MIN, NEG1, MIN),
        ("remu", asm::remu, NEG1, NEG1, 0),
    ]);
}

#[test]
fn same_source_register_twice() {
    let s = Setup::new(PC).code(&[asm::sub(T0, T1, T1)]).reg(T1, 0x1234);
    check_step(&s, &Expect::next(&s).reg(T0, 0));
    let s = Setup::new(PC)
        .code(&[asm::mul(T1, T1, T1)])
        .reg(T1, 0x10001);
    check_step(&s, &Expect::next(&s).reg(T1, 0x0002_0001));
    let s = Setup::new(PC).code(&[asm::div(T1, T1, T1)]).reg(T1, 0);
    check_step(&s, &Expect::next(&s).reg(T1, NEG1));
    // x0 as a source reads zero.
    let s = Setup::new(PC).code(&[asm::sub(T0, ZERO, T1)]).reg(T1, 1);
    check_step(&s, &Expect::next(&s).reg(T0, NEG1));
}

// ---------------------------------------------------------------------------------------------
// Register-immediate ALU.

#[test]
fn immediate_alu() {
    for (name, insn, a, imm, want) in [
        ("addi", asm::addi as Itype, 5, -1, 4),
        ("addi", asm::addi, NEG1, 1, 0),
        ("addi", asm::addi, 0, -2048, neg(-2048)),
        ("addi", asm::addi, MAX, 2047, 0x8000_07FE),
        ("slti", asm::slti, NEG1, 0, 1),
        ("slti", asm::slti, 0, -1, 0),
        ("slti", asm::slti, MIN, -2048, 1),
        ("slti", asm::slti, 2047, 2047, 0),
        ("sltiu", asm::sltiu, 0, -1, 1),
        ("sltiu", asm::sltiu, NEG1, -1, 0),
        ("sltiu", asm::sltiu, 0xFFFF_F7FF, -2048, 1),
        ("sltiu", asm::sltiu, 5, 6, 1),
        ("sltiu", asm::sltiu, 0, 1, 1), // seqz
        ("xori", asm::xori, 0x1234_5678, -1, 0xEDCB_A987),
        ("xori", asm::xori, 0x1234_5678, 0x7FF, 0x1234_5187),
        ("ori", asm::ori, 0x1234_5000, -2048, 0xFFFF_F800),
        ("ori", asm::ori, 0x1234_5000, 0x0FF, 0x1234_50FF),
        ("andi", asm::andi, 0x1234_5678, -1, 0x1234_5678),
        ("andi", asm::andi, 0x1234_5678, -16, 0x1234_5670),
        ("andi", asm::andi, 0x1234_5678, 0x7FF, 0x0000_0678),
    ] {
        imm_case(name, insn, a, imm, want);
    }
}

#[test]
fn immediate_shifts() {
    type Shift = fn(u32, u32, u32) -> u32;
    for (name, insn, a, shamt, want) in [
        ("slli", asm::slli as Shift, 1, 31, MIN),
        ("slli", asm::slli, 0x1234_5678, 0, 0x1234_5678),
        ("slli", asm::slli, 0x1234_5678, 4, 0x2345_6780),
        ("srli", asm::srli, MIN, 31, 1),
        ("srli", asm::srli, NEG1, 0, NEG1),
        ("srli", asm::srli, NEG1, 4, 0x0FFF_FFFF),
        ("srai", asm::srai, MIN, 31, NEG1),
        ("srai", asm::srai, MIN, 0, MIN),
        ("srai", asm::srai, MIN, 4, 0xF800_0000),
        ("srai", asm::srai, MAX, 31, 0),
    ] {
        eprintln!("{name} {a:#x}, {shamt}");
        let s = Setup::new(PC).code(&[insn(T0, T1, shamt)]).reg(T1, a);
        check_step(&s, &Expect::next(&s).reg(T0, want));
        let s = Setup::new(PC).code(&[insn(ZERO, T1, shamt)]).reg(T1, a);
        check_step(&s, &Expect::next(&s));
    }
}

// ---------------------------------------------------------------------------------------------
// Writes to x0.

#[test]
fn writes_to_x0_are_discarded() {
    let data = [0x11, 0x22, 0x33, 0x44];
    let words = [
        asm::add(ZERO, T1, T2),
        asm::addi(ZERO, T1, 1),
        asm::mul(ZERO, T1, T2),
        asm::slli(ZERO, T1, 3),
        asm::lui(ZERO, 0xFFFFF),
        asm::auipc(ZERO, 0x12345),
        asm::lw(ZERO, 0, S0),
        asm::lb(ZERO, 0, S0),
        asm::jal(ZERO, 64),
        asm::jalr(ZERO, 8, T1),
    ];
    for (i, w) in words.into_iter().enumerate() {
        eprintln!("case {i}: {w:#010x}");
        let s = Setup::new(PC)
            .code(&[w])
            .reg(T1, 0x100)
            .reg(T2, 3)
            .reg(S0, DATA)
            .bytes(DATA, &data);
        let e = Expect::next(&s);
        let e = match i {
            6 | 7 => e.leaves(2),
            8 => e.pc(PC + 64),
            9 => e.pc(0x108),
            _ => e,
        };
        check_step(&s, &e);
    }
}

// ---------------------------------------------------------------------------------------------
// Loads.

#[track_caller]
fn load_case(insn: u32, base: u32, mem: &[(u32, &[u8])], want: u32, leaves: usize) {
    eprintln!("{insn:#010x} base {base:#010x} -> {want:#010x}");
    let mut s = Setup::new(PC).code(&[insn]).reg(T1, base);
    for (addr, bytes) in mem {
        s = s.bytes(*addr, bytes);
    }
    check_step(&s, &Expect::next(&s).reg(T0, want).leaves(leaves));
}

#[test]
fn loads_sign_and_zero_extend() {
    let bytes: &[u8] = &[
        0x80, 0x7F, 0x00, 0x80, 0xFF, 0x7F, 0x34, 0x12, 0x78, 0x56, 0x34, 0xF2,
    ];
    let mem = [(DATA, bytes)];
    load_case(asm::lb(T0, 0, T1), DATA, &mem, 0xFFFF_FF80, 2);
    load_case(asm::lbu(T0, 0, T1), DATA, &mem, 0x80, 2);
    load_case(asm::lb(T0, 1, T1), DATA, &mem, 0x7F, 2);
    load_case(asm::lbu(T0, 1, T1), DATA, &mem, 0x7F, 2);
    load_case(asm::lb(T0, 4, T1), DATA, &mem, NEG1, 2);
    load_case(asm::lbu(T0, 4, T1), DATA, &mem, 0xFF, 2);
    load_case(asm::lh(T0, 2, T1), DATA, &mem, 0xFFFF_8000, 2);
    load_case(asm::lhu(T0, 2, T1), DATA, &mem, 0x8000, 2);
    load_case(asm::lh(T0, 4, T1), DATA, &mem, 0x7FFF, 2);
    load_case(asm::lhu(T0, 4, T1), DATA, &mem, 0x7FFF, 2);
    load_case(asm::lh(T0, 0, T1), DATA, &mem, 0x7F80, 2);
    load_case(asm::lw(T0, 8, T1), DATA, &mem, 0xF234_5678, 2);
    load_case(asm::lw(T0, 4, T1), DATA, &mem, 0x1234_7FFF, 2);
    // Negative offsets.
    load_case(asm::lw(T0, -8, T1), DATA + 16, &mem, 0xF234_5678, 2);
    load_case(asm::lb(T0, -2048, T1), DATA + 2048, &mem, 0xFFFF_FF80, 2);
    // rd = rs1: the address is computed from the old value.
    let s = Setup::new(PC)
        .code(&[asm::lw(T1, 4, T1)])
        .reg(T1, DATA)
        .bytes(DATA, bytes);
    check_step(&s, &Expect::next(&s).reg(T1, 0x1234_7FFF).leaves(2));
    // Memory never written reads zero.
    load_case(asm::lw(T0, 0, T1), 0x7000_0000, &[], 0, 2);
    load_case(asm::lb(T0, 31, T1), 0x7000_0000, &[], 0, 2);
}

#[test]
fn misaligned_loads_inside_a_leaf() {
    let bytes: &[u8] = &[0x80, 0x7F, 0x00, 0x80, 0xFF, 0x7F, 0x34, 0x12];
    let mem = [(DATA, bytes)];
    load_case(asm::lw(T0, 1, T1), DATA, &mem, 0xFF80_007F, 2);
    load_case(asm::lw(T0, 2, T1), DATA, &mem, 0x7FFF_8000, 2);
    load_case(asm::lw(T0, 3, T1), DATA, &mem, 0x347F_FF80, 2);
    load_case(asm::lh(T0, 1, T1), DATA, &mem, 0x007F, 2);
    load_case(asm::lh(T0, 3, T1), DATA, &mem, 0xFFFF_FF80, 2);
    load_case(asm::lhu(T0, 3, T1), DATA, &mem, 0xFF80, 2);
    load_case(asm::lh(T0, 5, T1), DATA, &mem, 0x347F, 2);
    // Last bytes of a leaf without crossing.
    let tail: &[u8] = &[0x01, 0x02, 0x03, 0x84];
    load_case(
        asm::lw(T0, 0x1C, T1),
        DATA,
        &[(DATA + 0x1C, tail)],
        0x8403_0201,
        2,
    );
    load_case(
        asm::lh(T0, 0x1E, T1),
        DATA,
        &[(DATA + 0x1C, tail)],
        0xFFFF_8403,
        2,
    );
    load_case(
        asm::lb(T0, 0x1F, T1),
        DATA,
        &[(DATA + 0x1C, tail)],
        0xFFFF_FF84,
        2,
    );
}

#[test]
fn loads_across_a_leaf_boundary() {
    let bytes: &[u8] = &[0x01, 0x02, 0x03, 0x84, 0x85, 0x86, 0x87, 0x08];
    let mem = [(DATA + 0x1C, bytes)];
    load_case(asm::lw(T0, 0x1D, T1), DATA, &mem, 0x8584_0302, 3);
    load_case(asm::lw(T0, 0x1E, T1), DATA, &mem, 0x8685_8403, 3);
    load_case(asm::lw(T0, 0x1F, T1), DATA, &mem, 0x8786_8584, 3);
    load_case(asm::lh(T0, 0x1F, T1), DATA, &mem, 0xFFFF_8584, 3);
    load_case(asm::lhu(T0, 0x1F, T1), DATA, &mem, 0x8584, 3);
    load_case(asm::lw(T0, 0x20, T1), DATA, &mem, 0x0887_8685, 2);
    // Across a page boundary, and across a slot boundary into memory never written.
    let page: &[u8] = &[0xAA, 0xBB, 0xCC, 0xDD];
    load_case(
        asm::lw(T0, -2, T1),
        DATA + 0x1000,
        &[(DATA + 0xFFE, page)],
        0xDDCC_BBAA,
        3,
    );
    load_case(
        asm::lw(T0, -1, T1),
        0x1000_0000,
        &[(0x0FFF_FFFF, &[0x99])],
        0x99,
        3,
    );
}

#[test]
fn loads_wrap_around_the_address_space() {
    let top: &[u8] = &[0x11, 0x22, 0x33, 0x44];
    let bottom: &[u8] = &[0x55, 0x66, 0x77, 0x88];
    let mem = [(0xFFFF_FFFC, top), (0, bottom)];
    load_case(asm::lw(T0, 0, T1), 0xFFFF_FFFE, &mem, 0x6655_4433, 3);
    load_case(asm::lw(T0, 0, T1), 0xFFFF_FFFD, &mem, 0x5544_3322, 3);
    load_case(asm::lw(T0, 0, T1), 0xFFFF_FFFF, &mem, 0x7766_5544, 3);
    load_case(asm::lh(T0, 0, T1), 0xFFFF_FFFF, &mem, 0x5544, 3);
    load_case(asm::lhu(T0, 0, T1), 0xFFFF_FFFF, &mem, 0x5544, 3);
    load_case(asm::lb(T0, 0, T1), 0xFFFF_FFFF, &mem, 0x44, 2);
    load_case(asm::lw(T0, 0, T1), 0xFFFF_FFFC, &mem, 0x4433_2211, 2);
    // The effective address wraps too.
    load_case(asm::lw(T0, -0x14, T1), 0x10, &mem, 0x4433_2211, 2);
    load_case(asm::lw(T0, 8, T1), 0xFFFF_FFF8, &mem, 0x8877_6655, 2);
    load_case(asm::lh(T0, 2047, T1), 0xFFFF_F800, &mem, 0x5544, 3);
    load_case(asm::lbu(T0, -1, ZERO), 0, &mem, 0x44, 2);
}

#[test]
fn load_of_the_instruction_itself() {
    let w = asm::lw(T0, 0, T1);
    let s = Setup::new(PC).code(&[w, 0xCAFE_BABE]).reg(T1, PC);
    check_step(&s, &Expect::next(&s).reg(T0, w).leaves(2));
    let w = asm::lw(T0, 4, T1);
    let s = Setup::new(PC).code(&[w, 0xCAFE_BABE]).reg(T1, PC);
    check_step(&s, &Expect::next(&s).reg(T0, 0xCAFE_BABE).leaves(2));
    let w = asm::lhu(T0, 2, T1);
    let s = Setup::new(PC).code(&[w]).reg(T1, PC);
    check_step(&s, &Expect::next(&s).reg(T0, w >> 16).leaves(2));
}

// ---------------------------------------------------------------------------------------------
// Stores.

/// 64 bytes A0 A1 .. DF at DATA.
fn fill() -> Vec<u8> {
    (0xA0..0xE0).collect()
}

#[track_caller]
fn store_case(insn: u32, base: u32, value: u32, writes: &[(u32, &[u8])], leaves: usize) {
    eprintln!("{insn:#010x} base {base:#010x} value {value:#010x}");
    let s = Setup::new(PC)
        .code(&[insn])
        .reg(T1, base)
        .reg(T2, value)
        .bytes(DATA, &fill())
        .bytes(0xFFFF_FFF0, &[0xEE; 16])
        .bytes(0, &[0x77; 16]);
    let mut e = Expect::next(&s).leaves(leaves);
    for (addr, bytes) in writes {
        e = e.write(*addr, bytes);
    }
    check_step(&s, &e);
}

#[test]
fn stores_write_the_low_bytes_of_rs2() {
    let v = 0xDDCC_BBAA;
    store_case(asm::sb(T2, 0, T1), DATA, v, &[(DATA, &[0xAA])], 2);
    store_case(asm::sh(T2, 0, T1), DATA, v, &[(DATA, &[0xAA, 0xBB])], 2);
    store_case(
        asm::sw(T2, 0, T1),
        DATA,
        v,
        &[(DATA, &[0xAA, 0xBB, 0xCC, 0xDD])],
        2,
    );
    store_case(
        asm::sw(T2, -4, T1),
        DATA + 8,
        v,
        &[(DATA + 4, &[0xAA, 0xBB, 0xCC, 0xDD])],
        2,
    );
    store_case(asm::sb(T2, 2047, T1), DATA, v, &[(DATA + 2047, &[0xAA])], 2);
    store_case(
        asm::sh(T2, -2048, T1),
        DATA + 2048,
        v,
        &[(DATA, &[0xAA, 0xBB])],
        2,
    );
    // The stored register may be the base register.
    let s = Setup::new(PC).code(&[asm::sw(T1, 0, T1)]).reg(T1, DATA);
    check_step(
        &s,
        &Expect::next(&s).write(DATA, &DATA.to_le_bytes()).leaves(2),
    );
    // x0 stores zeros.
    store_case(asm::sw(ZERO, 4, T1), DATA, v, &[(DATA + 4, &[0; 4])], 2);
    // Storing what is already there leaves memory as it was.
    store_case(asm::sh(T2, 0, T1), DATA, 0xA1A0, &[], 2);
}

#[test]
fn misaligned_stores_inside_a_leaf() {
    let v = 0xDDCC_BBAA;
    store_case(asm::sh(T2, 1, T1), DATA, v, &[(DATA + 1, &[0xAA, 0xBB])], 2);
    store_case(
        asm::sh(T2, 0x1D, T1),
        DATA,
        v,
        &[(DATA + 0x1D, &[0xAA, 0xBB])],
        2,
    );
    store_case(
        asm::sw(T2, 1, T1),
        DATA,
        v,
        &[(DATA + 1, &[0xAA, 0xBB, 0xCC, 0xDD])],
        2,
    );
    store_case(
        asm::sw(T2, 2, T1),
        DATA,
        v,
        &[(DATA + 2, &[0xAA, 0xBB, 0xCC, 0xDD])],
        2,
    );
    store_case(
        asm::sw(T2, 3, T1),
        DATA,
        v,
        &[(DATA + 3, &[0xAA, 0xBB, 0xCC, 0xDD])],
        2,
    );
    store_case(asm::sb(T2, 0x1F, T1), DATA, v, &[(DATA + 0x1F, &[0xAA])], 2);
}

#[test]
fn stores_across_a_leaf_boundary() {
    let v = 0xDDCC_BBAA;
    let w = &[0xAA, 0xBB, 0xCC, 0xDD];
    store_case(
        asm::sh(T2, 0x1F, T1),
        DATA,
        v,
        &[(DATA + 0x1F, &[0xAA, 0xBB])],
        3,
    );
    store_case(asm::sw(T2, 0x1D, T1), DATA, v, &[(DATA + 0x1D, w)], 3);
    store_case(asm::sw(T2, 0x1E, T1), DATA, v, &[(DATA + 0x1E, w)], 3);
    store_case(asm::sw(T2, 0x1F, T1), DATA, v, &[(DATA + 0x1F, w)], 3);
    store_case(asm::sw(T2, 0x3F, T1), DATA, v, &[(DATA + 0x3F, w)], 3);
    // Across a page boundary into memory never written.
    store_case(asm::sw(T2, -1, T1), 0x0003_1000, v, &[(0x0003_0FFF, w)], 3);
    // Across a slot boundary.
    store_case(
        asm::sh(T2, -1, T1),
        0x5000_0000,
        v,
        &[(0x4FFF_FFFF, &[0xAA, 0xBB])],
        3,
    );
}

#[test]
fn stores_wrap_around_the_address_space() {
    let v = 0xDDCC_BBAA;
    store_case(
        asm::sw(T2, 0, T1),
        0xFFFF_FFFE,
        v,
        &[(0xFFFF_FFFE, &[0xAA, 0xBB]), (0, &[0xCC, 0xDD])],
        3,
    );
    store_case(
        asm::sw(T2, 0, T1),
        0xFFFF_FFFD,
        v,
        &[(0xFFFF_FFFD, &[0xAA, 0xBB, 0xCC, 0xDD])],
        3,
    );
    store_case(
        asm::sh(T2, 0, T1),
        0xFFFF_FFFF,
        v,
        &[(0xFFFF_FFFF, &[0xAA, 0xBB])],
        3,
    );
    store_case(
        asm::sb(T2, 0, T1),
        0xFFFF_FFFF,
        v,
        &[(0xFFFF_FFFF, &[0xAA])],
        2,
    );
    store_case(
        asm::sw(T2, 0, T1),
        0xFFFF_FFFC,
        v,
        &[(0xFFFF_FFFC, &[0xAA, 0xBB, 0xCC, 0xDD])],
        2,
    );
    // The effective address wraps too.
    store_case(
        asm::sw(T2, -4, T1),
        2,
        v,
        &[(0xFFFF_FFFE, &[0xAA, 0xBB, 0xCC, 0xDD])],
        3,
    );
    store_case(
        asm::sh(T2, 16, T1),
        0xFFFF_FFF0,
        v,
        &[(0, &[0xAA, 0xBB])],
        2,
    );
    store_case(asm::sb(T2, -1, ZERO), 0, v, &[(0xFFFF_FFFF, &[0xAA])], 2);
}

#[test]
fn stores_over_the_instruction_and_its_leaf() {
    let v = 0xDDCC_BBAA;
    // Overwrite the executing instruction: it still completes, memory holds the new word.
    let s = Setup::new(PC)
        .code(&[asm::sw(T2, 0, T1)])
        .reg(T1, PC)
        .reg(T2, v);
    check_step(&s, &Expect::next(&s).write(PC, &v.to_le_bytes()).leaves(2));
    // The next word, in the same leaf.
    let s = Setup::new(PC)
        .code(&[asm::sh(T2, 4, T1), 0])
        .reg(T1, PC)
        .reg(T2, v);
    check_step(&s, &Expect::next(&s).write(PC + 4, &[0xAA, 0xBB]).leaves(2));
    // From the instruction's leaf into the next one: pc is the last word of its leaf.
    let pc = 0x0001_235C;
    let s = Setup::new(pc)
        .code(&[asm::sw(T2, 2, T1), 0x1111_1111])
        .reg(T1, pc)
        .reg(T2, v);
    check_step(
        &s,
        &Expect::next(&s).write(pc + 2, &v.to_le_bytes()).leaves(3),
    );
}

#[test]
fn stored_code_is_executed_even_when_decoded_before() {
    // 0: addi t1, t1, 1          rewritten to addi t1, t1, 100 on the first pass
    // 4: bne t2, x0, +16         second pass: exit
    // 8: sw s0, 0(s1)
    // c: addi t2, x0, 1
    // 10: jal x0, -16
    // 14: ecall                  exit(a0)
    let s = Setup::new(PC)
        .code(&[
            asm::addi(T1, T1, 1),
            asm::bne(T2, ZERO, 16),
            asm::sw(S0, 0, S1),
            asm::addi(T2, ZERO, 1),
            asm::jal(ZERO, -16),
            asm::ecall(),
        ])
        .reg(T1, 0)
        .reg(T2, 0)
        .reg(S0, asm::addi(T1, T1, 100))
        .reg(S1, PC)
        .reg(A7, 93)
        .reg(A0, 5);
    let end = check_run(&s, 100);
    assert_eq!(end.status, Status::Exited(5));
    assert_eq!(end.step, s.step + 8);
    assert_eq!(end.pc, PC + 0x14);
    assert_eq!(end.regs[T1 as usize], 101);

    // A store across a leaf boundary that rewrites the upper half of the next instruction (and
    // the lower half of the one after with the bytes it already has).
    let s = Setup::new(0x0001_2358)
        .code(&[asm::sw(S0, 6, S1), asm::addi(T1, ZERO, 1), asm::ebreak()])
        .reg(
            S0,
            (asm::ebreak() & 0xFFFF) << 16 | asm::addi(T1, ZERO, 0x7FF) >> 16,
        )
        .reg(S1, 0x0001_2358);
    let end = check_run(&s, 100);
    assert_eq!(end.status, Status::Faulted(Fault::Breakpoint));
    assert_eq!(end.regs[T1 as usize], 0x7FF);
}

#[test]
fn stores_straddling_the_ends_of_the_code_range_are_seen() {
    const C: u32 = 0x0000_5000;
    // A store that starts in the last cached word and ends past the range rewrites the upper
    // half of that word, which ran before (and rewrites the next word with its own bytes).
    //  0: jal x0, +12         to L
    //  4: sw s0, 0(s1)        s1 = C + 14
    //  8: jal x0, +4          to L
    // 12: L: addi t1, t1, 1   becomes addi t1, t1, 0x7FF; the last word of the code range
    // 16: bne t2, x0, +12     second time: to the ebreak
    // 20: addi t2, x0, 1
    // 24: jal x0, -20         to the store
    // 28: ebreak
    let words = [
        asm::jal(ZERO, 12),
        asm::sw(S0, 0, S1),
        asm::jal(ZERO, 4),
        asm::addi(T1, T1, 1),
        asm::bne(T2, ZERO, 12),
        asm::addi(T2, ZERO, 1),
        asm::jal(ZERO, -20),
        asm::ebreak(),
    ];
    let new = asm::addi(T1, T1, 0x7FF);
    assert_eq!(new & 0xFFFF, words[3] & 0xFFFF);
    let mut s = Setup::new(C)
        .code(&words)
        .reg(T1, 0)
        .reg(T2, 0)
        .reg(S0, (words[4] & 0xFFFF) << 16 | new >> 16)
        .reg(S1, C + 14);
    s.code_range = Some((C, 16));
    let end = check_run(&s, 100);
    assert_eq!(end.status, Status::Faulted(Fault::Breakpoint));
    assert_eq!((end.pc, end.regs[T1 as usize]), (C + 28, 0x800));

    // A store that starts before the range and ends in its first word, which ran before.
    //  0: (not code)          its upper half is rewritten with its own bytes
    //  4: L: addi t1, t1, 1   becomes addi t3, t1, 1; the first word of the code range
    //  8: bne t2, x0, +16     second time: to the ebreak
    // 12: addi t2, x0, 1
    // 16: sw s0, 0(s1)        s1 = C + 2
    // 20: jal x0, -16         to L
    // 24: ebreak
    let words = [
        0x1234_5678,
        asm::addi(T1, T1, 1),
        asm::bne(T2, ZERO, 16),
        asm::addi(T2, ZERO, 1),
        asm::sw(S0, 0, S1),
        asm::jal(ZERO, -16),
        asm::ebreak(),
    ];
    let new = asm::addi(T3, T1, 1);
    assert_eq!(new >> 16, words[1] >> 16);
    let mut s = Setup::new(C + 4)
        .code_at(C, &words)
        .reg(T1, 0)
        .reg(T2, 0)
        .reg(S0, (new & 0xFFFF) << 16 | words[0] >> 16)
        .reg(S1, C + 2);
    s.code_range = Some((C + 4, 24));
    let end = check_run(&s, 100);
    assert_eq!(end.status, Status::Faulted(Fault::Breakpoint));
    assert_eq!(
        (end.pc, end.regs[T1 as usize], end.regs[T3 as usize]),
        (C + 24, 1, 2)
    );
}

// ---------------------------------------------------------------------------------------------
// Branches and jumps.

#[test]
fn branches_taken_and_not_taken() {
    type Branch = fn(u32, u32, i32) -> u32;
    let rows: &[(&str, Branch, u32, u32, bool)] = &[
        ("beq", asm::beq, 5, 5, true),
        ("beq", asm::beq, 5, 6, false),
        ("beq", asm::beq, MIN, MIN, true),
        ("beq", asm::beq, 0, NEG1, false),
        ("bne", asm::bne, 5, 5, false),
        ("bne", asm::bne, 5, 6, true),
        ("bne", asm::bne, MIN, MIN, false),
        ("bne", asm::bne, 0, NEG1, true),
        ("blt", asm::blt, MIN, MAX, true),
        ("blt", asm::blt, MAX, MIN, false),
        ("blt", asm::blt, NEG1, 0, true),
        ("blt", asm::blt, 0, NEG1, false),
        ("blt", asm::blt, 5, 5, false),
        ("blt", asm::blt, 4, 5, true),
        ("bge", asm::bge, MIN, MAX, false),
        ("bge", asm::bge, MAX, MIN, true),
        ("bge", asm::bge, NEG1, 0, false),
        ("bge", asm::bge, 0, NEG1, true),
        ("bge", asm::bge, 5, 5, true),
        ("bge", asm::bge, 4, 5, false),
        ("bltu", asm::bltu, MIN, MAX, false),
        ("bltu", asm::bltu, MAX, MIN, true),
        ("bltu", asm::bltu, NEG1, 0, false),
        ("bltu", asm::bltu, 0, NEG1, true),
        ("bltu", asm::bltu, 5, 5, false),
        ("bltu", asm::bltu, 4, 5, true),
        ("bgeu", asm::bgeu, MIN, MAX, true),
        ("bgeu", asm::bgeu, MAX, MIN, false),
        ("bgeu", asm::bgeu, NEG1, 0, true),
        ("bgeu", asm::bgeu, 0, NEG1, false),
        ("bgeu", asm::bgeu, 5, 5, true),
        ("bgeu", asm::bgeu, 4, 5, false),
    ];
    // A target that is not a multiple of 4 is taken; the next fetch faults (tested below).
    for &(name, insn, a, b, taken) in rows {
        for offset in [8, -4, -4096, 4092, 6, 0] {
            eprintln!("{name} {a:#x}, {b:#x}, {offset}");
            let s = Setup::new(PC)
                .code(&[insn(T1, T2, offset)])
                .reg(T1, a)
                .reg(T2, b);
            let target = if taken {
                PC.wrapping_add(offset as u32)
            } else {
                PC + 4
            };
            check_step(&s, &Expect::next(&s).pc(target));
        }
    }
    // The same register twice, and x0.
    let s = Setup::new(PC).code(&[asm::beq(T1, T1, 64)]);
    check_step(&s, &Expect::next(&s).pc(PC + 64));
    let s = Setup::new(PC).code(&[asm::blt(T1, T1, 64)]);
    check_step(&s, &Expect::next(&s).pc(PC + 4));
    let s = Setup::new(PC).code(&[asm::bge(ZERO, T1, 64)]).reg(T1, NEG1);
    check_step(&s, &Expect::next(&s).pc(PC + 64));
    let s = Setup::new(PC)
        .code(&[asm::bgeu(ZERO, T1, 64)])
        .reg(T1, NEG1);
    check_step(&s, &Expect::next(&s).pc(PC + 4));
    // Targets wrap around the address space.
    let s = Setup::new(0x0000_0010).code(&[asm::beq(ZERO, ZERO, -32)]);
    check_step(&s, &Expect::next(&s).pc(0xFFFF_FFF0));
    let s = Setup::new(0xFFFF_FFFC).code(&[asm::bne(ZERO, ZERO, -32)]);
    check_step(&s, &Expect::next(&s).pc(0));
}

#[test]
fn jal_links_and_jumps() {
    let s = Setup::new(PC).code(&[asm::jal(RA, 8)]);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(PC + 8));
    let s = Setup::new(PC).code(&[asm::jal(RA, -4)]);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(PC - 4));
    let s = Setup::new(PC).code(&[asm::jal(T0, -(1 << 20))]);
    check_step(&s, &Expect::next(&s).reg(T0, PC + 4).pc(0xFFF1_2340));
    let s = Setup::new(PC).code(&[asm::jal(T0, (1 << 20) - 4)]);
    check_step(&s, &Expect::next(&s).reg(T0, PC + 4).pc(PC + 0xF_FFFC));
    let s = Setup::new(PC).code(&[asm::jal(T0, (1 << 20) - 2)]);
    check_step(&s, &Expect::next(&s).reg(T0, PC + 4).pc(PC + 0xF_FFFE));
    let s = Setup::new(PC).code(&[asm::jal(RA, 0)]);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(PC));
    let s = Setup::new(PC).code(&[asm::jal(ZERO, -2048)]);
    check_step(&s, &Expect::next(&s).pc(PC - 2048));
    // pc + 4 wraps to 0 at the top of memory.
    let s = Setup::new(0xFFFF_FFFC).code(&[asm::jal(RA, 8)]);
    check_step(&s, &Expect::next(&s).reg(RA, 0).pc(4));
}

#[test]
fn jalr_clears_bit_0_and_reads_rs1_before_writing_rd() {
    let s = Setup::new(PC).code(&[asm::jalr(RA, 0, T1)]).reg(T1, 0x2001);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(0x2000));
    let s = Setup::new(PC).code(&[asm::jalr(RA, 3, T1)]).reg(T1, 0x2000);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(0x2002));
    let s = Setup::new(PC)
        .code(&[asm::jalr(RA, -1, T1)])
        .reg(T1, 0x2000);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(0x1FFE));
    let s = Setup::new(PC)
        .code(&[asm::jalr(RA, -2048, T1)])
        .reg(T1, 0x2000);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(0x1800));
    // rd == rs1: the target uses the old value.
    let s = Setup::new(PC).code(&[asm::jalr(T1, 4, T1)]).reg(T1, 0x3000);
    check_step(&s, &Expect::next(&s).reg(T1, PC + 4).pc(0x3004));
    let s = Setup::new(PC).code(&[asm::jalr(T1, 5, T1)]).reg(T1, 0x3000);
    check_step(&s, &Expect::next(&s).reg(T1, PC + 4).pc(0x3004));
    // ret, and x0 as the base.
    let s = Setup::new(PC)
        .code(&[asm::jalr(ZERO, 0, RA)])
        .reg(RA, 0x4444);
    check_step(&s, &Expect::next(&s).pc(0x4444));
    let s = Setup::new(PC).code(&[asm::jalr(RA, -4, ZERO)]);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(0xFFFF_FFFC));
    // Wrapping targets.
    let s = Setup::new(PC).code(&[asm::jalr(RA, 1, T1)]).reg(T1, NEG1);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(0));
    let s = Setup::new(PC).code(&[asm::jalr(RA, 0, T1)]).reg(T1, NEG1);
    check_step(&s, &Expect::next(&s).reg(RA, PC + 4).pc(0xFFFF_FFFE));
}

#[test]
fn lui_and_auipc() {
    for (imm20, want) in [
        (0xFFFFF, 0xFFFF_F000),
        (0x80000, 0x8000_0000),
        (0x12345, 0x1234_5000),
        (0, 0),
    ] {
        let s = Setup::new(PC).code(&[asm::lui(T0, imm20)]);
        check_step(&s, &Expect::next(&s).reg(T0, want));
    }
    for (pc, imm20, want) in [
        (PC, 0, PC),
        (PC, 0xFFFFF, 0x0001_1340), // pc − 4096
        (PC, 0xFFF00, 0xFFF1_2340), // wraps below zero
        (PC, 0x80000, 0x8001_2340),
        (0xFFFF_F000, 0x00001, 0), // wraps above 2^32
        (0xFFFF_FFFC, 0xFFFFF, 0xFFFF_EFFC),
    ] {
        let s = Setup::new(pc).code(&[asm::auipc(T0, imm20)]);
        check_step(&s, &Expect::next(&s).reg(T0, want));
    }
}

// ---------------------------------------------------------------------------------------------
// System, fences, illegal encodings.

#[test]
fn ecall_exit_halts_with_a0() {
    for code in [0, 1, 0xDEAD_BEEF, NEG1] {
        let s = Setup::new(PC)
            .code(&[asm::ecall()])
            .reg(A7, 93)
            .reg(A0, code);
        check_step(&s, &Expect::halt(&s, Status::Exited(code)));
    }
}

#[test]
fn ecall_write_returns_a2() {
    for (fd, buf, len) in [
        (1, DATA, 5),
        (2, 0xFFFF_FFF0, 0x20),
        (7, 0, 0),
        (1, 0, NEG1),
    ] {
        let s = Setup::new(PC)
            .code(&[asm::ecall()])
            .reg(A7, 64)
            .reg(A0, fd)
            .reg(A1, buf)
            .reg(A2, len)
            .bytes(DATA, b"hello");
        check_step(&s, &Expect::next(&s).reg(A0, len));
    }
}

#[test]
fn ecall_with_an_unknown_number_faults() {
    for a7 in [0, 63, 65, 92, 94, 93 + 256, 64 << 16, NEG1] {
        let s = Setup::new(PC).code(&[asm::ecall()]).reg(A7, a7).reg(A0, 1);
        check_step(
            &s,
            &Expect::halt(&s, Status::Faulted(Fault::UnsupportedSyscall)),
        );
    }
}

#[test]
fn ebreak_faults() {
    let s = Setup::new(PC).code(&[asm::ebreak()]);
    check_step(&s, &Expect::halt(&s, Status::Faulted(Fault::Breakpoint)));
}

#[test]
fn illegal_words_fault() {
    for w in [
        0x0000_0000u32, // all zero
        0xFFFF_FFFF,    // all ones
        0x0000_4501,    // c.li a0, 0 (compressed)
        0x0000_0001,    // c.nop
        0x0000_0002,    // compressed quadrant 2
        0x0000_1067,    // jalr funct3 = 1
        0x0000_2067,    // jalr funct3 = 2
        0x0000_2063,    // branch funct3 = 2
        0x0000_3063,    // branch funct3 = 3
        0x0000_3003,    // ld
        0x0000_6003,    // lwu
        0x0000_7003,    // load funct3 = 7
        0x0000_3023,    // sd
        0x0000_4023,    // store funct3 = 4
        0x0000_7023,    // store funct3 = 7
        0x4000_1013,    // slli funct7 = 0x20
        0x0200_1013,    // slli funct7 = 1
        0x0200_5013,    // srli funct7 = 1
        0x4200_5013,    // srai funct7 = 0x21
        0x0400_0033,    // OP funct7 = 2
        0x4000_1033,    // sll funct7 = 0x20
        0x4000_2033,    // slt funct7 = 0x20
        0x4000_7033,    // and funct7 = 0x20
        0x8000_0033,    // OP funct7 = 0x40
        0x2000_0033,    // OP funct7 = 0x10
        0x0000_200F,    // MISC-MEM funct3 = 2
        0x0000_700F,    // MISC-MEM funct3 = 7
        0x0000_0873,    // ecall with rd = 16
        0x0000_8073,    // ecall with rs1 = 1
        0x0020_0073,    // SYSTEM imm = 2 (uret)
        0x1020_0073,    // sret
        0x3020_0073,    // mret
        0x1050_0073,    // wfi
        0x1200_0073,    // sfence.vma
        0x0000_0007,    // flw
        0x0000_0053,    // fadd.s
        0x0000_202F,    // amoadd.w
        0x0000_001B,    // addiw (RV64)
        0x0000_003B,    // addw (RV64)
        0x0000_000B,    // custom-0
        0x0000_007F,    // 80-bit+ instruction prefix
    ] {
        eprintln!("{w:#010x}");
        let s = Setup::new(PC).code(&[w]);
        check_step(
            &s,
            &Expect::halt(&s, Status::Faulted(Fault::IllegalInstruction)),
        );
    }
}

#[test]
fn csr_instructions_are_illegal() {
    for w in [
        asm::csrrw(ZERO, 0x300, T1), // csrw mstatus, t1
        asm::csrrs(T0, 0xC00, ZERO), // rdcycle t0
        asm::csrrs(T0, 0xC01, ZERO), // rdtime t0
        asm::csrrw(T0, 0x001, T1),   // fsflags
        0xC000_52F3,                 // csrrwi t0, cycle, 0
        0xC000_62F3,                 // csrrsi t0, cycle, 0
        0xC000_72F3,                 // csrrci t0, cycle, 0
        0xC000_42F3,                 // SYSTEM funct3 4 (reserved)
    ] {
        eprintln!("{w:#010x}");
        let s = Setup::new(PC).code(&[w]).reg(T1, 0xFF);
        check_step(
            &s,
            &Expect::halt(&s, Status::Faulted(Fault::IllegalInstruction)),
        );
    }
}

#[test]
fn fences_are_no_ops() {
    for w in [
        asm::fence(),
        asm::fence_i(),
        0x8330_000F, // fence.tso
        0x0000_000F, // fence with no sets
        0xFFFF_800F, // funct3 0, every other field set
        0x0000_908F, // fence.i with rd = 1 and funct3 1
        0xFFFF_900F, // funct3 1, every other field set
    ] {
        eprintln!("{w:#010x}");
        let s = Setup::new(PC).code(&[w]);
        check_step(&s, &Expect::next(&s));
    }
}

// ---------------------------------------------------------------------------------------------
// pc, the step counter and halted states.

#[test]
fn misaligned_pc_faults_at_fetch() {
    for pc in [
        PC + 1,
        PC + 2,
        PC + 3,
        0xFFFF_FFFF,
        0xFFFF_FFFE,
        0x0000_0002,
    ] {
        let s = Setup::new(pc)
            .code_at(PC, &[asm::addi(T0, T0, 1), asm::addi(T0, T0, 1)])
            .bytes(pc, &asm::addi(T0, T0, 1).to_le_bytes());
        let e = Expect::halt(&s, Status::Faulted(Fault::InstructionAddressMisaligned)).leaves(0);
        let proof = check_step(&s, &e);
        // The proof must be empty: a leaf proof for the fetch is rejected.
        let mut m = s.machine();
        let leaf = m.memory_mut().proof(pc >> 5);
        let mut extra = Vec::new();
        encode_leaf_proof(&mut extra, &leaf.leaf, &leaf.siblings);
        assert_eq!(
            verify_step(&proof.pre_state_hash, &proof.pre_state, &extra),
            Err(VerifyError::InvalidProofLength)
        );
    }
}

#[test]
fn jump_to_a_misaligned_target_faults_on_the_next_fetch() {
    let s = Setup::new(PC).code(&[asm::jalr(RA, 2, ZERO), asm::ebreak()]);
    let end = check_run(&s, 10);
    assert_eq!(
        (end.status, end.pc, end.step, end.regs[RA as usize]),
        (
            Status::Faulted(Fault::InstructionAddressMisaligned),
            2,
            STEP + 2,
            PC + 4
        )
    );
    let s = Setup::new(PC).code(&[asm::beq(ZERO, ZERO, 6)]);
    let end = check_run(&s, 10);
    assert_eq!(
        (end.status, end.pc, end.step),
        (
            Status::Faulted(Fault::InstructionAddressMisaligned),
            PC + 6,
            STEP + 2
        )
    );
}

#[test]
fn pc_wraps_at_the_top_of_memory() {
    let s = Setup::new(0xFFFF_FFFC).code(&[asm::addi(T0, ZERO, 7)]);
    check_step(&s, &Expect::next(&s).reg(T0, 7).pc(0));
}

#[test]
fn fetch_from_memory_never_written_is_illegal() {
    let s = Setup::new(0x6000_0000);
    check_step(
        &s,
        &Expect::halt(&s, Status::Faulted(Fault::IllegalInstruction)),
    );
}

#[test]
fn step_counter_counts_from_any_value() {
    for step in [0, 1, u32::MAX as u64, u64::MAX - 1] {
        let s = Setup::new(PC).code(&[asm::addi(T0, ZERO, 1)]).step(step);
        check_step(&s, &Expect::next(&s).reg(T0, 1));
        let s = Setup::new(PC).code(&[asm::ebreak()]).step(step);
        check_step(&s, &Expect::halt(&s, Status::Faulted(Fault::Breakpoint)));
    }
}

#[test]
fn halted_state_is_a_fixed_point() {
    let statuses = [
        Status::Exited(0),
        Status::Exited(NEG1),
        Status::Faulted(Fault::InstructionAddressMisaligned),
        Status::Faulted(Fault::IllegalInstruction),
        Status::Faulted(Fault::Breakpoint),
        Status::Faulted(Fault::UnsupportedSyscall),
    ];
    for status in statuses {
        for pc in [PC, PC + 2] {
            let s = Setup::new(pc)
                .code_at(PC, &[asm::sw(T0, 0, ZERO), asm::addi(T0, T0, 1)])
                .status(status);
            let proof = check_step(&s, &Expect::fixed_point(&s));
            assert!(proof.leaves.is_empty());
            assert_eq!(proof.post_state_hash, proof.pre_state_hash);
            // Further runs do nothing either.
            let mut m = s.machine();
            assert_eq!(m.run(u64::MAX), 0);
            assert_eq!(m.state(), s.state());
            // A proof is not accepted where none is needed.
            let mut m = s.machine();
            let leaf = m.memory_mut().proof(PC >> 5);
            let mut extra = Vec::new();
            encode_leaf_proof(&mut extra, &leaf.leaf, &leaf.siblings);
            assert_eq!(
                verify::step(&proof.pre_state, &extra),
                Err(VerifyError::InvalidProofLength)
            );
            assert_eq!(
                verify::step(&proof.pre_state, &[0]),
                Err(VerifyError::InvalidProofLength)
            );
        }
    }
}

#[test]
fn a_program_runs_to_exit_with_every_step_proven() {
    // sum = 0; for i in 1..=10 { sum += i * i }; exit(sum)
    let mut code = vec![
        asm::addi(A0, ZERO, 0),
        asm::addi(T0, ZERO, 10),
        // loop:
        asm::mul(T1, T0, T0),
        asm::add(A0, A0, T1),
        asm::sw(A0, 0, SP),
        asm::lw(T2, 0, SP),
        asm::addi(SP, SP, 3), // misaligned stack walks across leaves
        asm::addi(T0, T0, -1),
        asm::bne(T0, ZERO, -24),
    ];
    code.extend(asm::li(A7, 93));
    code.push(asm::ecall());
    let s = Setup::new(PC).code(&code).reg(SP, DATA + 0x10);
    let end = check_run(&s, 1000);
    assert_eq!(end.status, Status::Exited(385));
    assert_eq!(end.step, STEP + 2 + 7 * 10 + 3);
}
