//! Seeded game simulations on the Rust referee (docs/spec.md §9.4) with real models, real tile
//! runs in opml-vm and real step proofs: the honest side wins every game, whatever the other
//! side does.

use opml_challenger::game::engine::Params;
use opml_challenger::game::referee::{ClaimInfo, Referee};
use opml_challenger::game::sim::{lying_work, play, Challenger, Choice, Claimant, Lie, Outcome};
use opml_challenger::game::work::ClaimWork;
use opml_dnn::exec::ReferenceBackend;
use opml_dnn::model::Model;
use opml_dnn::testgen::XorShift32;
use opml_dnn::testmodels::{encoder, mlp, random_input, random_tokens, TransformerShape};
use opml_vm::Program;

const CLOCK: u64 = 3600;

fn program() -> Program {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dnn-lib/guest/bin/job.elf");
    Program::parse(&std::fs::read(path).unwrap()).unwrap()
}

struct Setup {
    model: Model,
    input: Vec<u8>,
}

fn setups() -> Vec<(&'static str, Setup)> {
    let mnist = Model::from_bytes(mlp(1, &[784, 20, 10]).to_model_bytes("").unwrap()).unwrap();
    let mnist_input = random_input(2, mnist.input_info());
    let shape = TransformerShape::TINY_ENCODER;
    let enc = Model::from_bytes(encoder(3, shape).to_model_bytes("").unwrap()).unwrap();
    let enc_input = random_tokens(4, shape.tokens, shape.vocab);
    vec![
        (
            "mlp",
            Setup {
                model: mnist,
                input: mnist_input,
            },
        ),
        (
            "encoder",
            Setup {
                model: enc,
                input: enc_input,
            },
        ),
    ]
}

fn claim_info(program: &Program, claimed: &ClaimWork<'_>) -> ClaimInfo {
    let roots = claimed.model.roots();
    ClaimInfo {
        graph_root: roots.graph,
        weights_root: roots.weights,
        node_count: claimed.node_count(),
        input_root: claimed.inference.node_roots[0],
        final_state_root: claimed.inference.final_state_root(),
        program_root: program.program_root().unwrap(),
        program_entry: program.entry,
    }
}

fn game(
    program: &Program,
    claimed: &ClaimWork<'_>,
    truth: &ClaimWork<'_>,
    lie: Lie,
    choice: Choice,
    seed: u32,
) -> Outcome {
    let params = Params::default();
    let mut referee = Referee::new(params, claim_info(program, claimed), CLOCK, 1_000);
    let mut claimant = Claimant::new(params, claimed, program, lie, seed);
    let mut challenger = Challenger::new(params, truth, program, choice, seed ^ 0xABCD);
    play(&mut referee, &mut claimant, &mut challenger, CLOCK).expect("players compute their moves")
}

#[test]
fn honest_claimant_beats_every_challenger() {
    let program = program();
    for (name, setup) in setups() {
        let truth =
            ClaimWork::compute(&setup.model, setup.input.clone(), &ReferenceBackend).unwrap();
        for seed in 0..24u32 {
            let choice =
                [Choice::Random, Choice::Stall(seed % 5), Choice::Honest][seed as usize % 3];
            let out = game(&program, &truth, &truth, Lie::None, choice, seed);
            println!("{name} honest vs {choice:?}: {out:?}");
            assert!(out.claimant_won, "{name} seed {seed} {choice:?}: {out:?}");
        }
    }
}

#[test]
fn honest_challenger_beats_every_lying_claimant() {
    let program = program();
    let mut rng = XorShift32::new(99);
    let mut games = 0;
    for (name, setup) in setups() {
        let truth =
            ClaimWork::compute(&setup.model, setup.input.clone(), &ReferenceBackend).unwrap();
        let nodes = truth.node_count() as usize;
        for seed in 0..40u32 {
            let node = 1 + rng.next_u32() as usize % (nodes - 1);
            let byte = rng.next_u32() as usize;
            let claimed = lying_work(&truth, &ReferenceBackend, node, byte);
            if claimed.inference.final_state_root() == truth.inference.final_state_root() {
                continue; // The flip did not change the claim (cannot happen: roots differ).
            }
            let lie = [
                Lie::None,
                Lie::FakeSteps(rng.next_u32() % 1000),
                Lie::Stall(rng.next_u32() % 8),
                Lie::DissectionGarbage,
            ][seed as usize % 4];
            let out = game(&program, &claimed, &truth, lie, Choice::Honest, seed);
            println!("{name} lie at node {node} ({lie:?}): {out:?}");
            assert!(
                !out.claimant_won,
                "{name} lie at node {node} ({lie:?}) seed {seed}: {out:?}"
            );
            assert!(out.moves.0 <= 40 && out.moves.1 <= 40, "{name}: {out:?}");
            games += 1;
        }
    }
    assert!(games >= 70, "{games} games");
}
