//! RV32IM conformance programs, riscv-tests style: `vm/tests/programs/src/*.S`, assembled by
//! `scripts/build-conformance.sh` into the committed `vm/tests/programs/*.elf`.
//!
//! For every program, one test per check:
//! - `pass::<name>`: the fast interpreter runs it to `Exited(0)` (a failing subtest n exits with
//!   `(n << 1) | 1`, reported by number); then a [`Trace`] of the run proves every step, and the
//!   literal verifier must return exactly the prover's post-state hash, which must be the hash of
//!   the traced state after the step (and the next step's pre-state).
//! - `expect::<name>`: programs that must end in one exact status (a fault, an exit code), with
//!   the pc where it happened; every step proven and verified the same way.
//! - `qemu::<name>`: the program under `qemu-riscv32-static` (Linux's exit and write are the
//!   VM's system calls 93 and 64) exits the same way and writes the same bytes, which checks the
//!   programs themselves. Skipped, with a printed line, when qemu is not on PATH.
//! - `elfs_are_reproducible`: `scripts/build-conformance.sh --check`.

use opml_vm::layout::STACK_TOP;
use opml_vm::verify::verify_step;
use opml_vm::{Fault, Machine, Program, Status, Trace, VmState};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every program halts far earlier; a run that reaches this is a failure.
const MAX_STEPS: u64 = 1_000_000;
/// Small, so that proving a step replays few instructions.
const SNAPSHOT_INTERVAL: u64 = 128;

/// Where a halting program must have stopped.
#[derive(Debug, Clone, Copy)]
enum At {
    /// pc points at this instruction word (the one that halted).
    Insn(u32),
    /// pc is the value the program left in a1, and is 2 mod 4 (a misaligned fetch).
    MisalignedPcInA1,
}

/// `ecall`.
const ECALL: u32 = 0x0000_0073;
/// `ebreak`.
const EBREAK: u32 = 0x0010_0073;
/// `csrr a0, cycle` = `csrrs a0, 0xc00, x0`.
const CSRR_A0_CYCLE: u32 = 0xC000_2573;
/// `c.li a0, 0` then `c.nop`, read as one word.
const C_LI_C_NOP: u32 = 0x0001_4501;
/// Register a1.
const A1: usize = 11;

fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("vm/ has a parent")
        .to_path_buf()
}

fn elf_path(name: &str) -> PathBuf {
    programs_dir().join(format!("{name}.elf"))
}

fn load(name: &str) -> Program {
    let path = elf_path(name);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/build-conformance.sh)", path.display()));
    Program::parse(&bytes).unwrap_or_else(|e| panic!("{name}.elf: {e}"))
}

/// A fresh machine at the entry point, checked to start as specified: sp = 0x4000_0000, every
/// other register 0, pc at the ELF entry, step 0, running.
fn machine(name: &str, program: &Program) -> Machine {
    let m = program
        .machine()
        .unwrap_or_else(|e| panic!("{name}: machine: {e}"));
    let mut regs = [0u32; 32];
    regs[2] = STACK_TOP;
    assert_eq!(
        (m.pc(), m.step(), m.status(), m.regs()),
        (program.entry, 0, Status::Running, regs),
        "{name}: initial state"
    );
    m
}

/// Runs `name` in the fast interpreter until it halts; returns the machine and what it wrote.
fn run(name: &str) -> (Machine, Vec<u8>) {
    let program = load(name);
    let mut m = machine(name, &program);
    m.capture_output();
    m.run(MAX_STEPS);
    let output = m.take_output();
    (m, output)
}

/// Records a trace of `name` and proves every step, including one past the halt (a halted
/// state is a fixed point). For each step: the literal verifier returns exactly the prover's
/// post-state hash, which is the hash of the traced state after the step, and the pre-state is
/// the previous step's post-state. Returns the final state and the most data leaves one step
/// touched, with the index pairs of steps touching two leaves.
fn prove_every_step(name: &str) -> (VmState, Vec<(u32, u32)>) {
    let program = load(name);
    let trace = Trace::record(machine(name, &program), MAX_STEPS, SNAPSHOT_INTERVAL);
    let last = *trace.final_state();
    assert!(
        last.status.is_halted(),
        "{name}: still running after {MAX_STEPS} steps (pc {:#x})",
        last.pc
    );
    let mut previous_post = trace.state_at(0).expect("state 0").hash();
    let mut crossings = Vec::new();
    for step in 0..=last.step {
        let proof = trace
            .prove(step)
            .unwrap_or_else(|e| panic!("{name}: prove step {step}: {e}"));
        let pre = VmState::decode(&proof.pre_state).expect("canonical pre-state");
        let what = format!("{name}: step {step} (pc {:#010x})", pre.pc);
        assert_eq!(proof.step, step, "{what}: proof step number");
        assert_eq!(
            proof.pre_state_hash, previous_post,
            "{what}: pre-state is not the previous post-state"
        );
        let verified = verify_step(
            &proof.pre_state_hash,
            &proof.pre_state,
            &proof.proof_bytes(),
        )
        .unwrap_or_else(|e| panic!("{what}: the literal verifier rejects the proof: {e}"));
        assert_eq!(
            verified, proof.post_state_hash,
            "{what}: verifier and prover disagree on the post-state"
        );
        let post = trace
            .state_at(step + 1)
            .unwrap_or_else(|e| panic!("{what}: state_at: {e}"));
        assert_eq!(
            post.hash(),
            proof.post_state_hash,
            "{what}: proof post-state is not the traced state after the step"
        );
        if let [_, a, b] = proof.leaves.as_slice() {
            crossings.push((a.index, b.index));
        }
        previous_post = proof.post_state_hash;
    }
    (last, crossings)
}

/// Describes how a program that should exit 0 ended instead.
fn describe_failure(name: &str, m: &Machine) -> String {
    match m.status() {
        Status::Exited(code) if code & 1 == 1 => format!(
            "{name}: subtest {} failed (exit code {code:#x}; see test_{} in \
             vm/tests/programs/src/{name}.S)",
            code >> 1,
            code >> 1
        ),
        status => format!(
            "{name}: ended with {status:?} at pc {:#010x} after {} steps, not Exited(0)",
            m.pc(),
            m.step()
        ),
    }
}

/// A program whose subtests must all pass.
fn check_pass(name: &str) {
    let (mut m, _) = run(name);
    assert!(
        m.status() == Status::Exited(0),
        "{}",
        describe_failure(name, &m)
    );
    let (last, crossings) = prove_every_step(name);
    assert_eq!(
        last,
        m.state(),
        "{name}: traced and fast final states differ"
    );
    match name {
        // The leaf-crossing cases must really have produced two-leaf proofs.
        "misaligned" => assert!(
            crossings.iter().any(|&(a, b)| b == a + 1 && a % 128 == 127),
            "{name}: no access crossed a page: {crossings:?}"
        ),
        "misaligned_wrap" => assert!(
            crossings.contains(&((1 << 27) - 1, 0)),
            "{name}: no access wrapped from the last leaf to leaf 0: {crossings:?}"
        ),
        "smc" => assert!(
            !crossings.is_empty(),
            "{name}: the patching store did not cross a leaf"
        ),
        _ => {}
    }
}

/// A program that must end in exactly `want`, at `at`.
fn check_expect(name: &str, want: Status, at: At) {
    let (mut m, _) = run(name);
    assert_eq!(
        m.status(),
        want,
        "{name}: pc {:#010x}, step {}",
        m.pc(),
        m.step()
    );
    match at {
        At::Insn(word) => assert_eq!(
            m.memory().read_u32(m.pc()),
            word,
            "{name}: halted at pc {:#010x}, not at the expected instruction",
            m.pc()
        ),
        At::MisalignedPcInA1 => {
            assert_eq!(m.pc(), m.reg(A1), "{name}: fault pc");
            assert_eq!(m.pc() % 4, 2, "{name}: fault pc {:#010x}", m.pc());
        }
    }
    let (last, _) = prove_every_step(name);
    assert_eq!(
        last,
        m.state(),
        "{name}: traced and fast final states differ"
    );
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Runs `name` under qemu-riscv32-static: it must exit with the low byte of `want` (Linux keeps
/// 8 bits) and write exactly the bytes the VM captured from the write system call.
fn check_qemu(name: &str, want: u32) {
    if !on_path("qemu-riscv32-static") {
        println!(
            "skipped: qemu-riscv32-static is not on PATH (scripts/install-deps.sh installs it)"
        );
        return;
    }
    // qemu-user runs only executable files: use a copy whose mode is known.
    let dir = std::env::temp_dir().join(format!("opml-conformance-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let elf = dir.join(format!("{name}.elf"));
    std::fs::copy(elf_path(name), &elf).expect("copy the ELF");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&elf, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let out = Command::new("timeout")
        .args(["60", "qemu-riscv32-static"])
        .arg(&elf)
        .output()
        .expect("run qemu-riscv32-static");
    let _ = std::fs::remove_dir_all(&dir);
    let code = out.status.code();
    let explain = match code {
        Some(c) if c & 1 == 1 && want == 0 => {
            format!(" (subtest {} failed: the program itself is wrong)", c >> 1)
        }
        _ => String::new(),
    };
    assert_eq!(
        code,
        Some((want & 0xff) as i32),
        "{name} under qemu: {}{explain}; stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let mut qemu_output = out.stdout;
    qemu_output.extend_from_slice(&out.stderr);
    let (_, vm_output) = run(name);
    assert_eq!(
        String::from_utf8_lossy(&qemu_output),
        String::from_utf8_lossy(&vm_output),
        "{name}: qemu and the VM wrote different bytes"
    );
}

/// One test per program and check; see the module comment.
macro_rules! conformance {
    (
        pass: [$($pass:ident),* $(,)?],
        vm_only: [$($vm_only:ident),* $(,)?],
        expect: [$($expect:ident => $status:expr, $at:expr;)*],
        qemu_expect: [$($qemu_expect:ident => $code:expr),* $(,)?],
    ) => {
        /// Every program the harness knows, for the completeness check.
        const ALL: &[&str] = &[
            $(stringify!($pass),)* $(stringify!($vm_only),)* $(stringify!($expect),)*
        ];

        mod pass {
            $(#[test] fn $pass() { super::check_pass(stringify!($pass)); })*
            $(#[test] fn $vm_only() { super::check_pass(stringify!($vm_only)); })*
        }

        mod expect {
            #[allow(unused_imports)]
            use super::{At::*, Fault::*, Status::*, *};
            $(#[test] fn $expect() { check_expect(stringify!($expect), $status, $at); })*
        }

        mod qemu {
            $(#[test] fn $pass() { super::check_qemu(stringify!($pass), 0); })*
            $(#[test] fn $qemu_expect() { super::check_qemu(stringify!($qemu_expect), $code); })*
        }
    };
}

conformance! {
    pass: [
        // RV32I: upper immediates and jumps.
        lui, auipc, jal, jalr,
        // Branches.
        beq, bne, blt, bge, bltu, bgeu,
        // Loads and stores.
        lb, lh, lw, lbu, lhu, sb, sh, sw,
        // Register-immediate.
        addi, slti, sltiu, xori, ori, andi, slli, srli, srai,
        // Register-register.
        add, sub, sll, slt, sltu, xor, srl, sra, or, and,
        // Fences (fence, fence.i, fence.tso, pause).
        fence,
        // M extension.
        mul, mulh, mulhsu, mulhu, div, divu, rem, remu,
        // Behaviour beyond single instructions.
        ecall_write, zero_reg, misaligned, smc, data_bss,
    ],
    // Correct only under the VM's rules, which qemu-user does not share (address 0 and the top
    // page unmappable; no precise self-modifying code within a translation block).
    vm_only: [misaligned_wrap, smc_next],
    expect: [
        fault_ebreak => Faulted(Breakpoint), Insn(EBREAK);
        fault_csr => Faulted(IllegalInstruction), Insn(CSRR_A0_CYCLE);
        fault_zero_word => Faulted(IllegalInstruction), Insn(0);
        fault_compressed => Faulted(IllegalInstruction), Insn(C_LI_C_NOP);
        fault_syscall => Faulted(UnsupportedSyscall), Insn(ECALL);
        fault_misaligned_pc => Faulted(InstructionAddressMisaligned), MisalignedPcInA1;
        fault_misaligned_branch => Faulted(InstructionAddressMisaligned), MisalignedPcInA1;
        exit_code => Exited(0xDEAD_BEEF), Insn(ECALL);
        // Harness self-test: subtest 4 is wrong on purpose, so the exit code must name it.
        selftest_fail => Exited((4 << 1) | 1), Insn(ECALL);
    ],
    qemu_expect: [exit_code => 0xDEAD_BEEF, selftest_fail => (4 << 1) | 1],
}

/// Every source has a test and a built ELF, and every ELF a source.
#[test]
fn every_program_is_tested() {
    let names = |dir: &Path, ext: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| {
                let p = e.expect("dir entry").path();
                (p.extension()? == ext).then(|| p.file_stem()?.to_str().map(String::from))?
            })
            .collect();
        v.sort();
        v
    };
    let sources = names(&programs_dir().join("src"), "S");
    let elfs = names(&programs_dir(), "elf");
    let mut tested: Vec<String> = ALL.iter().map(|s| s.to_string()).collect();
    tested.sort();
    assert_eq!(
        elfs, sources,
        "built ELFs and sources differ (run scripts/build-conformance.sh)"
    );
    assert_eq!(
        tested, sources,
        "programs and tests differ: add the program to conformance! in vm/tests/conformance.rs"
    );
}

/// `scripts/build-conformance.sh --check`: rebuilding gives the committed bytes. Needs
/// riscv64-unknown-elf-as; skipped without it unless OPML_REQUIRE_GUEST_TOOLCHAIN=1.
#[test]
fn elfs_are_reproducible() {
    let required = std::env::var("OPML_REQUIRE_GUEST_TOOLCHAIN").is_ok_and(|v| v == "1");
    let present = on_path("riscv64-unknown-elf-as") && on_path("riscv64-unknown-elf-ld");
    if !present {
        assert!(
            !required,
            "OPML_REQUIRE_GUEST_TOOLCHAIN=1 but riscv64-unknown-elf-as/ld are missing \
             (scripts/build-conformance.sh --install-only installs them)"
        );
        println!(
            "skipped: riscv64-unknown-elf-as is missing; run \
             scripts/build-conformance.sh --install-only or set OPML_REQUIRE_GUEST_TOOLCHAIN=1"
        );
        return;
    }
    let root = repo_root();
    let out = Command::new(root.join("scripts/build-conformance.sh"))
        .arg("--check")
        .current_dir(&root)
        .output()
        .expect("run scripts/build-conformance.sh --check");
    assert!(
        out.status.success(),
        "scripts/build-conformance.sh --check failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
