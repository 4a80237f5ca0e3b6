//! Games played on the real contracts in revm, move for move beside the Rust referee: every
//! move is accepted or rejected by both alike (same error), both show the same game after it,
//! both name the same winner, and the oracle pays the winner. Also measures gas per dispute.

use alloy_primitives::{Address, U256};
use opml_challenger::game::engine::{GameView, Params, Phase};
use opml_challenger::game::onchain::{ChainError, Deployment, Settings};
use opml_challenger::game::referee::{ClaimInfo, Referee};
use opml_challenger::game::sim::{lying_work, Challenger, Choice, Claimant, Lie, Player};
use opml_challenger::game::work::ClaimWork;
use opml_dnn::exec::ReferenceBackend;
use opml_dnn::model::Model;
use opml_dnn::testgen::XorShift32;
use opml_dnn::testmodels::{encoder, mlp, random_input, random_tokens, TransformerShape};
use opml_vm::Program;

const CLOCK: u64 = 3600;
const CLAIMANT: Address = Address::new([0xc1; 20]);
const CHALLENGER: Address = Address::new([0xc2; 20]);

fn program() -> Program {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dnn-lib/guest/bin/job.elf");
    Program::parse(&std::fs::read(path).unwrap()).unwrap()
}

fn settings() -> Settings {
    Settings {
        params: Params::default(),
        clock: CLOCK,
        claim_bond: U256::from(100u64),
        challenge_bond: U256::from(70u64),
        window: 1000,
    }
}

/// The error name of a referee error (its variant).
fn referee_name(e: &opml_challenger::game::referee::RefereeError) -> String {
    use opml_challenger::game::referee::RefereeError as E;
    match e {
        E::Step(v) => format!("{v:?}"),
        other => format!("{other:?}")
            .split(['(', ' ', '{'])
            .next()
            .unwrap()
            .to_string(),
    }
}

fn same_view(a: &GameView, b: &GameView) -> bool {
    a.phase == b.phase
        && a.claimant_to_move == b.claimant_to_move
        && (a.phase == Phase::Resolved || (a.lo, a.hi) == (b.lo, b.hi))
        && (a.phase != Phase::Descent
            || (a.node, a.height, a.index, a.value) == (b.node, b.height, b.index, b.value))
}

struct Report {
    claimant_won: bool,
    tile_steps: u64,
    moves: (u32, u32),
    total_gas: u64,
    max_gas: (String, u64),
}

/// Plays one game on both referees; panics on any disagreement.
fn play_both(
    model: &Model,
    claimed: &ClaimWork<'_>,
    truth: &ClaimWork<'_>,
    program: &Program,
    lie: Lie,
    choice: Choice,
    seed: u32,
) -> Report {
    let s = settings();
    let roots = model.roots();
    let mut chain = Deployment::deploy(&s, program.program_root().unwrap(), program.entry).unwrap();
    for who in [CLAIMANT, CHALLENGER] {
        chain.evm.fund(who, U256::from(10u64.pow(18)));
    }
    let model_id = chain
        .register_model(CLAIMANT, model, "opml://test")
        .unwrap();
    let n = claimed.node_count();
    let final_root = claimed.inference.final_state_root();
    let claim = chain
        .submit_claim(
            CLAIMANT,
            model_id,
            0,
            &claimed.input,
            claimed.inference.output(),
            final_root,
            &claimed.state_proof(n - 1, 0),
            &claimed.state_proof(n - 1, n - 1),
            s.claim_bond,
        )
        .unwrap();
    let game_id = chain
        .challenge(CHALLENGER, claim, s.challenge_bond)
        .unwrap();
    let start = chain.evm.timestamp();
    let info = ClaimInfo {
        graph_root: roots.graph,
        weights_root: roots.weights,
        node_count: n,
        input_root: claimed.inference.node_roots[0],
        final_state_root: final_root,
        program_root: program.program_root().unwrap(),
        program_entry: program.entry,
    };
    let mut referee = Referee::new(s.params, info, CLOCK, start);
    let mut claimant = Claimant::new(s.params, claimed, program, lie, seed);
    let mut challenger = Challenger::new(s.params, truth, program, choice, seed ^ 0xABCD);
    let mut now = start;
    let mut revealed = None;
    let mut tile_steps = 0;
    for _ in 0..1000 {
        if referee.phase == Phase::Resolved {
            break;
        }
        now += 7;
        chain.evm.set_timestamp(now);
        let view = referee.view();
        if view.phase == Phase::Steps && tile_steps == 0 {
            tile_steps = view.hi;
        }
        let (chain_view, _) = chain.game_view(game_id, revealed.clone()).unwrap();
        assert!(
            same_view(&view, &chain_view),
            "views differ:\n{view:?}\n{chain_view:?}"
        );
        let by_claimant = view.claimant_to_move;
        let mut proposal = if by_claimant {
            claimant.next_move(&view).unwrap()
        } else {
            challenger.next_move(&view).unwrap()
        };
        let mut mover_is_claimant = by_claimant;
        if proposal.is_none() && view.phase == Phase::Steps && view.hi - view.lo == 1 {
            proposal = challenger.next_move(&view).unwrap();
            mover_is_claimant = false;
        }
        let applied = match &proposal {
            Some(mv) => {
                let r = referee.apply(mover_is_claimant, mv, now);
                let c = chain.play(
                    game_id,
                    if mover_is_claimant {
                        CLAIMANT
                    } else {
                        CHALLENGER
                    },
                    mv,
                );
                match (&r, &c) {
                    (Ok(()), Ok(_)) => {}
                    (Err(re), Err(ChainError::Revert(name))) => {
                        assert_eq!(&referee_name(re), name, "move {mv:?}")
                    }
                    _ => panic!(
                        "referee {r:?} and chain {:?} disagree on {mv:?}",
                        c.as_ref().map(|_| ())
                    ),
                }
                if let opml_challenger::game::engine::Move::RevealNodes(v)
                | opml_challenger::game::engine::Move::RevealSteps(v)
                | opml_challenger::game::engine::Move::RevealChildren(v) = mv
                {
                    if r.is_ok() {
                        revealed = Some(v.clone());
                    }
                }
                r.is_ok()
            }
            None => false,
        };
        if !applied {
            now += CLOCK + 1;
            chain.evm.set_timestamp(now);
            referee.timeout(now).unwrap();
            chain.timeout(game_id, CHALLENGER).unwrap();
        }
    }
    let (chain_view, g) = chain.game_view(game_id, None).unwrap();
    assert_eq!(chain_view.phase, Phase::Resolved);
    let claimant_won = referee.claimant_won.unwrap();
    assert_eq!(g.claimantWon, claimant_won, "winners differ");
    // The oracle credited the winner with both bonds (a defeated claim: claim bond + challenge bond).
    let (winner, amount) = if claimant_won {
        (CLAIMANT, s.challenge_bond)
    } else {
        (CHALLENGER, s.challenge_bond + s.claim_bond)
    };
    assert_eq!(chain.oracle_balance(winner).unwrap(), amount);
    let game_gas: Vec<&(String, u64)> = chain
        .gas_log
        .iter()
        .filter(|(l, _)| l != "registerModel" && l != "submitClaim" && l != "challenge")
        .collect();
    let total_gas = chain
        .gas_log
        .iter()
        .filter(|(l, _)| l != "registerModel")
        .map(|(_, g)| g)
        .sum();
    let max_gas = game_gas
        .iter()
        .chain(
            chain
                .gas_log
                .iter()
                .filter(|(l, _)| l == "submitClaim" || l == "challenge")
                .collect::<Vec<_>>()
                .iter(),
        )
        .max_by_key(|(_, g)| *g)
        .map(|(l, g)| (l.clone(), *g))
        .unwrap();
    if std::env::var_os("OPML_GAS_LOG").is_some() {
        println!(
            "gas log (claimant won: {claimant_won}): {:?}",
            chain.gas_log
        );
    }
    Report {
        claimant_won,
        tile_steps,
        moves: referee.moves,
        total_gas,
        max_gas,
    }
}

#[test]
fn contracts_and_referee_agree_on_every_move() {
    let program = program();
    let mnist = Model::from_bytes(mlp(1, &[784, 20, 10]).to_model_bytes("").unwrap()).unwrap();
    let shape = TransformerShape::TINY_ENCODER;
    let enc = Model::from_bytes(encoder(3, shape).to_model_bytes("").unwrap()).unwrap();
    let cases = [
        ("mlp", &mnist, random_input(2, mnist.input_info())),
        ("encoder", &enc, random_tokens(4, shape.tokens, shape.vocab)),
    ];
    let mut rng = XorShift32::new(5);
    for (name, model, input) in cases {
        let truth = ClaimWork::compute(model, input, &ReferenceBackend).unwrap();
        let mut worst = (String::new(), 0u64);
        let mut totals = Vec::new();
        // OPML_GAME_SEEDS games of each kind per model (scripts/test.sh runs many in release).
        let seeds: u32 = std::env::var("OPML_GAME_SEEDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(8);
        for seed in 0..seeds {
            // Honest claimant against a random or stalling challenger.
            let choice = [Choice::Random, Choice::Stall(seed % 4)][seed as usize % 2];
            let r = play_both(model, &truth, &truth, &program, Lie::None, choice, seed);
            assert!(
                r.claimant_won,
                "{name}: honest claimant lost against {choice:?}"
            );
            // Lying claimant against an honest challenger.
            let node = 1 + rng.next_u32() as usize % (truth.node_count() as usize - 1);
            let claimed = lying_work(&truth, &ReferenceBackend, node, rng.next_u32() as usize);
            let lie = [
                Lie::None,
                Lie::FakeSteps(rng.next_u32() % 1000),
                Lie::DissectionGarbage,
                Lie::Stall(rng.next_u32() % 6),
            ][seed as usize % 4];
            let r = play_both(model, &claimed, &truth, &program, lie, Choice::Honest, seed);
            assert!(!r.claimant_won, "{name}: lying claimant ({lie:?}) won");
            if lie == Lie::None {
                totals.push((r.total_gas, r.moves, r.tile_steps));
            }
            if r.max_gas.1 > worst.1 {
                worst = r.max_gas.clone();
            }
        }
        println!("{name}: full disputes (claim + challenge + all moves): (gas, moves per side, tile steps) {totals:?}; largest transaction {worst:?}");
        assert!(worst.1 <= 500_000, "{name}: a transaction used {worst:?}");
    }
}
