//! Forward time of a BERT-style encoder with all-MiniLM-L6-v2's shape (6 layers, 384 wide,
//! 12 heads, FFN 1536, 128 tokens, random weights) on this machine's cores, at batch 1 and 32,
//! with the commitment overhead (every node's output root and every graph-state root).
//!
//! `cargo bench -p opml-dnn --bench encoder [-- BACKEND...]` (backends: reference, fast).

use opml_dnn::exec::{run, Backend, ReferenceBackend};
use opml_dnn::model::Model;
use opml_dnn::testmodels::{encoder, random_tokens, TransformerShape};
use std::time::{Duration, Instant};

fn backends() -> Vec<Box<dyn Backend>> {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut all: Vec<Box<dyn Backend>> = vec![Box::new(ReferenceBackend)];
    all.extend(extra_backends());
    all.into_iter()
        .filter(|b| wanted.is_empty() || wanted.iter().any(|w| b.name().contains(w.as_str())))
        .collect()
}

fn extra_backends() -> Vec<Box<dyn Backend>> {
    vec![Box::new(opml_dnn::fast::FastCpuBackend::new())]
}

fn main() {
    let shape = TransformerShape::MINILM_L6;
    let started = Instant::now();
    let bytes = encoder(1, shape).to_model_bytes("").expect("valid model");
    let model = Model::from_bytes(bytes).expect("model loads");
    println!(
        "model: {} nodes, {} weights, {:.1} MB, built and loaded (root checked) in {:.2} s; {} threads",
        model.nodes().len(),
        model.weight_count(),
        (0..model.weight_count()).map(|w| model.weight(w).1.len()).sum::<usize>() as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    let inputs: Vec<Vec<u8>> = (0..32)
        .map(|i| random_tokens(100 + i, shape.tokens, shape.vocab))
        .collect();
    for backend in backends() {
        per_op_breakdown(&model, &inputs[0], backend.as_ref());
        let reference = run(&model, &inputs[0], &ReferenceBackend).expect("runs");
        // Batch 1: best of 5 after a warm-up.
        let mut best = (Duration::MAX, Duration::ZERO, Duration::ZERO);
        for _ in 0..6 {
            let t = Instant::now();
            let inf = run(&model, &inputs[0], backend.as_ref()).expect("runs");
            let total = t.elapsed();
            assert_eq!(
                inf.final_state_root(),
                reference.final_state_root(),
                "{} differs from the reference",
                backend.name()
            );
            if total < best.0 {
                best = (total, inf.compute_time, inf.commit_time);
            }
        }
        let (total, compute, commit) = best;
        println!(
            "{:<14} batch 1:  {:8.1} ms  (compute {:.1} ms, commitments {:.1} ms = {:.1} % of compute)",
            backend.name(),
            total.as_secs_f64() * 1e3,
            compute.as_secs_f64() * 1e3,
            commit.as_secs_f64() * 1e3,
            commit.as_secs_f64() / compute.as_secs_f64() * 100.0
        );
        // Batch 32: 32 inferences one after another (each uses every core).
        let t = Instant::now();
        let (mut compute, mut commit) = (Duration::ZERO, Duration::ZERO);
        for input in &inputs {
            let inf = run(&model, input, backend.as_ref()).expect("runs");
            compute += inf.compute_time;
            commit += inf.commit_time;
        }
        let total = t.elapsed();
        println!(
            "{:<14} batch 32: {:8.1} ms  (compute {:.1} ms, commitments {:.1} ms = {:.1} % of compute)",
            backend.name(),
            total.as_secs_f64() * 1e3,
            compute.as_secs_f64() * 1e3,
            commit.as_secs_f64() * 1e3,
            commit.as_secs_f64() / compute.as_secs_f64() * 100.0
        );
    }
}

/// Time per op kind for one inference with `backend` (each node timed alone, best of 5).
fn per_op_breakdown(model: &Model, input: &[u8], backend: &dyn Backend) {
    use opml_dnn::graph::Source;
    use opml_dnn::tensor::TensorRef;
    let inf = run(model, input, &ReferenceBackend).expect("runs");
    let mut totals: std::collections::BTreeMap<&str, (Duration, usize)> = Default::default();
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
        // Best of 5 (each into a fresh buffer, as in an inference).
        let mut best = Duration::MAX;
        let mut out = Vec::new();
        for _ in 0..5 {
            out = vec![0u8; node.output.byte_len()];
            let t = Instant::now();
            backend.compute(node, &inputs, &mut out);
            best = best.min(t.elapsed());
        }
        let e = totals.entry(node.op.name()).or_default();
        e.0 += best;
        e.1 += 1;
        assert_eq!(
            out,
            inf.outputs[i],
            "{} node {i} differs from the reference",
            backend.name()
        );
    }
    let line: Vec<String> = totals
        .iter()
        .map(|(k, (d, n))| format!("{k} {:.1} ms ({n})", d.as_secs_f64() * 1e3))
        .collect();
    println!("{:<14} per op: {}", backend.name(), line.join(", "));
}
