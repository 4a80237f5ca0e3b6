//! The committed RISC-V guest (dnn-lib/guest/bin): it runs in the opml VM to the exit code that
//! native code predicts from the same opml-dnn source, its program roots are the committed ones,
//! it is a plain Linux RV32IM program (qemu-user agrees), and it rebuilds to the same bytes.

use opml_dnn::testgen::{matmul_checksum, MatmulBench, MATMUL, MATMUL_1G, MATMUL_SEED};
use opml_vm::{Program, Status};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn guest_elf(name: &str) -> PathBuf {
    repo_root()
        .join("dnn-lib/guest/bin")
        .join(format!("{name}.elf"))
}

fn load(name: &str) -> Program {
    let path = guest_elf(name);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/build-guest.sh)", path.display()));
    Program::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The checksum the guest for `bench` must exit with, computed natively from the same source.
fn expected_checksum(bench: MatmulBench) -> u32 {
    let nn = bench.n * bench.n;
    let (mut a, mut b, mut c) = (vec![0i8; nn], vec![0i8; nn], vec![0i32; nn]);
    matmul_checksum(&mut a, &mut b, &mut c, bench.n, bench.reps, MATMUL_SEED)
}

fn expected_output(checksum: u32) -> String {
    format!("checksum 0x{checksum:08x}\n")
}

/// dnn-lib/guest/bin/program-roots.json.
fn committed_root(name: &str) -> String {
    let path = repo_root().join("dnn-lib/guest/bin/program-roots.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/build-guest.sh)", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("program-roots.json parses");
    json[name]
        .as_str()
        .unwrap_or_else(|| panic!("program-roots.json has no {name:?}"))
        .to_string()
}

fn program_root_hex(program: &Program) -> String {
    let root = program.program_root().expect("program root");
    let hex: String = root.iter().map(|b| format!("{b:02x}")).collect();
    format!("0x{hex}")
}

/// Runs `name` in the VM to its end and checks exit code, output and program root.
fn run_in_vm(name: &str, bench: MatmulBench, max_steps: u64) -> u64 {
    let program = load(name);
    assert_eq!(
        program_root_hex(&program),
        committed_root(name),
        "{name}: program root differs from program-roots.json (run scripts/build-guest.sh)"
    );
    let expected = expected_checksum(bench);
    let mut machine = program.machine().expect("machine");
    machine.capture_output();
    machine.run(max_steps);
    assert_eq!(machine.status(), Status::Exited(expected), "{name}");
    assert_eq!(
        String::from_utf8_lossy(&machine.take_output()),
        expected_output(expected),
        "{name}: output"
    );
    machine.step()
}

#[test]
fn guest_matmul() {
    let steps = run_in_vm("matmul", MATMUL, 10_000_000);
    assert!(
        (100_000..2_000_000).contains(&steps),
        "matmul ran {steps} steps"
    );
}

/// About 1.16 × 10^9 instructions: a few seconds (opml-vm is optimised even in debug builds).
#[test]
fn guest_matmul_1g() {
    let steps = run_in_vm("matmul-1g", MATMUL_1G, 2_000_000_000);
    assert!(
        (1_000_000_000..1_300_000_000).contains(&steps),
        "matmul-1g ran {steps} steps"
    );
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// The guest is a plain Linux RV32IM program: qemu-user runs it to the same exit code (Linux
/// keeps its low 8 bits) and prints the full checksum.
#[test]
fn guest_matmul_under_qemu() {
    if !on_path("qemu-riscv32-static") {
        println!(
            "skipped: qemu-riscv32-static is not on PATH (scripts/install-deps.sh installs it)"
        );
        return;
    }
    // qemu-user runs only executable files: use a copy whose mode is known.
    let dir = std::env::temp_dir().join(format!("opml-guest-qemu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let elf = dir.join("matmul.elf");
    std::fs::copy(guest_elf("matmul"), &elf).expect("copy matmul.elf");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&elf, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let out = Command::new("qemu-riscv32-static")
        .arg(&elf)
        .output()
        .expect("run qemu-riscv32-static");
    let _ = std::fs::remove_dir_all(&dir);
    let expected = expected_checksum(MATMUL);
    assert_eq!(
        out.status.code(),
        Some((expected & 0xff) as i32),
        "qemu exit status; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        expected_output(expected)
    );
}

/// `scripts/build-guest.sh --check`: a fresh build gives the committed bytes and program roots.
/// Needs the Debian guest toolchain; skipped without it unless OPML_REQUIRE_GUEST_TOOLCHAIN=1.
#[test]
fn guest_build_is_reproducible() {
    let required = std::env::var("OPML_REQUIRE_GUEST_TOOLCHAIN").is_ok_and(|v| v == "1");
    let present = Path::new("/usr/bin/rustc").exists() && on_path("ld.lld");
    if !present && !required {
        println!(
            "skipped: the guest toolchain (/usr/bin/rustc, ld.lld) is missing; \
             run scripts/install-guest-toolchain.sh or set OPML_REQUIRE_GUEST_TOOLCHAIN=1"
        );
        return;
    }
    let root = repo_root();
    let out = Command::new(root.join("scripts/build-guest.sh"))
        .arg("--check")
        .current_dir(&root)
        .output()
        .expect("run scripts/build-guest.sh --check");
    assert!(
        out.status.success(),
        "scripts/build-guest.sh --check failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
