//! Golden games for the forge tests of the game contracts (contracts/test/DisputeGame.t.sol and
//! InferenceOracle.t.sol): complete games played by the engine's players, move for move, on the
//! Rust referee and on the contracts in revm, recorded as calldata with each call's expected
//! outcome.
//!
//! The games live in `contracts/test/fixtures/game_*.json`; the forge tests replay them.
//! `OPML_BLESS=1 cargo test -p opml-challenger --test game_vectors` rewrites the files; without
//! it the test regenerates the JSON and fails if a committed file differs (stale games).
//!
//! Each file holds the deployment parameters, the model registration, the claim (input, output,
//! final graph-state root and its two proofs) and the calls of one game after the challenge:
//! function, sender role (`claimant`, `challenger` or `anyone`), time in seconds after the
//! challenge, ABI-encoded calldata (game id 0) and the expected outcome: `""` for success or the
//! name of the custom error. Besides the players' moves, some games carry rejected calls
//! (tampered moves, moves out of turn, early timeouts, moves on a resolved game): the Rust
//! referee names the error, and the contracts in revm must revert with the same one before the
//! file is written.

use alloy_primitives::{Address, U256};
use opml_challenger::game::engine::{GameView, Honest, Move, Params, Phase};
use opml_challenger::game::onchain::{
    move_calldata, timeout_calldata, ChainError, Deployment, Settings,
};
use opml_challenger::game::referee::{ClaimInfo, Referee, RefereeError};
use opml_challenger::game::sim::{lying_work, Challenger, Choice, Claimant, Lie, Player};
use opml_challenger::game::work::{ClaimWork, WorkError};
use opml_dnn::commit::{tensor_root, IncrementalTree, GRAPH_DEPTH};
use opml_dnn::exec::{Inference, ReferenceBackend};
use opml_dnn::model::Model;
use opml_dnn::testmodels::{mlp, random_input};
use opml_vm::merkle::Hash;
use opml_vm::Program;
use std::fmt::Write as _;
use std::path::PathBuf;

const CLOCK: u64 = 3600;
const CLAIM_BOND: u64 = 100;
const CHALLENGE_BOND: u64 = 70;
const WINDOW: u64 = 1000;
/// Seconds between two moves.
const MOVE_TIME: u64 = 7;

/// Who sends a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Claimant,
    Challenger,
    Anyone,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Claimant => "claimant",
            Role::Challenger => "challenger",
            Role::Anyone => "anyone",
        }
    }

    fn address(self) -> Address {
        match self {
            Role::Claimant => Address::new([0xc1; 20]),
            Role::Challenger => Address::new([0xc2; 20]),
            Role::Anyone => Address::new([0xa0; 20]),
        }
    }
}

fn settings() -> Settings {
    Settings {
        params: Params::default(),
        clock: CLOCK,
        claim_bond: U256::from(CLAIM_BOND),
        challenge_bond: U256::from(CHALLENGE_BOND),
        window: WINDOW,
    }
}

fn program() -> Program {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dnn-lib/guest/bin/job.elf");
    Program::parse(&std::fs::read(path).expect("dnn-lib/guest/bin/job.elf")).expect("job.elf")
}

fn hex0x(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

/// The error name of a referee error (the Solidity custom error of the same name).
fn referee_name(e: &RefereeError) -> String {
    match e {
        RefereeError::Step(v) => format!("{v:?}"),
        other => format!("{other:?}"),
    }
}

fn chain_name(e: &ChainError) -> String {
    match e {
        ChainError::Revert(name) => name.clone(),
        other => panic!("the chain failed without a custom error: {other}"),
    }
}

fn same_view(a: &GameView, b: &GameView) -> bool {
    a.phase == b.phase
        && a.claimant_to_move == b.claimant_to_move
        && (a.phase == Phase::Resolved || (a.lo, a.hi) == (b.lo, b.hi))
        && (a.phase != Phase::Descent
            || (a.node, a.height, a.index, a.value) == (b.node, b.height, b.index, b.value))
}

/// One recorded call.
struct Call {
    func: &'static str,
    sender: Role,
    time: u64,
    data: Vec<u8>,
    error: String,
}

/// A game in progress on both referees, with its record.
struct Recorder {
    referee: Referee,
    chain: Deployment,
    game_id: u64,
    start: u64,
    calls: Vec<Call>,
}

impl Recorder {
    /// Sends `mv` from `sender` at `now` to both referees; they must agree. Returns the error
    /// name, if rejected.
    fn send(&mut self, sender: Role, mv: &Move, now: u64) -> Option<String> {
        let r = self.referee.apply(sender == Role::Claimant, mv, now);
        self.chain.evm.set_timestamp(now);
        let (func, data) = move_calldata(self.game_id, mv);
        let c = self.chain.send_raw(
            func,
            sender.address(),
            self.chain.game,
            data.clone(),
            U256::ZERO,
        );
        let error = match (&r, &c) {
            (Ok(()), Ok(_)) => None,
            (Err(re), Err(ce)) => {
                let (rn, cn) = (referee_name(re), chain_name(ce));
                assert_eq!(rn, cn, "referee and contracts reject {func} differently");
                Some(rn)
            }
            _ => panic!(
                "referee {r:?} and contracts {:?} disagree on {func} by {sender:?}",
                c.as_ref().map(|_| ())
            ),
        };
        self.calls.push(Call {
            func,
            sender,
            time: now - self.start,
            data,
            error: error.clone().unwrap_or_default(),
        });
        error
    }

    /// A call that must be rejected with some error (the referee names it).
    fn probe(&mut self, sender: Role, mv: &Move, now: u64) {
        let error = self.send(sender, mv, now);
        assert!(error.is_some(), "probe {mv:?} was accepted");
    }

    /// `timeout` from `sender` at `now`.
    fn timeout(&mut self, sender: Role, now: u64) -> Option<String> {
        let r = self.referee.timeout(now);
        self.chain.evm.set_timestamp(now);
        let data = timeout_calldata(self.game_id);
        let c = self.chain.send_raw(
            "timeout",
            sender.address(),
            self.chain.game,
            data.clone(),
            U256::ZERO,
        );
        let error = match (&r, &c) {
            (Ok(()), Ok(_)) => None,
            (Err(re), Err(ce)) => {
                assert_eq!(
                    referee_name(re),
                    chain_name(ce),
                    "timeout rejected differently"
                );
                Some(referee_name(re))
            }
            _ => panic!("referee {r:?} and contracts disagree on timeout"),
        };
        self.calls.push(Call {
            func: "timeout",
            sender,
            time: now - self.start,
            data,
            error: error.clone().unwrap_or_default(),
        });
        error
    }

    fn view(&mut self) -> GameView {
        let view = self.referee.view();
        let (chain_view, _) = self.chain.game_view(self.game_id, None).expect("getGame");
        assert!(
            same_view(&view, &chain_view),
            "views differ:\n{view:?}\n{chain_view:?}"
        );
        view
    }
}

fn alter(h: &Hash) -> Hash {
    let mut x = *h;
    x[31] ^= 1;
    x
}

/// An `openExecution` whose contents do not matter (rejected before they are read).
fn dummy_open() -> Move {
    Move::OpenExecution {
        descriptor: Vec::new(),
        input_roots: Vec::new(),
        input_proofs: Vec::new(),
        final_state: Vec::new(),
        slot_siblings: [[0; 32]; 4],
        steps: 1,
    }
}

fn dummy_prove() -> Move {
    Move::ProveNode {
        output_root: [0; 32],
        state_siblings: vec![[0; 32]; 16],
        descriptor: Vec::new(),
        descriptor_proof: vec![[0; 32]; 16],
        data_root: [0; 32],
    }
}

fn dummy_resolve() -> Move {
    Move::ResolveStep {
        pre_state: Vec::new(),
        proof: Vec::new(),
    }
}

/// Tampered versions of `mv` (and moves of the wrong kind now), each of which must be rejected.
fn probes(mv: &Move, mover: Role) -> Vec<(Role, Move)> {
    use Move as M;
    let mut out = Vec::new();
    match mv {
        M::RevealNodes(v) | M::RevealSteps(v) => {
            let nodes = matches!(mv, M::RevealNodes(_));
            let make = |v: Vec<Hash>| {
                if nodes {
                    M::RevealNodes(v)
                } else {
                    M::RevealSteps(v)
                }
            };
            out.push((mover, make(v[..v.len() - 1].to_vec())));
            let mut longer = v.clone();
            longer.push([0; 32]);
            out.push((mover, make(longer)));
            // The challenger's move while the claimant is to move, from either side.
            for who in [Role::Challenger, Role::Claimant] {
                out.push((
                    who,
                    if nodes {
                        M::ChooseNode(v.clone(), 0)
                    } else {
                        M::ChooseStep(v.clone(), 0)
                    },
                ));
            }
            // The interval is longer than one.
            out.push((
                mover,
                if nodes {
                    dummy_prove()
                } else {
                    dummy_resolve()
                },
            ));
            if !nodes {
                out.push((Role::Anyone, dummy_resolve()));
            }
        }
        M::ChooseNode(v, s) | M::ChooseStep(v, s) => {
            let nodes = matches!(mv, M::ChooseNode(..));
            let make = |v: Vec<Hash>, s: u64| {
                if nodes {
                    M::ChooseNode(v, s)
                } else {
                    M::ChooseStep(v, s)
                }
            };
            let mut altered = v.clone();
            altered[0] = alter(&altered[0]);
            out.push((mover, make(altered, *s)));
            out.push((mover, make(v[..v.len() - 1].to_vec(), *s)));
            out.push((mover, make(v.clone(), v.len() as u64 + 1)));
            // The claimant's move while the challenger is to move.
            out.push((
                Role::Claimant,
                if nodes {
                    M::RevealNodes(v.clone())
                } else {
                    M::RevealSteps(v.clone())
                },
            ));
        }
        M::ProveNode {
            output_root,
            state_siblings,
            descriptor,
            descriptor_proof,
            data_root,
        } => {
            let with = |o: Hash, s: Vec<Hash>, d: Vec<u8>, p: Vec<Hash>, r: Hash| M::ProveNode {
                output_root: o,
                state_siblings: s,
                descriptor: d,
                descriptor_proof: p,
                data_root: r,
            };
            let (o, s, d, p, r) = (
                *output_root,
                state_siblings.clone(),
                descriptor.clone(),
                descriptor_proof.clone(),
                *data_root,
            );
            out.push((mover, with(alter(&o), s.clone(), d.clone(), p.clone(), r)));
            let mut s2 = s.clone();
            s2[3] = alter(&s2[3]);
            out.push((mover, with(o, s2, d.clone(), p.clone(), r)));
            let mut d2 = d.clone();
            *d2.last_mut().expect("a descriptor") ^= 1;
            out.push((mover, with(o, s.clone(), d2, p.clone(), r)));
            let mut p2 = p.clone();
            p2[0] = alter(&p2[0]);
            out.push((mover, with(o, s.clone(), d.clone(), p2, r)));
            out.push((mover, with(o, s, d, p, alter(&r))));
            // Not a dissection any more.
            out.push((mover, M::RevealNodes(vec![[0; 32]])));
        }
        M::RevealChildren(c) => {
            let mut altered = c.clone();
            altered[1] = alter(&altered[1]);
            out.push((mover, M::RevealChildren(altered)));
            out.push((mover, M::RevealChildren(c[..c.len() / 2].to_vec())));
            out.push((Role::Challenger, M::ChooseChild(c.clone(), 0)));
            out.push((Role::Claimant, M::ChooseChild(c.clone(), 0)));
            // Not at the tile height yet.
            out.push((mover, dummy_open()));
        }
        M::ChooseChild(c, i) => {
            let mut altered = c.clone();
            altered[0] = alter(&altered[0]);
            out.push((mover, M::ChooseChild(altered, *i)));
            out.push((mover, M::ChooseChild(c.clone(), c.len() as u64)));
            out.push((Role::Claimant, M::RevealChildren(c.clone())));
        }
        M::OpenExecution {
            descriptor,
            input_roots,
            input_proofs,
            final_state,
            slot_siblings,
            steps,
        } => {
            let base = (
                descriptor.clone(),
                input_roots.clone(),
                input_proofs.clone(),
                final_state.clone(),
                *slot_siblings,
                *steps,
            );
            type Parts = (Vec<u8>, Vec<Hash>, Vec<Vec<Hash>>, Vec<u8>, [Hash; 4], u64);
            let make = |p: Parts| M::OpenExecution {
                descriptor: p.0,
                input_roots: p.1,
                input_proofs: p.2,
                final_state: p.3,
                slot_siblings: p.4,
                steps: p.5,
            };
            let mut p = base.clone();
            *p.0.last_mut().expect("a descriptor") ^= 1;
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.1[0] = alter(&p.1[0]);
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.2[0][5] = alter(&p.2[0][5]);
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.1.pop();
            p.2.pop();
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.5 += 1;
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.5 = 0;
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.3[44] = 2; // faulted
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.3[48] = 1; // exit code 1
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.3.pop();
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.3[0] ^= 1; // memory root
            out.push((mover, make(p)));
            let mut p = base.clone();
            p.4[2] = alter(&p.4[2]);
            out.push((mover, make(p)));
            // At the tile height: no more children.
            out.push((mover, M::RevealChildren(vec![[0; 32]; 2])));
        }
        M::ResolveStep { pre_state, proof } => {
            let make = |s: Vec<u8>, p: Vec<u8>| M::ResolveStep {
                pre_state: s,
                proof: p,
            };
            let mut s = pre_state.clone();
            s[100] ^= 1;
            out.push((Role::Anyone, make(s, proof.clone())));
            let mut s = pre_state.clone();
            s.pop();
            out.push((Role::Anyone, make(s, proof.clone())));
            let mut p = proof.clone();
            p.pop();
            out.push((Role::Anyone, make(pre_state.clone(), p)));
            let mut p = proof.clone();
            let last = p.len() - 1;
            p[last] ^= 1;
            out.push((Role::Anyone, make(pre_state.clone(), p)));
            out.push((Role::Claimant, M::RevealSteps(vec![[0; 32]])));
        }
    }
    out
}

/// A call of each function on a resolved game (all rejected with `GameResolved`).
fn after_end_probes() -> Vec<(Role, Move)> {
    vec![
        (Role::Claimant, Move::RevealNodes(vec![[0; 32]])),
        (Role::Challenger, Move::ChooseNode(vec![[0; 32]], 0)),
        (Role::Claimant, dummy_prove()),
        (Role::Claimant, Move::RevealChildren(vec![[0; 32]; 8])),
        (Role::Challenger, Move::ChooseChild(vec![[0; 32]; 8], 0)),
        (Role::Claimant, dummy_open()),
        (Role::Claimant, Move::RevealSteps(vec![[0; 32]])),
        (Role::Challenger, Move::ChooseStep(vec![[0; 32]], 0)),
        (Role::Anyone, dummy_resolve()),
    ]
}

/// A challenger that disputes node segment 0 and the last child of every descent (a tile past
/// the end of a node's output when its leaf count is not a power of two); honest otherwise.
struct PastEndChallenger<'w, 'm> {
    honest: Honest<'w, 'm>,
}

impl Player for PastEndChallenger<'_, '_> {
    fn next_move(&mut self, view: &GameView) -> Result<Option<Move>, WorkError> {
        Ok(match self.honest.challenger_move(view)? {
            Some(Move::ChooseNode(v, _)) => Some(Move::ChooseNode(v, 0)),
            Some(Move::ChooseChild(v, _)) => {
                let last = v.len() as u64 - 1;
                Some(Move::ChooseChild(v, last))
            }
            mv => mv,
        })
    }
}

/// `honest` with node `node`'s output extended by `junk` bytes past its end (inside its data
/// subtree), every other output unchanged: a claim that commits to non-zero bytes past a
/// node's end.
fn padded_work<'m>(honest: &ClaimWork<'m>, node: usize, junk: &[u8]) -> ClaimWork<'m> {
    let mut outputs = honest.inference.outputs.clone();
    let len = outputs[node].len();
    let leaves = len.div_ceil(32);
    outputs[node].resize(leaves.next_power_of_two() * 32 - junk.len(), 0);
    outputs[node].extend_from_slice(junk);
    let node_roots: Vec<Hash> = outputs.iter().map(|o| tensor_root(o)).collect();
    let mut tree = IncrementalTree::new(GRAPH_DEPTH);
    let state_roots = node_roots
        .iter()
        .enumerate()
        .map(|(i, r)| {
            tree.set(i, *r);
            tree.root()
        })
        .collect();
    ClaimWork {
        model: honest.model,
        input: honest.input.clone(),
        inference: Inference {
            outputs,
            node_roots,
            state_roots,
            compute_time: Default::default(),
            commit_time: Default::default(),
        },
    }
}

/// How a game is played.
struct Spec<'a> {
    name: &'static str,
    description: &'static str,
    model_name: &'static str,
    claimed: &'a ClaimWork<'a>,
    claimant: &'a mut dyn Player,
    challenger: &'a mut dyn Player,
    /// Who calls `resolveStep` when the claimant does not.
    resolver: Role,
    /// Whether rejected calls are recorded before the first move of each kind.
    probes: bool,
}

/// Plays `spec` on both referees and renders its fixture.
fn play(spec: Spec<'_>, program: &Program) -> String {
    let s = settings();
    let claimed = spec.claimed;
    let model = claimed.model;
    let roots = model.roots();
    let program_root = program.program_root().expect("program root");
    let mut chain = Deployment::deploy(&s, program_root, program.entry).expect("deploy");
    for who in [Role::Claimant, Role::Challenger, Role::Anyone] {
        chain.evm.fund(who.address(), U256::from(10u64.pow(18)));
    }
    let n = claimed.node_count();
    let model_id = chain
        .register_model(Role::Claimant.address(), model, "opml://test")
        .expect("registerModel");
    let final_root = claimed.inference.final_state_root();
    let (input_proof, output_proof) = (
        claimed.state_proof(n - 1, 0),
        claimed.state_proof(n - 1, n - 1),
    );
    let claim = chain
        .submit_claim(
            Role::Claimant.address(),
            model_id,
            0,
            &claimed.input,
            claimed.inference.output(),
            final_root,
            &input_proof,
            &output_proof,
            s.claim_bond,
        )
        .expect("submitClaim");
    let game_id = chain
        .challenge(Role::Challenger.address(), claim, s.challenge_bond)
        .expect("challenge");
    assert_eq!(game_id, 0);
    let start = chain.evm.timestamp();
    let info = ClaimInfo {
        graph_root: roots.graph,
        weights_root: roots.weights,
        node_count: n,
        input_root: claimed.inference.node_roots[0],
        final_state_root: final_root,
        program_root,
        program_entry: program.entry,
    };
    let mut rec = Recorder {
        referee: Referee::new(s.params, info, CLOCK, start),
        chain,
        game_id,
        start,
        calls: Vec::new(),
    };
    let mut now = start;
    let mut first = true;
    let mut probed = Vec::new();
    let mut ended_by = "";
    while rec.referee.phase != Phase::Resolved {
        assert!(
            rec.calls.len() < 1000,
            "{}: the game does not end",
            spec.name
        );
        now += MOVE_TIME;
        let view = rec.view();
        let mover = if view.claimant_to_move {
            Role::Claimant
        } else {
            Role::Challenger
        };
        let mut proposal = if view.claimant_to_move {
            spec.claimant.next_move(&view).expect("claimant's move")
        } else {
            spec.challenger.next_move(&view).expect("challenger's move")
        };
        let mut sender = mover;
        if proposal.is_none() && view.phase == Phase::Steps && view.hi - view.lo == 1 {
            proposal = spec.challenger.next_move(&view).expect("resolveStep");
            sender = spec.resolver;
        }
        if let Some(Move::ResolveStep { .. }) = proposal {
            sender = spec.resolver;
        }
        if first && spec.probes {
            // Nobody's clock has run out yet.
            rec.timeout(Role::Anyone, now)
                .expect("an early timeout is rejected");
        }
        first = false;
        match proposal {
            Some(mv) => {
                let (func, _) = move_calldata(0, &mv);
                if spec.probes && !probed.contains(&func) {
                    probed.push(func);
                    for (who, probe) in probes(&mv, sender) {
                        rec.probe(who, &probe, now);
                    }
                }
                if let Some(e) = rec.send(sender, &mv, now) {
                    panic!("{}: {func} rejected with {e}", spec.name);
                }
                ended_by = func;
            }
            None => {
                // The mover has no move: its clock runs out.
                let clock = if view.claimant_to_move {
                    rec.referee.claimant_clock
                } else {
                    rec.referee.challenger_clock
                };
                let deadline = rec.referee.turn_started_at + clock;
                rec.timeout(Role::Anyone, now)
                    .expect("timeout before the deadline");
                rec.timeout(Role::Anyone, deadline)
                    .expect("timeout at the deadline");
                now = deadline + 1;
                let late = if view.claimant_to_move {
                    (Role::Claimant, Move::RevealNodes(vec![[0; 32]]))
                } else {
                    (Role::Challenger, Move::ChooseNode(vec![[0; 32]], 0))
                };
                rec.probe(late.0, &late.1, now);
                if view.phase != Phase::Steps {
                    rec.probe(Role::Anyone, &dummy_resolve(), now);
                }
                assert!(rec.timeout(Role::Anyone, now).is_none(), "timeout rejected");
                ended_by = "timeout";
            }
        }
    }
    let claimant_won = rec.referee.claimant_won.expect("resolved");
    let (_, g) = rec.chain.game_view(game_id, None).expect("getGame");
    assert_eq!(g.claimantWon, claimant_won, "winners differ");
    now += MOVE_TIME;
    for (who, mv) in after_end_probes() {
        rec.probe(who, &mv, now);
    }
    assert_eq!(
        rec.timeout(Role::Anyone, now + 10 * CLOCK).as_deref(),
        Some("GameResolved")
    );
    let balance = |rec: &mut Recorder, r: Role| -> u64 {
        rec.chain
            .oracle_balance(r.address())
            .expect("balances")
            .to::<u64>()
    };
    let (claimant_balance, challenger_balance) = (
        balance(&mut rec, Role::Claimant),
        balance(&mut rec, Role::Challenger),
    );
    if claimant_won {
        assert_eq!((claimant_balance, challenger_balance), (CHALLENGE_BOND, 0));
    } else {
        assert_eq!(
            (claimant_balance, challenger_balance),
            (0, CLAIM_BOND + CHALLENGE_BOND)
        );
    }

    // Render.
    let mut o = String::new();
    let h = |x: &Hash| format!("\"{}\"", hex0x(x));
    let list = |v: &[Hash]| v.iter().map(h).collect::<Vec<_>>().join(", ");
    writeln!(o, "{{").unwrap();
    writeln!(
        o,
        "  \"comment\": \"Generated by challenger/tests/game_vectors.rs (OPML_BLESS=1 cargo test -p opml-challenger --test game_vectors). Do not edit.\","
    )
    .unwrap();
    writeln!(o, "  \"name\": \"{}\",", spec.name).unwrap();
    writeln!(o, "  \"description\": \"{}\",", spec.description).unwrap();
    writeln!(o, "  \"params\": {{").unwrap();
    writeln!(o, "    \"dissectionWidth\": {},", s.params.dissection_width).unwrap();
    writeln!(
        o,
        "    \"descentWidthLog2\": {},",
        s.params.descent_width_log2
    )
    .unwrap();
    writeln!(o, "    \"tileHeight\": {},", s.params.tile_height).unwrap();
    writeln!(o, "    \"clockBudget\": {CLOCK},").unwrap();
    writeln!(o, "    \"programRoot\": {},", h(&program_root)).unwrap();
    writeln!(o, "    \"programEntry\": {},", program.entry).unwrap();
    writeln!(o, "    \"claimBond\": {CLAIM_BOND},").unwrap();
    writeln!(o, "    \"challengeBond\": {CHALLENGE_BOND},").unwrap();
    writeln!(o, "    \"challengeWindow\": {WINDOW}").unwrap();
    writeln!(o, "  }},").unwrap();
    writeln!(o, "  \"model\": {{").unwrap();
    writeln!(o, "    \"name\": \"{}\",", spec.model_name).unwrap();
    writeln!(o, "    \"graphRoot\": {},", h(&roots.graph)).unwrap();
    writeln!(o, "    \"weightsRoot\": {},", h(&roots.weights)).unwrap();
    writeln!(o, "    \"nodeCount\": {n},").unwrap();
    let reg = opml_challenger::game::onchain::registration_call(model, "opml://test");
    let proof = |p: &[alloy_primitives::FixedBytes<32>; 16]| {
        p.iter().map(|x| h(&x.0)).collect::<Vec<_>>().join(", ")
    };
    writeln!(
        o,
        "    \"inputDescriptor\": \"{}\",",
        hex0x(&reg.inputDescriptor)
    )
    .unwrap();
    writeln!(o, "    \"inputProof\": [{}],", proof(&reg.inputProof)).unwrap();
    writeln!(
        o,
        "    \"outputDescriptor\": \"{}\",",
        hex0x(&reg.outputDescriptor)
    )
    .unwrap();
    writeln!(o, "    \"outputProof\": [{}]", proof(&reg.outputProof)).unwrap();
    writeln!(o, "  }},").unwrap();
    writeln!(o, "  \"claim\": {{").unwrap();
    writeln!(o, "    \"input\": \"{}\",", hex0x(&claimed.input)).unwrap();
    writeln!(
        o,
        "    \"output\": \"{}\",",
        hex0x(claimed.inference.output())
    )
    .unwrap();
    writeln!(
        o,
        "    \"inputRoot\": {},",
        h(&claimed.inference.node_roots[0])
    )
    .unwrap();
    writeln!(o, "    \"finalStateRoot\": {},", h(&final_root)).unwrap();
    writeln!(o, "    \"inputProof\": [{}],", list(&input_proof)).unwrap();
    writeln!(o, "    \"outputProof\": [{}]", list(&output_proof)).unwrap();
    writeln!(o, "  }},").unwrap();
    writeln!(o, "  \"claimantWon\": {claimant_won},").unwrap();
    writeln!(o, "  \"endedBy\": \"{ended_by}\",").unwrap();
    writeln!(o, "  \"claimantBalance\": {claimant_balance},").unwrap();
    writeln!(o, "  \"challengerBalance\": {challenger_balance},").unwrap();
    writeln!(o, "  \"callCount\": {},", rec.calls.len()).unwrap();
    writeln!(o, "  \"calls\": [").unwrap();
    for (i, c) in rec.calls.iter().enumerate() {
        writeln!(
            o,
            "    {{\"fn\": \"{}\", \"sender\": \"{}\", \"time\": {}, \"error\": \"{}\", \"data\": \"{}\"}}{}",
            c.func,
            c.sender.name(),
            c.time,
            c.error,
            hex0x(&c.data),
            if i + 1 < rec.calls.len() { "," } else { "" }
        )
        .unwrap();
    }
    writeln!(o, "  ]").unwrap();
    writeln!(o, "}}").unwrap();
    o
}

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../contracts/test/fixtures/game_{name}.json"))
}

/// Writes `json` to `path` under OPML_BLESS=1, otherwise fails unless the file equals it.
fn bless_or_compare(path: &PathBuf, json: &str) {
    if std::env::var_os("OPML_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, json).expect("write fixture");
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == json,
        "{} is stale or missing: run `OPML_BLESS=1 cargo test -p opml-challenger --test \
         game_vectors` and commit it",
        path.display()
    );
}

/// The MNIST-sized MLP of the other game tests.
fn mnist() -> Model {
    Model::from_bytes(mlp(1, &[784, 20, 10]).to_model_bytes("").expect("model")).expect("model")
}

/// An MLP whose hidden layer has 96 bytes: 3 leaves, so its data subtree (4 leaves) has a leaf
/// past the end. (The MNIST MLP's and the tiny encoder's outputs all fill whole subtrees.)
fn mlp96() -> Model {
    Model::from_bytes(mlp(1, &[784, 96, 10]).to_model_bytes("").expect("model")).expect("model")
}

#[test]
fn game_vectors_are_fresh() {
    let program = program();
    let p = Params::default();
    let backend = ReferenceBackend;

    let model = mnist();
    let truth = ClaimWork::compute(&model, random_input(2, model.input_info()), &backend)
        .expect("inference");
    // A claim wrong at node 1 (one byte of its output flipped, node 2 computed from it).
    let lying = lying_work(&truth, &backend, 1, 7);

    {
        let mut claimant = Claimant::new(p, &truth, &program, Lie::None, 1);
        let mut challenger = Challenger::new(p, &truth, &program, Choice::Random, 3);
        let json = play(
            Spec {
                name: "mlp_honest",
                description: "An honest claim on the MNIST MLP against a challenger choosing at random: down to resolveStep (sent by a third party); the claimant wins.",
                model_name: "mlp(1, [784, 20, 10])",
                claimed: &truth,
                claimant: &mut claimant,
                challenger: &mut challenger,
                resolver: Role::Anyone,
                probes: false,
            },
            &program,
        );
        bless_or_compare(&fixture_path("mlp_honest"), &json);
    }
    {
        let mut claimant = Claimant::new(p, &lying, &program, Lie::None, 1);
        let mut challenger = Challenger::new(p, &truth, &program, Choice::Honest, 3);
        let json = play(
            Spec {
                name: "mlp_lie",
                description: "A claim on the MNIST MLP wrong at node 1 (one output byte flipped) against the honest challenger: the claimant fabricates the tile's execution, the challenger resolves the last step and wins. Rejected calls (tampered moves, moves out of turn) precede the first move of each kind.",
                model_name: "mlp(1, [784, 20, 10])",
                claimed: &lying,
                claimant: &mut claimant,
                challenger: &mut challenger,
                resolver: Role::Challenger,
                probes: true,
            },
            &program,
        );
        bless_or_compare(&fixture_path("mlp_lie"), &json);
    }
    {
        let mut claimant = Claimant::new(p, &lying, &program, Lie::Stall(2), 1);
        let mut challenger = Challenger::new(p, &truth, &program, Choice::Honest, 3);
        let json = play(
            Spec {
                name: "mlp_timeout",
                description: "A claim on the MNIST MLP wrong at node 1 whose claimant stops after two moves: early timeouts are rejected, a move after its clock ran out too, and the challenger wins by timeout.",
                model_name: "mlp(1, [784, 20, 10])",
                claimed: &lying,
                claimant: &mut claimant,
                challenger: &mut challenger,
                resolver: Role::Challenger,
                probes: false,
            },
            &program,
        );
        bless_or_compare(&fixture_path("mlp_timeout"), &json);
    }

    let model = mlp96();
    let truth = ClaimWork::compute(&model, random_input(2, model.input_info()), &backend)
        .expect("inference");
    let padded = padded_work(&truth, 1, &[0x5a; 32]);
    {
        let mut claimant = Claimant::new(p, &padded, &program, Lie::None, 1);
        let mut challenger = Challenger::new(p, &truth, &program, Choice::Honest, 3);
        let json = play(
            Spec {
                name: "past_end_lie",
                description: "A claim whose node 1 output (96 bytes) carries 32 junk bytes past its end, inside its data subtree: the honest challenger disputes that leaf, which lies past the end and is not zero; chooseChild decides for the challenger. Rejected calls precede the first move of each kind.",
                model_name: "mlp(1, [784, 96, 10])",
                claimed: &padded,
                claimant: &mut claimant,
                challenger: &mut challenger,
                resolver: Role::Challenger,
                probes: true,
            },
            &program,
        );
        bless_or_compare(&fixture_path("past_end_lie"), &json);
    }
    {
        let mut claimant = Claimant::new(p, &truth, &program, Lie::None, 1);
        let mut challenger = PastEndChallenger {
            honest: Honest::new(p, &truth, &program),
        };
        let json = play(
            Spec {
                name: "past_end_honest",
                description: "An honest claim whose challenger disputes node 1 and the leaf past the end of its 96-byte output: the leaf is zero and chooseChild decides for the claimant.",
                model_name: "mlp(1, [784, 96, 10])",
                claimed: &truth,
                claimant: &mut claimant,
                challenger: &mut challenger,
                resolver: Role::Challenger,
                probes: false,
            },
            &program,
        );
        bless_or_compare(&fixture_path("past_end_honest"), &json);
    }
}
