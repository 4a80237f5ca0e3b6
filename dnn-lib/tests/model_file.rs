//! The model file and the executor: files round-trip, corrupt or truncated files give errors
//! (never panics, never a silently different model), inference gives the reference bytes and
//! consistent roots.

use opml_dnn::commit::{root_of_leaves, tensor_root, GRAPH_DEPTH};
use opml_dnn::exec::{run, ExecError, ReferenceBackend};
use opml_dnn::graph::Source;
use opml_dnn::model::{write_model, Model, ModelError};
use opml_dnn::ops::compute_all;
use opml_dnn::tensor::TensorRef;
use opml_dnn::testmodels::{mlp, mlp_unfused, random_input};

fn mlp_bytes() -> Vec<u8> {
    mlp(1, &[64, 32, 10])
        .to_model_bytes("{\"name\":\"test-mlp\"}")
        .expect("valid model")
}

#[test]
fn model_round_trips() {
    let builder = mlp(1, &[64, 32, 10]);
    let bytes = builder.to_model_bytes("meta").unwrap();
    let model = Model::from_bytes(bytes.clone()).unwrap();
    assert_eq!(model.nodes(), builder.nodes());
    assert_eq!(model.weight_count(), builder.weights().len());
    for (w, weight) in builder.weights().iter().enumerate() {
        assert_eq!(model.weight(w), (&weight.info, weight.data.as_slice()));
    }
    assert_eq!(model.metadata(), "meta");
    // The same model written again has the same bytes and root; a file on disk maps the same.
    assert_eq!(builder.to_model_bytes("meta").unwrap(), bytes);
    let path = std::env::temp_dir().join(format!("opml-model-{}.opml", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let mapped = Model::open(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(mapped.roots(), model.roots());
}

#[test]
fn every_corruption_is_an_error_or_harmless() {
    let bytes = mlp_bytes();
    let good = Model::from_bytes(bytes.clone()).unwrap();
    let mut errors = 0;
    for pos in 0..bytes.len() {
        for flip in [0x01u8, 0x80] {
            let mut bad = bytes.clone();
            bad[pos] ^= flip;
            match Model::from_bytes(bad) {
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    errors += 1;
                }
                // Only uncommitted bytes (metadata, alignment padding) may change unnoticed,
                // and then the model is the same model.
                Ok(m) => {
                    assert_eq!(
                        m.roots(),
                        good.roots(),
                        "byte {pos} changed the model silently"
                    );
                    assert_eq!(m.nodes(), good.nodes());
                }
            }
        }
    }
    assert!(errors > bytes.len(), "{errors} errors");
    for len in (0..bytes.len()).step_by(7) {
        assert!(
            Model::from_bytes(bytes[..len].to_vec()).is_err(),
            "truncated to {len}"
        );
    }
}

#[test]
fn specific_errors_name_the_problem() {
    let bytes = mlp_bytes();
    let mut bad = bytes.clone();
    bad[0] = b'X';
    assert!(matches!(Model::from_bytes(bad), Err(ModelError::BadMagic)));
    let mut bad = bytes.clone();
    bad[8] = 9;
    assert!(matches!(
        Model::from_bytes(bad),
        Err(ModelError::UnsupportedVersion(9))
    ));
    let mut bad = bytes.clone();
    bad[80] ^= 1;
    assert!(matches!(
        Model::from_bytes(bad),
        Err(ModelError::RootMismatch { .. })
    ));
    let last = bytes.len() - 1;
    let mut bad = bytes.clone();
    bad[last] ^= 1;
    assert!(
        matches!(Model::from_bytes(bad), Err(ModelError::RootMismatch { .. })),
        "weight byte"
    );
    assert!(Model::open(std::path::Path::new("/nonexistent/model.opml")).is_err());
}

#[test]
fn invalid_graphs_are_rejected() {
    let builder = mlp(2, &[16, 8, 4]);
    let (nodes, weights) = builder.into_parts();
    // An input description that differs from its source's.
    let mut bad = nodes.clone();
    bad[1].inputs[0].shape = vec![1, 17];
    assert!(write_model(&bad, &weights, "").is_err());
    // A source pointing forwards.
    let mut bad = nodes.clone();
    bad[1].sources[0] = Source::Node(2);
    let err = write_model(&bad, &weights, "").unwrap_err();
    assert!(err.to_string().contains("node 1"), "{err}");
    // A missing weight.
    let mut bad = nodes.clone();
    bad[1].sources[1] = Source::Weight(99);
    assert!(write_model(&bad, &weights, "").is_err());
    // Two inputs.
    let mut bad = nodes.clone();
    bad.insert(1, nodes[0].clone());
    assert!(write_model(&bad, &weights, "").is_err());
}

#[test]
fn inference_gives_reference_bytes_and_consistent_roots() {
    for builder in [mlp(3, &[64, 32, 10]), mlp_unfused(4, &[48, 24, 12, 6])] {
        let model = Model::from_bytes(builder.to_model_bytes("").unwrap()).unwrap();
        let input = random_input(5, model.input_info());
        let inf = run(&model, &input, &ReferenceBackend).unwrap();
        assert_eq!(inf.outputs.len(), model.nodes().len());
        for (i, node) in model.nodes().iter().enumerate().skip(1) {
            let inputs: Vec<TensorRef<'_>> = node
                .sources
                .iter()
                .zip(&node.inputs)
                .map(|(s, info)| TensorRef {
                    info,
                    data: match *s {
                        Source::Node(j) => &inf.outputs[j as usize],
                        Source::Weight(w) => model.weight(w as usize).1,
                    },
                })
                .collect();
            assert_eq!(
                compute_all(&node.op, &inputs, &node.output),
                inf.outputs[i],
                "node {i}"
            );
        }
        for (i, out) in inf.outputs.iter().enumerate() {
            assert_eq!(inf.node_roots[i], tensor_root(out));
            assert_eq!(
                inf.state_roots[i],
                root_of_leaves(&inf.node_roots[..=i], GRAPH_DEPTH)
            );
        }
        // Not all outputs are the same (the model computes something).
        assert!(inf.output().iter().any(|&b| b != inf.output()[0]));
        let again = run(&model, &input, &ReferenceBackend).unwrap();
        assert_eq!(again.final_state_root(), inf.final_state_root());
    }
}

#[test]
fn wrong_input_size_is_an_error() {
    let model = Model::from_bytes(mlp_bytes()).unwrap();
    let err = run(&model, &[0u8; 3], &ReferenceBackend).unwrap_err();
    assert!(matches!(
        err,
        ExecError::InputSize {
            expected: 64,
            actual: 3,
            ..
        }
    ));
}

/// Every architecture's test model runs, matches the per-node reference, and computes
/// something (its output and most node outputs are not constant).
#[test]
fn test_models_run_and_are_not_degenerate() {
    use opml_dnn::testmodels::{cnn, decoder, encoder, random_tokens, TransformerShape};
    let enc = TransformerShape::TINY_ENCODER;
    let dec = TransformerShape::TINY_DECODER;
    let cases = [
        (
            "encoder",
            encoder(1, enc),
            random_tokens(2, enc.tokens, enc.vocab),
        ),
        (
            "decoder",
            decoder(3, dec),
            random_tokens(4, dec.tokens, dec.vocab),
        ),
        ("cnn", cnn(5), Vec::new()),
    ];
    for (name, builder, tokens) in cases {
        let model = Model::from_bytes(builder.to_model_bytes("").unwrap()).unwrap();
        let input = if tokens.is_empty() {
            random_input(6, model.input_info())
        } else {
            tokens
        };
        let inf = run(&model, &input, &ReferenceBackend).unwrap();
        let mut constant = 0;
        for (i, out) in inf.outputs.iter().enumerate() {
            let distinct: std::collections::BTreeSet<u8> = out.iter().copied().collect();
            if distinct.len() < 3 {
                constant += 1;
                eprintln!(
                    "{name}: node {i} ({}) has {} distinct byte values",
                    model.nodes()[i].op.name(),
                    distinct.len()
                );
            }
        }
        let out: std::collections::BTreeSet<u8> = inf.output().iter().copied().collect();
        assert!(
            out.len() >= 3,
            "{name}: output is nearly constant: {:?}",
            inf.output()
        );
        assert!(
            constant * 10 <= inf.outputs.len(),
            "{name}: {constant} of {} node outputs nearly constant",
            inf.outputs.len()
        );
        println!(
            "{name}: {} nodes, {} weights, output {:?}",
            model.nodes().len(),
            model.weight_count(),
            &inf.output()[..inf.output().len().min(16)]
        );
    }
}
