//! Every layer option on a random-weight torch network (`fixtures/layers`, written by
//! `fixtures/make_classifier.py`): the float reference equals torch's outputs, and the integer
//! model stays close to the float reference, with percentile calibration and int16 layers
//! ("every") and with synthetic calibration from a fixed input quantization ("every-pool").

use std::path::PathBuf;

use opml_converter::arch::Arch;
use opml_converter::classifier::{convert, read_weights, NoProgress};
use opml_converter::float::FloatNet;
use opml_converter::samples::Samples;

fn layers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/layers")
}

fn reference() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(layers().join("reference.json")).unwrap()).unwrap()
}

fn floats(v: &serde_json::Value) -> Vec<Vec<f32>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap() as f32)
                .collect()
        })
        .collect()
}

/// Inputs like the reference's: multiples of 1/8 in [-1, 1], from a fixed LCG.
fn inputs(n: usize, seed: u64) -> Samples {
    let mut s = seed;
    let inputs = (0..n)
        .map(|_| {
            (0..3 * 12 * 12)
                .map(|_| {
                    s = s
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    ((s >> 33) % 17) as f32 / 8.0 - 1.0
                })
                .collect()
        })
        .collect();
    Samples {
        inputs,
        labels: None,
    }
}

#[test]
fn float_reference_matches_torch_on_every_layer() {
    let r = reference();
    let x = floats(&r["inputs"]);
    let weights = read_weights(layers().join("every.pt")).unwrap();
    for (toml, key) in [("every.toml", "every"), ("every_pool.toml", "every_pool")] {
        let arch = Arch::from_file(layers().join(toml)).unwrap();
        let net = FloatNet::new(&arch, &weights).unwrap();
        let want = floats(&r[key]);
        let mut max_diff = 0f32;
        for (x, w) in x.iter().zip(&want) {
            let got = net.forward(x);
            assert_eq!(got.len(), w.len(), "{key}");
            for (g, w) in got.iter().zip(w) {
                max_diff = max_diff.max((g - w).abs());
            }
        }
        assert!(max_diff < 1e-4, "{key}: max |ours − torch| = {max_diff}");
    }
}

#[test]
fn integer_model_follows_float_on_every_layer() {
    let weights = read_weights(layers().join("every.pt")).unwrap();
    let cal = inputs(64, 1);
    let held = inputs(32, 2);
    let arch = Arch::from_file(layers().join("every.toml")).unwrap();
    let c = convert(&arch, &weights, Some(&cal), Some(&held), &mut NoProgress).unwrap();
    let h = c.holdout.as_ref().unwrap();
    println!("every: {h:?}");
    assert!(h.cosine_mean >= 0.99 && h.cosine_min >= 0.98, "{h:?}");
    let arch = Arch::from_file(layers().join("every_pool.toml")).unwrap();
    let c = convert(&arch, &weights, None, Some(&held), &mut NoProgress).unwrap();
    assert_eq!(c.calibration_source, "256 synthetic inputs");
    let h = c.holdout.as_ref().unwrap();
    println!("every-pool: {h:?}");
    assert!(h.cosine_mean >= 0.99 && h.cosine_min >= 0.98, "{h:?}");
    // The graph holds the ops the layers map to.
    let ops: Vec<&str> = c.model.nodes().iter().map(|n| n.op.name()).collect();
    for op in ["conv2d", "pool2d", "binary", "requantize", "reshape"] {
        assert!(ops.contains(&op), "{op} missing in {ops:?}");
    }
}
