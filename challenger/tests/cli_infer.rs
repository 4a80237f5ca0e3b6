//! End-to-end tests of `opml infer`: a real model file, JSON and raw inputs, the printed roots
//! equal the library's, bad inputs give clear errors.

use opml_dnn::exec::{run, ReferenceBackend};
use opml_dnn::model::Model;
use opml_dnn::tensor::read_elem;
use opml_dnn::testmodels::{mlp, random_input};
use std::path::PathBuf;
use std::process::{Command, Output};

struct Files {
    dir: PathBuf,
}

impl Files {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("opml-cli-infer-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn opml(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opml"))
        .args(args)
        .output()
        .expect("run opml")
}

#[test]
fn infer_prints_output_and_roots() {
    let files = Files::new("ok");
    let bytes = mlp(11, &[32, 16, 8]).to_model_bytes("").unwrap();
    let model_path = files.write("m.opml", &bytes);
    let model = Model::from_bytes(bytes).unwrap();
    let input = random_input(3, model.input_info());
    let expected = run(&model, &input, &ReferenceBackend).unwrap();
    let values: Vec<i32> = (0..input.len())
        .map(|i| read_elem(model.input_info().dtype, &input, i))
        .collect();
    let json_input = files.write("x.json", serde_json::to_string(&values).unwrap().as_bytes());
    let raw_input = files.write("x.bin", &input);
    for input_path in [&json_input, &raw_input] {
        let out = opml(&["infer", &model_path, input_path, "--json", "--roots"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            v["model_root"],
            format!("0x{}", hex::encode(model.roots().model))
        );
        assert_eq!(
            v["final_state_root"],
            format!("0x{}", hex::encode(expected.final_state_root()))
        );
        let out_info = model.output_info();
        let want: Vec<i32> = (0..out_info.len())
            .map(|i| read_elem(out_info.dtype, expected.output(), i))
            .collect();
        assert_eq!(v["output"], serde_json::json!(want));
        assert_eq!(
            v["state_roots"].as_array().unwrap().len(),
            model.nodes().len()
        );
    }
    let text = opml(&["infer", &model_path, &raw_input]);
    assert!(text.status.success());
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("final state root") && stdout.contains("argmax"),
        "{stdout}"
    );
}

#[test]
fn bad_inputs_are_clear_errors() {
    let files = Files::new("bad");
    let bytes = mlp(12, &[8, 4]).to_model_bytes("").unwrap();
    let model_path = files.write("m.opml", &bytes);
    let mut corrupt = bytes.clone();
    let last = corrupt.len() - 1;
    corrupt[last] ^= 1;
    let corrupt_path = files.write("bad.opml", &corrupt);
    let good_input = files.write("x.bin", &[1u8; 8]);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["infer", "/nonexistent.opml", &good_input],
            "cannot read",
        ),
        (
            vec!["infer", &corrupt_path, &good_input],
            "model root mismatch",
        ),
        (
            vec!["infer", &model_path, "/nonexistent.bin"],
            "cannot read",
        ),
    ];
    let short = files.write("short.bin", &[1u8; 3]);
    let wrong_count = files.write("n.json", b"[1, 2, 3]");
    let out_of_range = files.write("r.json", b"[1, 2, 3, 4, 5, 6, 7, 300]");
    let not_json = files.write("s.json", b"{oops");
    let more: Vec<(Vec<&str>, &str)> = vec![
        (vec!["infer", &model_path, &short], "3 bytes"),
        (vec!["infer", &model_path, &wrong_count], "3 values"),
        (vec!["infer", &model_path, &out_of_range], "300"),
        (vec!["infer", &model_path, &not_json], "JSON array"),
    ];
    for (args, needle) in cases.into_iter().chain(more) {
        let out = opml(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(needle),
            "{args:?}: expected {needle:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn model_example_then_inspect_then_infer() {
    let files = Files::new("example");
    let path = files.dir.join("cnn.opml");
    let path = path.to_str().unwrap();
    let out = opml(&["model", "example", "cnn", path, "--seed", "3"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let model = Model::open(std::path::Path::new(path)).unwrap();
    let inspect = opml(&["model", "inspect", path, "--nodes"]);
    let stdout = String::from_utf8_lossy(&inspect.stdout);
    assert!(
        stdout.contains(&hex::encode(model.roots().model)),
        "{stdout}"
    );
    assert!(
        stdout.contains("conv2d") && stdout.contains("pool2d"),
        "{stdout}"
    );
    let input = files.write("img.bin", &random_input(1, model.input_info()));
    assert!(opml(&["infer", path, &input]).status.success());
    let bad = opml(&["model", "inspect", "/nonexistent.opml"]);
    assert_eq!(bad.status.code(), Some(1));
}
