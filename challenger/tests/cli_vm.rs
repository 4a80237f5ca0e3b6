//! End-to-end tests of `opml vm run|prove` on the committed guest ELF.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn matmul_elf() -> PathBuf {
    repo().join("dnn-lib/guest/bin/matmul.elf")
}

fn opml(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opml"))
        .args(args)
        .output()
        .expect("run opml")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "opml failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

fn hex32(v: &serde_json::Value) -> [u8; 32] {
    let s = v.as_str().expect("hex string");
    hex::decode(s.strip_prefix("0x").expect("0x prefix"))
        .unwrap()
        .try_into()
        .expect("32 bytes")
}

#[test]
fn run_json_reports_exit_and_state_hash() {
    let elf = matmul_elf();
    let out = json(&opml(&["vm", "run", elf.to_str().unwrap(), "--json"]));
    assert_eq!(out["status"], "exited");
    assert!(out["exit_code"].is_u64());
    let steps = out["steps"].as_u64().unwrap();
    assert!(steps > 1000, "matmul runs more than {steps} steps");

    // The same run through the library gives the same hash.
    let program = opml_vm::Program::parse(&std::fs::read(&elf).unwrap()).unwrap();
    let mut m = program.machine().unwrap();
    m.run(u64::MAX);
    assert_eq!(hex32(&out["state_hash"]), m.state().hash());
    assert_eq!(
        out["exit_code"].as_u64(),
        Some(u64::from(match m.status() {
            opml_vm::Status::Exited(c) => c,
            other => panic!("{other:?}"),
        }))
    );
}

#[test]
fn run_stops_at_max_steps() {
    let elf = matmul_elf();
    let out = json(&opml(&[
        "vm",
        "run",
        elf.to_str().unwrap(),
        "--json",
        "--max-steps",
        "10",
    ]));
    assert_eq!(out["status"], "out_of_steps");
    assert_eq!(out["steps"], 10);
    assert!(out["exit_code"].is_null());
    let text = opml(&["vm", "run", elf.to_str().unwrap(), "--max-steps", "10"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("out of steps after 10 steps"));
}

#[test]
fn prove_outputs_a_proof_the_verifier_accepts() {
    let elf = matmul_elf();
    for step in ["0", "1", "777"] {
        let out = json(&opml(&[
            "vm",
            "prove",
            elf.to_str().unwrap(),
            "--step",
            step,
            "--snapshot-interval",
            "100",
        ]));
        assert_eq!(out["step"].as_u64().unwrap().to_string(), step);
        let pre = hex::decode(out["pre_state"].as_str().unwrap().trim_start_matches("0x")).unwrap();
        let proof = hex::decode(
            out["proof_bytes"]
                .as_str()
                .unwrap()
                .trim_start_matches("0x"),
        )
        .unwrap();
        let leaves = out["leaves"].as_array().unwrap();
        assert!(!leaves.is_empty() && leaves.len() <= 3);
        // Each leaf proof: leaf, mask, and a sibling for every height covered whose bit is 0.
        let heights = out["heights"].as_array().unwrap();
        let masks = out["masks"].as_array().unwrap();
        assert_eq!((heights.len(), masks.len()), (leaves.len(), leaves.len()));
        let len: u64 = heights
            .iter()
            .zip(masks)
            .map(|(h, m)| {
                let h = h.as_u64().unwrap();
                let m =
                    u32::from_str_radix(m.as_str().unwrap().trim_start_matches("0x"), 16).unwrap();
                assert_eq!(m >> h, 0);
                36 + 32 * (h - u64::from(m.count_ones()))
            })
            .sum();
        assert_eq!(proof.len() as u64, len);
        let post =
            opml_vm::verify::verify_step(&hex32(&out["pre_state_hash"]), &pre, &proof).unwrap();
        assert_eq!(post, hex32(&out["post_state_hash"]));
    }
}

#[test]
fn prove_past_the_halt_gives_the_fixed_point() {
    let out = json(&opml(&[
        "vm",
        "prove",
        matmul_elf().to_str().unwrap(),
        "--step",
        "100000000",
    ]));
    assert_eq!(out["leaves"].as_array().unwrap().len(), 0);
    assert_eq!(out["pre_state_hash"], out["post_state_hash"]);
}

#[test]
fn bad_input_is_a_clear_error_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("opml-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let garbage = dir.join("garbage.elf");
    std::fs::write(
        &garbage,
        b"this is not an ELF file, just some text bytes for the loader",
    )
    .unwrap();
    let truncated = dir.join("truncated.elf");
    std::fs::write(&truncated, &std::fs::read(matmul_elf()).unwrap()[..60]).unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["vm", "run", "/nonexistent/prog.elf"], "cannot read"),
        (&["vm", "run", garbage.to_str().unwrap()], "not an ELF file"),
        (&["vm", "run", truncated.to_str().unwrap()], "truncated"),
        (
            &["vm", "prove", garbage.to_str().unwrap(), "--step", "0"],
            "not an ELF file",
        ),
    ];
    for (args, needle) in cases {
        let out = opml(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(needle),
            "{args:?}: expected {needle:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
