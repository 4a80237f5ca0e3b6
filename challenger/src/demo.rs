//! `opml demo`: a full claim → challenge → resolve on the embedded chain (the contracts in an
//! in-process EVM), with a readable timeline.

use alloy_primitives::{Address, U256};
use clap::Args;
use eyre::{bail, eyre, WrapErr};
use opml_challenger::game::engine::{Params, Phase};
use opml_challenger::game::onchain::{Deployment, Settings};
use opml_challenger::game::sim::{altered_work, Challenger, Choice, Claimant, Lie, Player};
use opml_challenger::game::work::ClaimWork;
use opml_dnn::exec::ReferenceBackend;
use opml_dnn::model::Model;
use opml_dnn::tensor::read_elem;
use opml_vm::Program;
use std::time::Instant;

/// The job guest, embedded so that the binary needs nothing else.
const JOB_ELF: &[u8] = include_bytes!("../../dnn-lib/guest/bin/job.elf");
/// The demo model: a CNN trained on scikit-learn's digits (converter/fixtures/digits), its
/// architecture, calibration images and held-out images, embedded.
const DIGITS_ARCH: &str = include_str!("../../converter/fixtures/digits/cnn.toml");
const DIGITS_WEIGHTS: &[u8] = include_bytes!("../../converter/fixtures/digits/cnn.pt");
const DIGITS_CALIBRATION: &[u8] = include_bytes!("../../converter/fixtures/digits/calibration.npy");
const DIGITS_HOLDOUT: &[u8] = include_bytes!("../../converter/fixtures/digits/holdout.json");

#[derive(Args)]
pub(crate) struct DemoArgs {
    /// Play on a JSON-RPC node instead of the embedded chain (not available yet).
    #[arg(long)]
    rpc_url: Option<String>,
    /// Seconds of chess clock per side.
    #[arg(long, default_value_t = 3600)]
    clock: u64,
}

const AUTHOR: Address = Address::new([0xa0; 20]);
const CONSUMER: Address = Address::new([0xc0; 20]);
const HONEST: Address = Address::new([0x11; 20]);
const DISHONEST: Address = Address::new([0xbb; 20]);
const WATCHTOWER: Address = Address::new([0x77; 20]);

fn name(a: Address) -> &'static str {
    match a {
        AUTHOR => "author",
        CONSUMER => "consumer",
        HONEST => "submitter",
        DISHONEST => "liar",
        WATCHTOWER => "watchtower",
        _ => "someone",
    }
}

fn ether(wei: U256) -> String {
    let milli = wei / U256::from(10u64.pow(15));
    format!(
        "{}.{:03} ETH",
        milli / U256::from(1000),
        (milli % U256::from(1000)).to::<u64>()
    )
}

struct Timeline {
    start: Instant,
}

impl Timeline {
    fn event(&self, chain_time: u64, who: &str, what: &str, gas: Option<u64>) {
        let gas = gas.map(|g| format!("{g:>9} gas")).unwrap_or_default();
        println!(
            "{:>7.2}s  t={chain_time:<7} {who:<11} {what:<58} {gas}",
            self.start.elapsed().as_secs_f64()
        );
    }
}

pub(crate) fn run(args: DemoArgs) -> eyre::Result<()> {
    if let Some(url) = args.rpc_url {
        bail!("--rpc-url {url}: playing on a JSON-RPC node is not available yet; run `opml demo` for the embedded chain");
    }
    let tl = Timeline {
        start: Instant::now(),
    };
    println!("opml demo: a claim that finalizes and a wrong claim that a watchtower defeats, on the embedded chain\n");
    let program = Program::parse(JOB_ELF).wrap_err("the embedded job guest")?;
    let program_root = program.program_root()?;
    let settings = Settings {
        params: Params::default(),
        clock: args.clock,
        claim_bond: U256::from(10u64.pow(17)),
        challenge_bond: U256::from(10u64.pow(17)),
        window: 3600,
    };
    let mut chain = Deployment::deploy(&settings, program_root, program.entry)
        .map_err(|e| eyre!("deploying the contracts: {e}"))?;
    for who in [AUTHOR, CONSUMER, HONEST, DISHONEST, WATCHTOWER] {
        chain.evm.fund(who, U256::from(10u64.pow(18)));
    }
    tl.event(
        chain.evm.timestamp(),
        "deployer",
        "deployed Step, ModelRegistry, InferenceOracle, DisputeGame",
        None,
    );

    // The model: the digits CNN, converted from its PyTorch checkpoint right here.
    let converted = convert_digits()?;
    let model = converted.model;
    let roots = model.roots().clone();
    tl.event(
        chain.evm.timestamp(),
        "author",
        &format!(
            "converted the digits CNN (PyTorch) to an opml model: {} nodes, {} bytes",
            model.nodes().len(),
            converted.bytes.len()
        ),
        None,
    );
    let model_id = chain
        .register_model(AUTHOR, &model, "opml://examples/digits-cnn")
        .map_err(|e| eyre!("{e}"))?;
    let gas = chain.gas_log.last().map(|g| g.1);
    tl.event(
        chain.evm.timestamp(),
        "author",
        &format!(
            "registered model {model_id} root 0x{}…",
            &hex::encode(roots.model)[..12]
        ),
        gas,
    );
    let holdout = opml_converter::samples::parse_json(DIGITS_HOLDOUT, "held-out digits")
        .map_err(|e| eyre!("{e}"))?;
    let labels = holdout.labels.clone().unwrap_or_default();
    let image = |i: usize| -> (Vec<u8>, String) {
        let label = labels
            .get(i)
            .map(|l| format!("a handwritten {l}"))
            .unwrap_or_else(|| "an image".into());
        (quantize(&model, &holdout.inputs[i]), label)
    };

    // 1. An honest claim for a consumer's request finalizes.
    let (input, what) = image(0);
    let fee = U256::from(10u64.pow(16));
    let request = chain
        .request_inference(CONSUMER, model_id, &input, fee)
        .map_err(|e| eyre!("{e}"))?;
    tl.event(
        chain.evm.timestamp(),
        "consumer",
        &format!(
            "requested inference {request} on {what}, fee {}",
            ether(fee)
        ),
        chain.gas_log.last().map(|g| g.1),
    );
    let honest = ClaimWork::compute(&model, input.clone(), &ReferenceBackend)?;
    let claim = submit(
        &mut chain,
        HONEST,
        model_id,
        request,
        &honest,
        settings.claim_bond,
    )?;
    tl.event(
        chain.evm.timestamp(),
        "submitter",
        &format!("claimed request {request}: class {}", class(&honest)),
        chain.gas_log.last().map(|g| g.1),
    );
    let watch = ClaimWork::compute(&model, input, &ReferenceBackend)?;
    let agrees = watch.inference.final_state_root() == honest.inference.final_state_root();
    tl.event(
        chain.evm.timestamp(),
        "watchtower",
        &format!(
            "recomputed claim {claim}: {}",
            if agrees {
                "agrees, no challenge"
            } else {
                "DISAGREES"
            }
        ),
        None,
    );
    let t = chain.evm.timestamp() + settings.window + 1;
    chain.evm.set_timestamp(t);
    chain
        .finalize(HONEST, claim, honest.inference.output())
        .map_err(|e| eyre!("{e}"))?;
    tl.event(
        t,
        "submitter",
        &format!("finalized claim {claim} after the window; bond + fee credited"),
        chain.gas_log.last().map(|g| g.1),
    );

    // 2. A wrong claim: the liar changes the last layer's output (the class it reports).
    let (input, what) = image(1);
    let truth = ClaimWork::compute(&model, input, &ReferenceBackend)?;
    let last = model.nodes().len() - 1;
    // It reports the next class: that class's logit raised to the maximum.
    let wrong = (class(&truth) + 1) % 10;
    let lie = altered_work(&truth, &ReferenceBackend, last, |out| {
        out[wrong] = i8::MAX as u8
    });
    let claim = submit(
        &mut chain,
        DISHONEST,
        model_id,
        0,
        &lie,
        settings.claim_bond,
    )?;
    tl.event(
        chain.evm.timestamp(),
        "liar",
        &format!(
            "claimed {what} is class {} (it is class {})",
            class(&lie),
            class(&truth)
        ),
        chain.gas_log.last().map(|g| g.1),
    );
    tl.event(
        chain.evm.timestamp(),
        "watchtower",
        &format!("recomputed claim {claim}: final graph state differs, challenging"),
        None,
    );
    let game = chain
        .challenge(WATCHTOWER, claim, settings.challenge_bond)
        .map_err(|e| eyre!("{e}"))?;
    tl.event(
        chain.evm.timestamp(),
        "watchtower",
        &format!("opened game {game}"),
        chain.gas_log.last().map(|g| g.1),
    );
    let mut liar = Claimant::new(settings.params, &lie, &program, Lie::None, 1);
    let mut tower = Challenger::new(settings.params, &truth, &program, Choice::Honest, 2);
    let claimant_won = play(&mut chain, game, &mut liar, &mut tower, settings.clock, &tl)?;
    tl.event(
        chain.evm.timestamp(),
        if claimant_won { "liar" } else { "watchtower" },
        &format!("won game {game}"),
        None,
    );
    for who in [HONEST, WATCHTOWER] {
        let credit = chain.oracle_balance(who).map_err(|e| eyre!("{e}"))?;
        chain.withdraw(who).map_err(|e| eyre!("{e}"))?;
        tl.event(
            chain.evm.timestamp(),
            name(who),
            &format!("withdrew {}", ether(credit)),
            chain.gas_log.last().map(|g| g.1),
        );
    }
    if claimant_won {
        bail!("the liar won: this is a bug");
    }
    let dispute_gas: u64 = chain
        .gas_log
        .iter()
        .skip_while(|(l, _)| l != "challenge")
        .map(|(_, g)| g)
        .sum();
    println!("\nthe wrong claim was defeated; the dispute (challenge to resolution) cost {dispute_gas} gas in total");
    Ok(())
}

/// Converts the embedded digits CNN (with its calibration images).
fn convert_digits() -> eyre::Result<opml_converter::classifier::Converted> {
    use opml_converter::classifier::{convert, NoProgress};
    let arch = opml_converter::arch::Arch::parse(DIGITS_ARCH).map_err(|e| eyre!("{e}"))?;
    let weights = opml_converter::read_bytes(DIGITS_WEIGHTS)?;
    let calibration = opml_converter::samples::parse_npy(DIGITS_CALIBRATION, "calibration")
        .map_err(|e| eyre!("{e}"))?;
    convert(&arch, &weights, Some(&calibration), None, &mut NoProgress)
        .map_err(|e| eyre!("converting the digits CNN: {e}"))
}

/// An image quantized with the model's input scale and zero point.
fn quantize(model: &Model, values: &[f32]) -> Vec<u8> {
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

/// The arg-max class of the output.
fn class(work: &ClaimWork<'_>) -> usize {
    let l = logits(work);
    (0..l.len())
        .max_by_key(|&i| (l[i], std::cmp::Reverse(i)))
        .unwrap_or(0)
}

fn logits(work: &ClaimWork<'_>) -> Vec<i32> {
    let info = work.model.output_info();
    (0..info.len())
        .map(|i| read_elem(info.dtype, work.inference.output(), i))
        .collect()
}

fn submit(
    chain: &mut Deployment,
    who: Address,
    model: u64,
    request: u64,
    work: &ClaimWork<'_>,
    bond: U256,
) -> eyre::Result<u64> {
    let n = work.node_count();
    chain
        .submit_claim(
            who,
            model,
            request,
            &work.input,
            work.inference.output(),
            work.inference.final_state_root(),
            &work.state_proof(n - 1, 0),
            &work.state_proof(n - 1, n - 1),
            bond,
        )
        .map_err(|e| eyre!("submitting a claim: {e}"))
}

/// Plays game `game` on the chain: each side moves when it is its turn; a side without a move
/// loses on time.
fn play(
    chain: &mut Deployment,
    game: u64,
    claimant: &mut dyn Player,
    challenger: &mut dyn Player,
    clock: u64,
    tl: &Timeline,
) -> eyre::Result<bool> {
    let mut revealed = None;
    for _ in 0..1000 {
        let (view, g) = chain
            .game_view(game, revealed.clone())
            .map_err(|e| eyre!("{e}"))?;
        if view.phase == Phase::Resolved {
            return Ok(g.claimantWon);
        }
        let t = chain.evm.timestamp() + 12;
        chain.evm.set_timestamp(t);
        let (mover, who): (&mut dyn Player, Address) = if view.claimant_to_move {
            (&mut *claimant, DISHONEST)
        } else {
            (&mut *challenger, WATCHTOWER)
        };
        let mut proposal = mover.next_move(&view)?.map(|m| (m, who));
        if proposal.is_none() && view.phase == Phase::Steps && view.hi - view.lo == 1 {
            proposal = challenger.next_move(&view)?.map(|m| (m, WATCHTOWER));
        }
        match proposal {
            Some((mv, who)) => {
                let label = describe(&mv, &view);
                match chain.play(game, who, &mv) {
                    Ok(receipt) => {
                        tl.event(t, name(who), &label, Some(receipt.gas_used));
                        use opml_challenger::game::engine::Move;
                        if let Move::RevealNodes(v)
                        | Move::RevealSteps(v)
                        | Move::RevealChildren(v) = &mv
                        {
                            revealed = Some(v.clone());
                        }
                    }
                    Err(e) => {
                        tl.event(t, name(who), &format!("{label}: rejected ({e})"), None);
                        timeout(chain, game, clock, tl)?;
                    }
                }
            }
            None => timeout(chain, game, clock, tl)?,
        }
    }
    bail!("game {game} did not end")
}

fn timeout(chain: &mut Deployment, game: u64, clock: u64, tl: &Timeline) -> eyre::Result<()> {
    let t = chain.evm.timestamp() + clock + 1;
    chain.evm.set_timestamp(t);
    let r = chain.timeout(game, WATCHTOWER).map_err(|e| eyre!("{e}"))?;
    tl.event(
        t,
        "watchtower",
        "the other side's clock ran out: timeout",
        Some(r.gas_used),
    );
    Ok(())
}

fn describe(
    mv: &opml_challenger::game::engine::Move,
    view: &opml_challenger::game::engine::GameView,
) -> String {
    use opml_challenger::game::engine::Move;
    match mv {
        Move::RevealNodes(v) => format!(
            "revealed {} graph states in nodes {}..{}",
            v.len(),
            view.lo,
            view.hi
        ),
        Move::ChooseNode(_, s) => format!("disputes segment {s} of nodes {}..{}", view.lo, view.hi),
        Move::ProveNode { .. } => format!("proved node {} is the only change", view.hi),
        Move::RevealChildren(v) => format!("revealed {} subtrees of the output", v.len()),
        Move::ChooseChild(_, c) => format!("disputes subtree {c}"),
        Move::OpenExecution { steps, .. } => format!("opened the tile's VM run: {steps} steps"),
        Move::RevealSteps(v) => format!(
            "revealed {} VM states in steps {}..{}",
            v.len(),
            view.lo,
            view.hi
        ),
        Move::ChooseStep(_, s) => format!("disputes segment {s} of steps {}..{}", view.lo, view.hi),
        Move::ResolveStep { .. } => format!("ran step {} on chain (Step.sol)", view.lo),
    }
}
