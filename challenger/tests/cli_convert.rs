//! `opml convert` end to end: the digits CNN fixture (a torch state dict) becomes a model whose
//! root is the committed one and whose report meets the documented bounds; `opml infer` runs
//! it and agrees with the converter's integer run; a bad architecture is a clear error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use opml_converter::arch::Arch;
use opml_converter::classifier::{argmax, convert, read_weights, NoProgress};
use opml_converter::samples;

fn digits() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("converter/fixtures/digits")
}

fn opml(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opml"))
        .args(args)
        .output()
        .expect("run opml")
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("opml-cli-convert-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn convert_then_infer() {
    let dir = TempDir::new("ok");
    let d = digits();
    let f = |n: &str| d.join(n).to_str().unwrap().to_string();
    let model = dir.path("cnn.opml");
    let args = [
        "convert",
        "--arch",
        &f("cnn.toml"),
        "--weights",
        &f("cnn.pt"),
        "--calibration",
        &f("calibration.npy"),
        "--holdout",
        &f("holdout.json"),
        "--out",
        &model,
    ];
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let report: serde_json::Value = serde_json::from_str(&ok(&opml(&json_args))).unwrap();
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("expected_roots.json")).unwrap()).unwrap();
    assert_eq!(report["model_root"], expected["cnn"]);
    let h = &report["holdout"];
    assert_eq!(h["samples"], 539);
    assert!(h["top1_agreement"].as_f64().unwrap() >= 0.99, "{h}");
    assert!(h["cosine_mean"].as_f64().unwrap() >= 0.99, "{h}");
    assert_eq!(report["input"]["scale"], 0.125);
    assert_eq!(report["input"]["zero_point"], -128);

    // The text report.
    let text = ok(&opml(&args));
    for needle in [
        "model root   0x",
        "calibration  200 samples",
        "holdout",
        "top-1 agree",
    ] {
        assert!(text.contains(needle), "{needle:?} missing in:\n{text}");
    }

    // `opml infer` on quantized held-out images gives the converter's integer prediction.
    let arch = Arch::from_file(d.join("cnn.toml")).unwrap();
    let c = convert(
        &arch,
        &read_weights(d.join("cnn.pt")).unwrap(),
        Some(&samples::read(d.join("calibration.npy")).unwrap()),
        None,
        &mut NoProgress,
    )
    .unwrap();
    let holdout = samples::read(d.join("holdout.json")).unwrap();
    for i in [0, 1, 100] {
        let x = &holdout.inputs[i];
        let q: Vec<i32> = c
            .quantize_input(x)
            .iter()
            .map(|&b| b as i8 as i32)
            .collect();
        let input = dir.path(&format!("x{i}.json"));
        std::fs::write(&input, serde_json::to_string(&q).unwrap()).unwrap();
        let out: serde_json::Value =
            serde_json::from_str(&ok(&opml(&["infer", &model, &input, "--json"]))).unwrap();
        assert_eq!(out["model_root"], expected["cnn"]);
        assert_eq!(out["argmax"], argmax(&c.run(x)), "sample {i}");
        assert_eq!(
            out["argmax"],
            holdout.labels.as_ref().unwrap()[i],
            "sample {i}"
        );
    }
}

#[test]
fn convert_errors_name_the_problem() {
    let dir = TempDir::new("err");
    let d = digits();
    let toml = std::fs::read_to_string(d.join("cnn.toml"))
        .unwrap()
        .replace("\"classifier.weight\"", "\"head.weight\"");
    let arch = dir.path("bad.toml");
    std::fs::write(&arch, toml).unwrap();
    let out = opml(&[
        "convert",
        "--arch",
        &arch,
        "--weights",
        d.join("cnn.pt").to_str().unwrap(),
        "--calibration",
        d.join("calibration.npy").to_str().unwrap(),
        "--out",
        &dir.path("m.opml"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("layer 9 (linear): tensor 'head.weight' (weight) is not in the weights")
            && stderr.contains("classifier.weight"),
        "{stderr}"
    );
    assert!(!Path::new(&dir.path("m.opml")).exists());
}
