//! The digits classifiers of `fixtures/make_classifier.py` (a CNN trained with torch, saved as
//! `.pt`, and an MLP saved as safetensors) converted end to end: the integer model stays within
//! the documented bounds of the float reference on the held-out test split, the float reference
//! matches torch's own logits, and the model root is stable.

use std::path::PathBuf;

use opml_converter::arch::Arch;
use opml_converter::classifier::{argmax, convert, read_weights, Converted, NoProgress};
use opml_converter::float::FloatNet;
use opml_converter::samples::{self, Samples};

fn digits() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/digits")
}

fn reference() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(digits().join("reference.json")).unwrap()).unwrap()
}

fn holdout() -> Samples {
    samples::read(digits().join("holdout.json")).unwrap()
}

fn calibration() -> Samples {
    samples::read(digits().join("calibration.npy")).unwrap()
}

fn convert_fixture(model: &str) -> Converted {
    let d = digits();
    let arch = Arch::from_file(d.join(format!("{model}.toml"))).unwrap();
    let weights_file = if model == "cnn" {
        "cnn.pt"
    } else {
        "mlp.safetensors"
    };
    let weights = read_weights(d.join(weights_file)).unwrap();
    convert(
        &arch,
        &weights,
        Some(&calibration()),
        Some(&holdout()),
        &mut NoProgress,
    )
    .unwrap()
}

/// Documented bounds (converter/README.md): top-1 agreement with the float model ≥ 99% and mean
/// cosine similarity of the logits ≥ 0.99 on the held-out test split.
fn check_bounds(model: &str, c: &Converted) {
    let h = c.holdout.as_ref().unwrap();
    println!("{model}: calibration {:#?}\nholdout {h:#?}", c.calibration);
    assert_eq!(h.samples, 539);
    assert!(h.top1_agreement >= 0.99, "{model}: {h:?}");
    assert!(h.cosine_mean >= 0.99, "{model}: {h:?}");
    assert!(
        c.calibration.top1_agreement >= 0.99,
        "{model}: {:?}",
        c.calibration
    );
    let float_acc = reference()[model]["float_test_accuracy"].as_f64().unwrap();
    assert!(
        (h.float_accuracy.unwrap() - float_acc).abs() < 1e-9,
        "{model}"
    );
    assert!(
        h.int_accuracy.unwrap() >= float_acc - 0.01,
        "{model}: {h:?}"
    );
}

#[test]
fn cnn_fixture_within_bounds() {
    check_bounds("cnn", &convert_fixture("cnn"));
}

#[test]
fn mlp_fixture_within_bounds() {
    check_bounds("mlp", &convert_fixture("mlp"));
}

#[test]
fn float_reference_matches_torch() {
    let r = reference();
    let h = holdout();
    for (model, weights) in [("cnn", "cnn.pt"), ("mlp", "mlp.safetensors")] {
        let arch = Arch::from_file(digits().join(format!("{model}.toml"))).unwrap();
        let net = FloatNet::new(&arch, &read_weights(digits().join(weights)).unwrap()).unwrap();
        let logits = r[model]["logits"].as_array().unwrap();
        let mut max_diff = 0f64;
        for (x, want) in h.inputs.iter().zip(logits) {
            let got = net.forward(x);
            for (g, w) in got.iter().zip(want.as_array().unwrap()) {
                max_diff = max_diff.max((*g as f64 - w.as_f64().unwrap()).abs());
            }
        }
        assert!(max_diff < 1e-3, "{model}: max |ours − torch| = {max_diff}");
        let preds = r[model]["predictions"].as_array().unwrap();
        for (i, (x, p)) in h.inputs.iter().zip(preds).enumerate() {
            assert_eq!(
                argmax(&net.forward(x)) as u64,
                p.as_u64().unwrap(),
                "{model} sample {i}"
            );
        }
    }
}

/// Two conversions give the same bytes, and the model roots equal the committed ones
/// (`OPML_UPDATE_EXPECTED=1` rewrites `fixtures/digits/expected_roots.json` after a deliberate
/// change of the converter or the fixtures).
#[test]
fn model_root_is_stable() {
    let path = digits().join("expected_roots.json");
    let mut expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let update = std::env::var_os("OPML_UPDATE_EXPECTED").is_some();
    for model in ["cnn", "mlp"] {
        let (a, b) = (convert_fixture(model), convert_fixture(model));
        assert_eq!(a.bytes, b.bytes, "{model}: two conversions differ");
        let root = format!("0x{}", hex(&a.model_root()));
        if update {
            expected[model] = root.clone().into();
            let text = serde_json::to_string_pretty(&expected).unwrap() + "\n";
            std::fs::write(&path, text).unwrap();
        }
        assert_eq!(
            expected[model].as_str().unwrap(),
            root,
            "{model}: model root differs from the committed fixtures/digits/expected_roots.json"
        );
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
