//! The demo's model: a CNN trained on scikit-learn's digits (converter/fixtures/digits), its
//! architecture, PyTorch checkpoint, calibration images and held-out images, embedded and
//! converted on demand.

use opml_converter::classifier::Converted;
use opml_dnn::model::Model;

const DIGITS_ARCH: &str = include_str!("../../converter/fixtures/digits/cnn.toml");
const DIGITS_WEIGHTS: &[u8] = include_bytes!("../../converter/fixtures/digits/cnn.pt");
const DIGITS_CALIBRATION: &[u8] = include_bytes!("../../converter/fixtures/digits/calibration.npy");
const DIGITS_HOLDOUT: &[u8] = include_bytes!("../../converter/fixtures/digits/holdout.json");

/// Why the embedded model did not convert (a bug: the fixtures are fixed).
#[derive(Debug, thiserror::Error)]
#[error("the embedded digits CNN: {0}")]
pub struct DemoModelError(String);

fn err(e: impl std::fmt::Display) -> DemoModelError {
    DemoModelError(e.to_string())
}

/// Converts the digits CNN from its PyTorch checkpoint with its calibration images.
pub fn digits_cnn() -> Result<Converted, DemoModelError> {
    use opml_converter::classifier::{convert, NoProgress};
    let arch = opml_converter::arch::Arch::parse(DIGITS_ARCH).map_err(err)?;
    let weights = opml_converter::read_bytes(DIGITS_WEIGHTS).map_err(err)?;
    let calibration =
        opml_converter::samples::parse_npy(DIGITS_CALIBRATION, "calibration").map_err(err)?;
    convert(&arch, &weights, Some(&calibration), None, &mut NoProgress).map_err(err)
}

/// The held-out images (as floats) and their labels.
pub fn digits_holdout() -> Result<(Vec<Vec<f32>>, Vec<String>), DemoModelError> {
    let h = opml_converter::samples::parse_json(DIGITS_HOLDOUT, "held-out digits").map_err(err)?;
    let labels = h
        .labels
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|l| l.to_string())
        .collect();
    Ok((h.inputs, labels))
}

/// `values` quantized with the model's input scale and zero point.
pub fn quantize(model: &Model, values: &[f32]) -> Vec<u8> {
    let info = model.input_info();
    let scale = info.quant.scale.to_f64();
    values
        .iter()
        .map(|&v| {
            ((v as f64 / scale).round() as i64 + info.quant.zero_point as i64)
                .clamp(info.dtype.min() as i64, info.dtype.max() as i64) as i8 as u8
        })
        .collect()
}
