//! The tiny BERT of `fixtures/make_bert.py` (random weights, Hugging Face names, safetensors +
//! config.json) converted end to end: the Rust float reference matches the independent numpy
//! forward, the integer model (run by `opml_dnn::exec::run` on the reference backend) stays
//! within the documented cosine bound of the numpy embeddings, the model root is stable, and
//! malformed inputs give errors naming the problem.

use std::path::PathBuf;

use opml_converter::bert::{
    convert_bert, cosine, input_bytes, read_tokens, BertConfig, BertConverted, BertOptions,
    FloatBert,
};
use opml_converter::classifier::{read_weights, NoProgress};
use opml_converter::{BuildError, TensorMap};
use opml_dnn::exec::{run, ReferenceBackend};
use opml_dnn::tensor::DType;

const T: usize = 8;
/// Smallest cosine similarity of an integer embedding to the numpy float embedding, default
/// (i16) activations.
const COSINE_I16: f64 = 0.999;
/// The same with int8 activations (`--activations i8`).
const COSINE_I8: f64 = 0.995;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/bert")
}

fn config() -> BertConfig {
    BertConfig::from_file(dir().join("config.json")).unwrap()
}

fn weights() -> TensorMap {
    read_weights(dir().join("model.safetensors")).unwrap()
}

fn tokens(set: &str) -> Vec<Vec<i32>> {
    read_tokens(dir().join(format!("{set}.json")), T, 100, 0).unwrap()
}

fn expected(set: &str, what: &str) -> Vec<Vec<f64>> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap();
    serde_json::from_value(v[set][what].clone()).unwrap()
}

fn convert(act: DType) -> BertConverted {
    let hold = tokens("holdout");
    convert_bert(
        &config(),
        &weights(),
        BertOptions {
            tokens: T,
            activations: act,
        },
        &tokens("calibration"),
        Some(&hold),
        &mut NoProgress,
    )
    .unwrap()
}

#[test]
fn float_reference_matches_numpy() {
    let float = FloatBert::new(&config(), &weights(), T).unwrap();
    for set in ["calibration", "holdout"] {
        for (ids, (mean, emb)) in tokens(set).iter().zip(
            expected(set, "mean")
                .iter()
                .zip(&expected(set, "embedding")),
        ) {
            for (a, b) in float.forward_mean(ids).iter().zip(mean) {
                assert!((a - b).abs() < 1e-5, "{set}: mean {a} vs numpy {b}");
            }
            for (a, b) in float.forward(ids).iter().zip(emb) {
                assert!((a - b).abs() < 1e-5, "{set}: embedding {a} vs numpy {b}");
            }
        }
    }
}

fn check_integer(c: &BertConverted, bound: f64) {
    for set in ["calibration", "holdout"] {
        for (ids, want) in tokens(set).iter().zip(&expected(set, "embedding")) {
            let inf = run(&c.model, &input_bytes(ids), &ReferenceBackend).unwrap();
            let got = c.dequantize(inf.output());
            let cos = cosine(&got, want);
            assert!(cos >= bound, "{set} {ids:?}: cosine {cos} < {bound}");
        }
    }
}

#[test]
fn converts_with_i16_activations() {
    let c = convert(DType::I16);
    check_integer(&c, COSINE_I16);
    assert!(c.calibration.cosine_min >= COSINE_I16);
    assert!(c.holdout.as_ref().unwrap().cosine_min >= COSINE_I16);
    assert_eq!(c.model.input_info().shape, [T as u32]);
    assert_eq!(c.model.output_info().shape, [32]);
    // Keys are int8 next to i16 queries; the residual stream is i16.
    assert!(c
        .dtypes
        .iter()
        .any(|(n, d)| n == "layer 0 key" && *d == "i8"));
    assert!(c
        .dtypes
        .iter()
        .any(|(n, d)| n == "layer 1 output residual" && *d == "i16"));
    // Stable: converting again gives the same root.
    assert_eq!(c.model_root(), convert(DType::I16).model_root());
}

#[test]
fn converts_with_i8_activations() {
    let c = convert(DType::I8);
    check_integer(&c, COSINE_I8);
    assert!(c
        .dtypes
        .iter()
        .any(|(n, d)| n == "layer 0 query" && *d == "i8"));
}

#[test]
fn padding_is_masked() {
    // The same sentence with and without trailing padding has the same float embedding, and
    // the integer model agrees.
    let c = convert(DType::I16);
    let short = vec![5, 17, 42, 0, 0, 0, 0, 0];
    let float = c.float.forward(&short);
    let int = c.run(&short);
    assert!(cosine(&float, &int) >= COSINE_I16);
    // Changing a padding position's neighbour ids does not matter, changing a real one does.
    let other = vec![5, 17, 43, 0, 0, 0, 0, 0];
    assert!(cosine(&float, &c.float.forward(&other)) < 0.9999);
}

fn err_of(r: Result<impl std::fmt::Debug, BuildError>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn missing_tensor_is_named() {
    let mut w = weights();
    w.tensors.remove("encoder.layer.1.attention.self.key.bias");
    let e = err_of(FloatBert::new(&config(), &w, T));
    assert!(
        e.contains("'encoder.layer.1.attention.self.key.bias'") && e.contains("missing"),
        "{e}"
    );
}

#[test]
fn bert_prefix_is_accepted() {
    let w = weights();
    let mut p = TensorMap::new(w.metadata.format);
    for (k, v) in w.tensors {
        p.tensors.insert(format!("bert.{k}"), v);
    }
    let a = FloatBert::new(&config(), &weights(), T).unwrap();
    let b = FloatBert::new(&config(), &p, T).unwrap();
    let ids = &tokens("holdout")[0];
    assert_eq!(a.forward(ids), b.forward(ids));
    p.tensors.remove("bert.embeddings.LayerNorm.bias");
    let e = err_of(FloatBert::new(&config(), &p, T));
    assert!(e.contains("'bert.embeddings.LayerNorm.bias'"), "{e}");
}

#[test]
fn wrong_shape_is_named() {
    let mut w = weights();
    let t = w
        .tensors
        .get_mut("encoder.layer.0.intermediate.dense.weight")
        .unwrap();
    t.shape = vec![32, 64];
    let e = err_of(FloatBert::new(&config(), &w, T));
    assert!(
        e.contains("'encoder.layer.0.intermediate.dense.weight'")
            && e.contains("[32, 64]")
            && e.contains("[64, 32]"),
        "{e}"
    );
}

#[test]
fn bad_config_is_named() {
    let base: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir().join("config.json")).unwrap()).unwrap();
    let cases: [(&str, serde_json::Value, &str); 4] = [
        (
            "hidden_size",
            serde_json::Value::Null,
            "missing key 'hidden_size'",
        ),
        ("num_attention_heads", 5.into(), "not a multiple"),
        ("hidden_act", "relu".into(), "hidden_act 'relu'"),
        (
            "vocab_size",
            (-3).into(),
            "'vocab_size' must be a positive integer",
        ),
    ];
    for (key, value, want) in cases {
        let mut v = base.clone();
        if value.is_null() {
            v.as_object_mut().unwrap().remove(key);
        } else {
            v[key] = value;
        }
        let e = err_of(BertConfig::from_json(&v, "config.json"));
        assert!(e.contains(want) && e.contains("config.json"), "{key}: {e}");
    }
    // A context longer than the position table.
    let e = err_of(FloatBert::new(&config(), &weights(), 17));
    assert!(e.contains("max_position_embeddings"), "{e}");
}

#[test]
fn bad_tokens_are_named() {
    let v = serde_json::json!({"tokens": [[1, 2], [3, 100]]});
    let e = opml_converter::bert::parse_tokens(&v, T, 100, 0).unwrap_err();
    assert!(e.contains("sequence 1, position 1"), "{e}");
    let v = serde_json::json!([vec![1; 9]]);
    let e = opml_converter::bert::parse_tokens(&v, T, 100, 0).unwrap_err();
    assert!(e.contains("9 tokens"), "{e}");
}
