//! The job guest (`dnn-lib/guest/bin/job.elf`) in opml-vm computes exactly the native reference
//! bytes of every op case, for random tiles and whole outputs, and leaves slot 15 holding exactly
//! those bytes at their offset (the root the dispute contract checks: the tile over zeros).

use opml_dnn::graph::Job;
use opml_dnn::testcases::{all_cases, Case};
use opml_dnn::testgen::XorShift32;
use opml_vm::layout::{slot_base, OUTPUT_SLOT, SLOT_DEPTH};
use opml_vm::merkle::root_of_bytes;
use opml_vm::{Machine, Program, Status};
use std::path::Path;

fn job_program() -> Program {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dnn-lib/guest/bin/job.elf");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Program::parse(&bytes).expect("job.elf parses")
}

/// The job's initial machine: the program, the job bytes in slot 4, input i mounted in slot 5 + i.
fn job_machine(program: &Program, job: &[u8], inputs: &[&[u8]]) -> Machine {
    opml_vm::job::job_machine(program, job, inputs).expect("job machine")
}

/// Runs output bytes `range` of `case` in the VM; returns the steps taken.
fn check_in_vm(
    program: &Program,
    case: &Case,
    reference: &[u8],
    range: std::ops::Range<usize>,
) -> u64 {
    let descriptor = case.node.encode();
    let job = Job {
        start: range.start as u32,
        end: range.end as u32,
        descriptor: &descriptor,
    }
    .encode();
    let mut machine = job_machine(program, &job, &case.input_slices());
    let steps = machine.run(200_000_000);
    assert_eq!(
        machine.status(),
        Status::Exited(0),
        "{} {range:?}: after {steps} steps",
        case.name
    );
    let out_base = slot_base(OUTPUT_SLOT);
    let got = machine
        .memory()
        .read_bytes(out_base + range.start as u32, range.len());
    assert_eq!(
        got,
        &reference[range.clone()],
        "{} {range:?}: VM bytes differ",
        case.name
    );
    // Slot 15 holds the tile at its offset and zeros elsewhere.
    let mut expected_slot = vec![0u8; range.end];
    expected_slot[range.clone()].copy_from_slice(&reference[range.clone()]);
    assert_eq!(
        machine.memory_mut().slot_root(OUTPUT_SLOT),
        root_of_bytes(&expected_slot, SLOT_DEPTH),
        "{} {range:?}: slot 15 root",
        case.name
    );
    steps
}

#[test]
fn every_case_matches_native_in_the_vm() {
    let program = job_program();
    let mut rng = XorShift32::new(7);
    let cases = all_cases(0x5EED);
    for case in &cases {
        let reference = case.reference();
        let len = reference.len();
        // A random tile of whole 32-byte leaves (as the dispute uses), clipped to the tensor.
        let leaves = len.div_ceil(32);
        let first = rng.next_u32() as usize % leaves;
        let count = 1 + rng.next_u32() as usize % 4;
        let tile = first * 32..((first + count) * 32).min(len);
        check_in_vm(&program, case, &reference, tile);
        // An arbitrary byte range (mid-element start and end).
        let a = rng.next_u32() as usize % len;
        let b = a + 1 + rng.next_u32() as usize % (len - a);
        check_in_vm(&program, case, &reference, a..b);
    }
}

#[test]
fn malformed_jobs_exit_with_their_codes() {
    let program = job_program();
    let case = &all_cases(1)[0];
    let descriptor = case.node.encode();
    let len = case.node.output.byte_len() as u32;
    let run = |job: Vec<u8>| {
        let mut m = job_machine(&program, &job, &case.input_slices());
        m.run(10_000_000);
        m.status()
    };
    let good = Job {
        start: 0,
        end: len,
        descriptor: &descriptor,
    };
    let mut bad_magic = good.encode();
    bad_magic[0] ^= 1;
    assert_eq!(run(bad_magic), Status::Exited(2));
    assert_eq!(
        run(Job {
            descriptor: &descriptor[..descriptor.len() - 1],
            ..good.clone()
        }
        .encode()),
        Status::Exited(3)
    );
    assert_eq!(
        run(Job {
            start: 0,
            end: len + 1,
            ..good.clone()
        }
        .encode()),
        Status::Exited(4)
    );
    assert_eq!(
        run(Job {
            start: 3,
            end: 3,
            ..good.clone()
        }
        .encode()),
        Status::Exited(4)
    );
    assert_eq!(run(good.encode()), Status::Exited(0));
}

/// Every node of a small MLP, CNN, encoder and decoder (random weights): a random tile computed
/// by the guest in the VM from the node's real inputs equals the native bytes. This is the
/// determinism contract on real architectures: every op kind, real shapes, real quantization.
#[test]
fn every_node_of_small_models_matches_native_in_the_vm() {
    use opml_dnn::exec::{run, ReferenceBackend};
    use opml_dnn::graph::Source;
    use opml_dnn::model::Model;
    use opml_dnn::testmodels::{
        cnn, decoder, encoder, mlp_unfused, random_input, random_tokens, TransformerShape,
    };

    let program = job_program();
    let mut rng = XorShift32::new(11);
    let enc = TransformerShape::TINY_ENCODER;
    let dec = TransformerShape::TINY_DECODER;
    let models = [
        ("mlp", mlp_unfused(1, &[64, 32, 10]), None),
        ("cnn", cnn(2), None),
        (
            "encoder",
            encoder(3, enc),
            Some(random_tokens(4, enc.tokens, enc.vocab)),
        ),
        (
            "decoder",
            decoder(5, dec),
            Some(random_tokens(6, dec.tokens, dec.vocab)),
        ),
    ];
    let mut kinds = std::collections::BTreeSet::new();
    for (name, builder, tokens) in models {
        let model = Model::from_bytes(builder.to_model_bytes("").unwrap()).unwrap();
        let input = tokens.unwrap_or_else(|| random_input(7, model.input_info()));
        let inf = run(&model, &input, &ReferenceBackend).unwrap();
        for (i, node) in model.nodes().iter().enumerate().skip(1) {
            let inputs: Vec<&[u8]> = node
                .sources
                .iter()
                .map(|s| match *s {
                    Source::Node(j) => inf.outputs[j as usize].as_slice(),
                    Source::Weight(w) => model.weight(w as usize).1,
                })
                .collect();
            let case = Case {
                name: format!("{name} node {i} ({})", node.op.name()),
                node: node.clone(),
                inputs: inputs.iter().map(|d| d.to_vec()).collect(),
            };
            let len = node.output.byte_len();
            let leaves = len.div_ceil(32);
            let first = rng.next_u32() as usize % leaves;
            let count = 1 + rng.next_u32() as usize % 4;
            check_in_vm(
                &program,
                &case,
                &inf.outputs[i],
                first * 32..((first + count) * 32).min(len),
            );
            kinds.insert(node.op.name());
        }
    }
    for kind in [
        "matmul",
        "conv2d",
        "pool2d",
        "binary",
        "requantize",
        "lut",
        "softmax",
        "norm",
        "embedding",
        "reshape",
        "transpose",
        "slice",
        "rope",
        "reduce_mean",
    ] {
        assert!(kinds.contains(kind), "no {kind} node in the models");
    }
}
