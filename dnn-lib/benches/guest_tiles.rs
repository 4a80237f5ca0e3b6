//! Guest steps per output element: tiles of real transformer nodes (all-MiniLM-L6-v2's shape,
//! random weights) computed by `dnn-lib/guest/bin/job.elf` in opml-vm, for growing tiles of
//! whole 32-byte leaves; and the largest power-of-two tile that stays under one million steps.
//!
//! `cargo bench -p opml-dnn --bench guest_tiles`

use opml_dnn::exec::{run, ReferenceBackend};
use opml_dnn::graph::{Job, Source};
use opml_dnn::model::Model;
use opml_dnn::testmodels::{encoder, random_tokens, TransformerShape};
use opml_vm::layout::{slot_base, FIRST_INPUT_SLOT, JOB_SLOT, OUTPUT_SLOT, SLOT_DEPTH};
use opml_vm::merkle::root_of_bytes;
use opml_vm::{Program, Status};

const STEP_LIMIT: u64 = 1_000_000;

fn main() {
    let elf = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("guest/bin/job.elf");
    let program = Program::parse(&std::fs::read(&elf).expect("job.elf")).expect("parses");
    // One layer is enough: every layer has the same node shapes.
    let shape = TransformerShape {
        layers: 1,
        ..TransformerShape::MINILM_L6
    };
    let model = Model::from_bytes(encoder(1, shape).to_model_bytes("").unwrap()).unwrap();
    let input = random_tokens(2, shape.tokens, shape.vocab);
    let inf = run(&model, &input, &ReferenceBackend).unwrap();
    println!(
        "{:<32} {:>7} {:>9} {:>11} {:>10}",
        "node", "leaves", "elements", "steps", "steps/elem"
    );
    let mut seen = std::collections::BTreeSet::new();
    for (i, node) in model.nodes().iter().enumerate().skip(1) {
        let label = format!("{} {} <- {}", node.op.name(), node.output, node.inputs[0]);
        if !seen.insert(label.clone()) {
            continue;
        }
        let inputs: Vec<&[u8]> = node
            .sources
            .iter()
            .map(|s| match *s {
                Source::Node(j) => inf.outputs[j as usize].as_slice(),
                Source::Weight(w) => model.weight(w as usize).1,
            })
            .collect();
        let descriptor = node.encode();
        let len = node.output.byte_len();
        let mut best_under = None;
        let mut leaves = 1usize;
        loop {
            let end = (leaves * 32).min(len);
            let job = Job {
                start: 0,
                end: end as u32,
                descriptor: &descriptor,
            }
            .encode();
            let mut m = program.machine().unwrap();
            let mem = m.memory_mut();
            mem.mount(JOB_SLOT, &job, &root_of_bytes(&job, SLOT_DEPTH))
                .unwrap();
            for (k, d) in inputs.iter().enumerate() {
                mem.mount(FIRST_INPUT_SLOT + k, d, &root_of_bytes(d, SLOT_DEPTH))
                    .unwrap();
            }
            let steps = m.run(u64::MAX);
            assert_eq!(m.status(), Status::Exited(0));
            assert_eq!(
                m.memory().read_bytes(slot_base(OUTPUT_SLOT), end),
                &inf.outputs[i][..end]
            );
            let elements = end / node.output.dtype.size();
            println!(
                "{label:<48} {leaves:>7} {elements:>9} {steps:>11} {:>10.1}",
                steps as f64 / elements as f64
            );
            if steps < STEP_LIMIT {
                best_under = Some((leaves, elements, steps));
            }
            if steps >= STEP_LIMIT || end == len {
                break;
            }
            leaves *= 4;
        }
        if let Some((leaves, elements, steps)) = best_under {
            println!("{label:<48} largest tile under 1M steps tried: {leaves} leaves = {elements} elements ({steps} steps)");
        }
    }
}
