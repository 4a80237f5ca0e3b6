//! Every committed fixture reads to exactly the values `make_fixtures.py` recorded.

mod common;

use std::collections::BTreeSet;

use common::{fixtures, read_fixture, GOOD};
use opml_converter::{detect_format, read_file, Format, MetaValue, TensorMap};
use serde_json::{json, Value};

fn expected() -> Value {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The JSON shape `make_fixtures.py` writes for metadata (f32 as its bits).
fn meta_json(v: &MetaValue) -> Value {
    match v {
        MetaValue::U8(x) => json!({ "U8": x }),
        MetaValue::I8(x) => json!({ "I8": x }),
        MetaValue::U16(x) => json!({ "U16": x }),
        MetaValue::I16(x) => json!({ "I16": x }),
        MetaValue::U32(x) => json!({ "U32": x }),
        MetaValue::I32(x) => json!({ "I32": x }),
        MetaValue::U64(x) => json!({ "U64": x }),
        MetaValue::I64(x) => json!({ "I64": x }),
        MetaValue::F32(x) => json!({ "F32": x.to_bits() }),
        MetaValue::F64(x) => json!({ "F64": x }),
        MetaValue::Bool(x) => json!({ "Bool": x }),
        MetaValue::Str(x) => json!({ "Str": x }),
        MetaValue::Array(items) => {
            json!({ "Array": items.iter().map(meta_json).collect::<Vec<_>>() })
        }
        other => panic!("unexpected metadata value {other:?}"),
    }
}

fn check(rel: &str, got: &TensorMap, want: &Value) {
    let format = format!("{:?}", got.metadata.format);
    assert_eq!(format, want["format"].as_str().unwrap(), "{rel}: format");

    let want_tensors = want["tensors"].as_object().unwrap();
    let got_names: BTreeSet<&str> = got.tensors.keys().map(String::as_str).collect();
    let want_names: BTreeSet<&str> = want_tensors.keys().map(String::as_str).collect();
    assert_eq!(got_names, want_names, "{rel}: tensor names");

    for (name, w) in want_tensors {
        let t = &got.tensors[name];
        let shape: Vec<usize> = serde_json::from_value(w["shape"].clone()).unwrap();
        assert_eq!(t.shape, shape, "{rel}: shape of {name}");
        assert_eq!(
            t.source_dtype.name(),
            w["dtype"].as_str().unwrap(),
            "{rel}: dtype of {name}"
        );
        let bits: Vec<u32> = serde_json::from_value(w["bits"].clone()).unwrap();
        let got_bits: Vec<u32> = t.data.iter().map(|x| x.to_bits()).collect();
        assert_eq!(
            got_bits.len(),
            shape.iter().product::<usize>(),
            "{rel}: {name} numel"
        );
        assert_eq!(got_bits, bits, "{rel}: values of {name} (f32 bits)");
    }

    for (key, w) in want["kv"].as_object().unwrap() {
        let v = got
            .metadata
            .kv
            .get(key)
            .unwrap_or_else(|| panic!("{rel}: metadata key {key} missing"));
        assert_eq!(&meta_json(v), w, "{rel}: metadata {key}");
    }
    match want.get("config") {
        Some(cfg) => assert_eq!(
            got.metadata.config.as_ref(),
            Some(cfg),
            "{rel}: config.json"
        ),
        None => assert_eq!(got.metadata.config, None, "{rel}: no config.json"),
    }
}

#[test]
fn every_fixture_reads_to_the_expected_bits() {
    let expected = expected();
    let entries = expected.as_object().unwrap();
    let listed: BTreeSet<&str> = entries.keys().map(String::as_str).collect();
    assert_eq!(listed, GOOD.iter().copied().collect(), "fixture list");
    for (rel, want) in entries {
        let got = read_file(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        check(rel, &got, want);
    }
}

#[test]
fn formats_are_detected() {
    let want = [
        ("torch/checkpoint.pt", Format::TorchZip),
        ("torch/legacy.pt", Format::TorchLegacy),
        ("safetensors/model.safetensors", Format::Safetensors),
        ("gguf/tiny.gguf", Format::Gguf),
    ];
    for (rel, f) in want {
        assert_eq!(detect_format(&read_fixture(rel)), Some(f), "{rel}");
    }
    assert_eq!(detect_format(b"hello world"), None);
    assert_eq!(detect_format(b""), None);
}

#[test]
fn gguf_shapes_are_outermost_first() {
    let m = read_file(fixtures().join("gguf/tiny.gguf")).unwrap();
    // gguf-py wrote numpy shape (2, 3, 4), i.e. GGUF dims [4, 3, 2].
    assert_eq!(m.tensors["f32_3d"].shape, vec![2, 3, 4]);
    assert_eq!(m.tensors["q8_0"].shape, vec![2, 64]);
    assert_eq!(
        m.metadata.kv["general.architecture"],
        MetaValue::Str("opml-test".into())
    );
    let aligned = read_file(fixtures().join("gguf/aligned64.gguf")).unwrap();
    assert_eq!(aligned.metadata.kv["general.alignment"], MetaValue::U32(64));
}

#[test]
fn torch_zip_details() {
    let m = read_file(fixtures().join("torch/checkpoint.pt")).unwrap();
    // The tied entry is the same tensor as linear.weight.
    assert_eq!(m.tensors["model.tied"], m.tensors["model.linear.weight"]);
    assert_eq!(m.tensors["model.scalar"].shape, Vec::<usize>::new());
    assert_eq!(m.tensors["model.scalar"].data, vec![3.5]);
    assert_eq!(m.tensors["model.empty"].shape, vec![0, 3]);
    assert!(m.tensors["model.empty"].data.is_empty());
    // Rounding of 64-bit ints: 2^40 + 1 -> 2^40, 16777217 -> 16777216.
    assert_eq!(
        m.tensors["model.big_ints"].data,
        vec![(1u64 << 40) as f32, -9007199254740992.0, 16777216.0]
    );
    // `optimizer: None` is skipped; no config.json beside the torch fixtures.
    assert!(!m.metadata.kv.contains_key("optimizer"));
    assert!(m.metadata.config.is_none());
}

#[test]
fn torch_legacy_state_dict_names() {
    let m = read_file(fixtures().join("torch/legacy.pt")).unwrap();
    let names: Vec<&str> = m.tensors.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["0.bias", "0.weight", "1.bias", "1.weight", "emb", "ids", "view"]
    );
    assert_eq!(m.metadata.format, Format::TorchLegacy);
}

#[test]
fn safetensors_metadata_and_config() {
    let m = read_file(fixtures().join("safetensors/model.safetensors")).unwrap();
    assert_eq!(m.metadata.kv["format"].as_str(), Some("pt"));
    let cfg = m.metadata.config.as_ref().unwrap();
    assert_eq!(cfg["hidden_size"], 3);
    assert_eq!(m.tensors["mask"].data, vec![1.0, 0.0, 0.0, 1.0]);
}

#[test]
fn bytes_and_file_entry_points_agree() {
    for rel in GOOD {
        let mut from_file = read_file(fixtures().join(rel)).unwrap();
        from_file.metadata.config = None;
        let from_bytes = opml_converter::read_bytes(&read_fixture(rel)).unwrap();
        assert_eq!(from_file, from_bytes, "{rel}");
    }
}
