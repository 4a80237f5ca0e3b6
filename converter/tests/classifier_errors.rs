//! Malformed conversions end in clear errors that name the problem: missing tensors, shape
//! mismatches, integer or non-finite tensors, bad TOML, truncated weight files, bad samples.

use std::path::PathBuf;

use opml_converter::arch::Arch;
use opml_converter::classifier::{convert, read_weights, NoProgress};
use opml_converter::samples::Samples;
use opml_converter::tensor::{FloatTensor, TensorMap};
use opml_converter::BuildError;

fn digits() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/digits")
}

fn cnn_toml() -> String {
    std::fs::read_to_string(digits().join("cnn.toml")).unwrap()
}

fn cnn_weights() -> TensorMap {
    read_weights(digits().join("cnn.pt")).unwrap()
}

fn samples(n: usize, len: usize) -> Samples {
    Samples {
        inputs: (0..n)
            .map(|i| (0..len).map(|j| ((i * 7 + j) % 17) as f32).collect())
            .collect(),
        labels: None,
    }
}

/// Converts `toml` with `weights` and a few samples; the error message.
fn fails(toml: &str, weights: &TensorMap) -> String {
    let r = Arch::parse(toml)
        .and_then(|arch| convert(&arch, weights, Some(&samples(4, 64)), None, &mut NoProgress));
    match r {
        Ok(_) => panic!("conversion succeeded"),
        Err(e) => e.to_string(),
    }
}

fn assert_has(msg: &str, needles: &[&str]) {
    for n in needles {
        assert!(msg.contains(n), "{n:?} missing in: {msg}");
    }
}

#[test]
fn the_unmodified_fixture_converts() {
    let arch = Arch::parse(&cnn_toml()).unwrap();
    convert(
        &arch,
        &cnn_weights(),
        Some(&samples(4, 64)),
        None,
        &mut NoProgress,
    )
    .unwrap();
}

#[test]
fn missing_tensor_is_named_with_similar_names() {
    let toml = cnn_toml().replace("\"features.4.weight\"", "\"features.4.weights\"");
    let e = fails(&toml, &cnn_weights());
    assert_has(
        &e,
        &[
            "layer 4 (conv2d)",
            "tensor 'features.4.weights' (weight) is not in the weights",
        ],
    );
    let toml = cnn_toml().replace("\"features.5.running_var\"", "\"bn.running_var\"");
    let e = fails(&toml, &cnn_weights());
    assert_has(
        &e,
        &[
            "layer 5 (batchnorm2d)",
            "'bn.running_var' (running_var)",
            "features.1.running_var",
        ],
    );
}

#[test]
fn shape_mismatches_name_the_tensor_and_both_shapes() {
    // The first conv's weight (8 × 1 × 3 × 3) where the second (16 × 8 × 3 × 3) belongs.
    let toml = cnn_toml().replace("\"features.4.weight\"", "\"features.0.weight\"");
    let e = fails(&toml, &cnn_weights());
    assert_has(
        &e,
        &[
            "layer 4 (conv2d): tensor 'features.0.weight' has shape [8, 1, 3, 3]",
            "expected [out_channels (a multiple of 1), 8, kh, kw]",
        ],
    );
    // An 8-element bias on a 16-channel conv.
    let toml = cnn_toml().replace("\"features.4.bias\"", "\"features.1.bias\"");
    let e = fails(&toml, &cnn_weights());
    assert_has(
        &e,
        &["tensor 'features.1.bias' has shape [8], expected [16]"],
    );
    // A linear weight of the wrong width.
    let mut w = cnn_weights();
    w.tensors.insert(
        "classifier.weight".into(),
        FloatTensor {
            shape: vec![10, 32],
            data: vec![0.0; 320],
            source_dtype: opml_converter::DType::F32,
        },
    );
    let e = fails(&cnn_toml(), &w);
    assert_has(
        &e,
        &[
            "layer 9 (linear): tensor 'classifier.weight' has shape [10, 32]",
            "expected [out_features, 64]",
        ],
    );
}

#[test]
fn integer_and_non_finite_tensors_are_refused() {
    let toml = cnn_toml().replace("\"features.0.bias\"", "\"features.1.num_batches_tracked\"");
    let e = fails(&toml, &cnn_weights());
    assert_has(
        &e,
        &[
            "layer 0 (conv2d): tensor 'features.1.num_batches_tracked' holds I64 values",
            "must be floating point",
        ],
    );
    let mut w = cnn_weights();
    w.tensors.get_mut("classifier.bias").unwrap().data[3] = f32::NAN;
    let e = fails(&cnn_toml(), &w);
    assert_has(
        &e,
        &["tensor 'classifier.bias' holds a non-finite value at index 3"],
    );
}

#[test]
fn bad_toml_is_reported_with_its_position() {
    for (toml, needles) in [
        (
            cnn_toml().replacen("[[layers]]", "[[layers]", 1),
            &["TOML parse error", "line"][..],
        ),
        (
            cnn_toml().replace("type = \"maxpool2d\"", "type = \"maxpool3d\""),
            &["unknown variant `maxpool3d`", "expected one of"][..],
        ),
        (
            cnn_toml().replace("padding = 1", "paddings = 1"),
            &["unknown field `paddings`"][..],
        ),
        (
            cnn_toml().replace("zero_point = -128", ""),
            &["input.zero_point is required"][..],
        ),
        (
            cnn_toml().replace("scale = 0.125", "scale = -1.0"),
            &["scale -1 must be positive"][..],
        ),
        (
            cnn_toml().replace("shape = [1, 1, 8, 8]", "shape = [2, 1, 8, 8]"),
            &["input.shape [2, 1, 8, 8]", "batch of 1"][..],
        ),
    ] {
        let e = Arch::parse(&toml).unwrap_err().to_string();
        assert_has(&e, needles);
    }
    // Errors found against the weights name the layer.
    let toml = cnn_toml().replacen("padding = 1", "padding = [1, 1, 1]", 1);
    assert_has(
        &fails(&toml, &cnn_weights()),
        &["layer 0 (conv2d): padding must be an integer, [h, w] or [top, left, bottom, right]"],
    );
    // Batch norm not after a conv.
    let toml = cnn_toml().replacen(
        "type = \"maxpool2d\"\nkernel = 2",
        "type = \"batchnorm2d\"\nrunning_mean = \"features.1.running_mean\"\nrunning_var = \"features.1.running_var\"",
        1,
    );
    assert_has(
        &fails(&toml, &cnn_weights()),
        &["layer 3 (batchnorm2d): must directly follow a conv2d"],
    );
    // A conv on a flat input.
    let toml = cnn_toml().replace("shape = [1, 1, 8, 8]", "shape = [1, 64]");
    assert_has(
        &fails(&toml, &cnn_weights()),
        &["layer 0 (conv2d): conv2d needs a [1, C, H, W] input, got [1, 64]"],
    );
}

#[test]
fn truncated_weights_name_the_file() {
    let dir = std::env::temp_dir().join(format!("opml-conv-trunc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bytes = std::fs::read(digits().join("cnn.pt")).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 30] {
        let path = dir.join("cut.pt");
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let e = read_weights(&path).unwrap_err();
        assert!(matches!(e, BuildError::Weights { .. }), "{e:?}");
        assert_has(&e.to_string(), &["weights ", "cut.pt: ", "zip"]);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_samples_are_refused() {
    let arch = Arch::parse(&cnn_toml()).unwrap();
    let e = convert(
        &arch,
        &cnn_weights(),
        Some(&samples(3, 63)),
        None,
        &mut NoProgress,
    )
    .unwrap_err()
    .to_string();
    assert_has(
        &e,
        &["samples calibration: sample 0 has 63 values, the model input has 64"],
    );
    let arch = Arch::parse(&std::fs::read_to_string(digits().join("mlp.toml")).unwrap()).unwrap();
    let w = read_weights(digits().join("mlp.safetensors")).unwrap();
    let e = convert(&arch, &w, None, None, &mut NoProgress)
        .unwrap_err()
        .to_string();
    assert_has(
        &e,
        &["calibration: input.scale = \"calibrate\" needs calibration samples"],
    );
}
