//! `opml demo`: a full claim → challenge → resolve, on the embedded chain (the contracts in an
//! in-process EVM) or on a development node (`--rpc-url`), as a readable timeline. The parties
//! are the real service agents: an honest submitter, a dishonest one, and a watchtower.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use alloy_primitives::{Address, U256};
use alloy_signer_local::PrivateKeySigner;
use clap::Args;
use eyre::{bail, eyre, WrapErr};
use indicatif::{ProgressBar, ProgressStyle};
use opml_challenger::chain::{Chain, EmbeddedChain, Opml, RpcChain, RpcOptions};
use opml_challenger::demo_model::quantize;
use opml_challenger::game::engine::Params;
use opml_challenger::game::onchain::Settings;
use opml_challenger::guest::job_program;
use opml_challenger::service::agent::Action;
use opml_challenger::service::{Agent, AgentConfig, Behavior, Metrics, Roles, Store};
use opml_dnn::exec::Backend;
use opml_dnn::fast::FastCpuBackend;
use opml_dnn::model::Model;
use opml_dnn::tensor::read_elem;

/// The first five accounts of the development mnemonic that anvil and hardhat fund.
const DEV_KEYS: [&str; 5] = [
    "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
];

#[derive(Args)]
pub(crate) struct DemoArgs {
    /// Play on this development node (anvil, hardhat: its first five dev accounts must be
    /// funded, and it must accept evm_increaseTime) instead of the embedded chain.
    #[arg(long)]
    rpc_url: Option<String>,
    /// Seconds of chess clock per side.
    #[arg(long, default_value_t = 3600)]
    clock: u64,
    /// Challenge window of a claim, in seconds.
    #[arg(long, default_value_t = 3600)]
    window: u64,
}

/// The five parties.
#[derive(Clone, Copy)]
struct Cast {
    author: Address,
    consumer: Address,
    submitter: Address,
    liar: Address,
    watchtower: Address,
}

pub(crate) fn run(args: DemoArgs) -> eyre::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match &args.rpc_url {
        None => {
            let chain = Arc::new(EmbeddedChain::new());
            let cast = Cast {
                author: Address::new([0xa0; 20]),
                consumer: Address::new([0xc0; 20]),
                submitter: Address::new([0x11; 20]),
                liar: Address::new([0xbb; 20]),
                watchtower: Address::new([0x77; 20]),
            };
            for a in [
                cast.author,
                cast.consumer,
                cast.submitter,
                cast.liar,
                cast.watchtower,
            ] {
                chain.fund(a, U256::from(10u128.pow(20)));
            }
            rt.block_on(play(chain, cast, &args))
        }
        Some(url) => {
            let keys: Vec<PrivateKeySigner> = DEV_KEYS
                .iter()
                .map(|k| k.parse().expect("valid dev key"))
                .collect();
            let a: Vec<Address> = keys.iter().map(|k| k.address()).collect();
            let cast = Cast {
                author: a[0],
                consumer: a[1],
                submitter: a[2],
                liar: a[3],
                watchtower: a[4],
            };
            let chain = Arc::new(RpcChain::new(url, keys, RpcOptions::default())?);
            rt.block_on(play(chain, cast, &args))
        }
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
    bar: ProgressBar,
}

impl Timeline {
    fn event(&self, chain_time: u64, who: &str, what: &str, gas: Option<u64>) {
        let gas = gas.map(|g| format!("{g:>9} gas")).unwrap_or_default();
        let line = format!(
            "{:>7.2}s  t={chain_time:<10} {who:<11} {what:<62} {gas}",
            self.start.elapsed().as_secs_f64()
        );
        if self.bar.is_hidden() {
            println!("{line}");
        } else {
            self.bar.println(line);
        }
    }

    fn action(&self, chain_time: u64, who: &str, a: &Action) {
        let (what, gas) = match a {
            Action::Claimed {
                claim,
                request,
                gas,
            } => (
                if *request == 0 {
                    format!("claimed claim {claim}")
                } else {
                    format!("claimed request {request}: claim {claim}")
                },
                Some(*gas),
            ),
            Action::Verified {
                claim,
                agrees,
                seconds,
            } => (
                format!(
                    "recomputed claim {claim} in {:.0} ms: {}",
                    seconds * 1000.0,
                    if *agrees {
                        "agrees, no challenge"
                    } else {
                        "final graph state DIFFERS"
                    }
                ),
                None,
            ),
            Action::Challenged { claim, game, gas } => {
                (format!("challenged claim {claim}: game {game}"), Some(*gas))
            }
            Action::Moved { what, gas, .. } => {
                self.bar.inc(1);
                self.bar.set_message(what.clone());
                (what.clone(), Some(*gas))
            }
            Action::TimedOut { game, gas } => (
                format!("game {game}: the other side's clock ran out"),
                Some(*gas),
            ),
            Action::GameEnded { game, won } => (
                format!("game {game} ended: {}", if *won { "WON" } else { "lost" }),
                None,
            ),
            Action::Finalized { claim, gas } => (
                format!("finalized claim {claim} after the window: bond + fee back"),
                Some(*gas),
            ),
            Action::Withdrew { wei, gas } => (format!("withdrew {}", ether(*wei)), Some(*gas)),
        };
        self.event(chain_time, who, &what, gas);
    }
}

/// A scratch folder for the agents' databases, removed on drop.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn play<C: Chain + 'static>(chain: Arc<C>, cast: Cast, args: &DemoArgs) -> eyre::Result<()> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("           dispute {bar:30} {pos} moves  {msg}")
            .expect("valid template"),
    );
    let tl = Timeline {
        start: Instant::now(),
        bar,
    };
    println!(
        "opml demo: a claim that finalizes and a wrong claim that a watchtower defeats, on {}\n",
        if chain.describe() == "embedded" {
            "the embedded chain".to_string()
        } else {
            chain.describe()
        }
    );
    let program = Arc::new(job_program().wrap_err("the embedded job guest")?);
    let settings = Settings {
        params: Params::default(),
        clock: args.clock,
        claim_bond: U256::from(10u64.pow(17)),
        challenge_bond: U256::from(10u64.pow(17)),
        window: args.window,
    };
    let now = |c: &Arc<C>| {
        let c = c.clone();
        async move { c.timestamp().await.unwrap_or_default() }
    };
    let opml = Opml::deploy(
        chain.clone(),
        cast.author,
        &settings,
        program.program_root()?,
        program.entry,
    )
    .await
    .wrap_err("deploying the contracts")?;
    tl.event(
        now(&chain).await,
        "deployer",
        &format!("deployed the contracts: oracle {}", opml.addresses.oracle),
        None,
    );

    let converted = opml_challenger::demo_model::digits_cnn()?;
    let model = Arc::new(converted.model);
    tl.event(
        now(&chain).await,
        "author",
        &format!(
            "converted the digits CNN (PyTorch): {} nodes, {} bytes",
            model.nodes().len(),
            converted.bytes.len()
        ),
        None,
    );
    let (model_id, tx) = opml
        .register_model(cast.author, &model, "opml://examples/digits-cnn")
        .await
        .wrap_err("registering the model")?;
    tl.event(
        now(&chain).await,
        "author",
        &format!(
            "registered model {model_id}, root 0x{}…",
            &hex::encode(model.roots().model)[..12]
        ),
        Some(tx.gas_used),
    );

    let scratch = Scratch(std::env::temp_dir().join(format!("opml-demo-{}", std::process::id())));
    std::fs::create_dir_all(&scratch.0)?;
    let backend: Arc<dyn Backend + Send> = Arc::new(FastCpuBackend::new());
    let agent = |who: Address, name: &str, roles: Roles, behavior: Behavior, from_block: u64| {
        let (opml, program, model, backend) = (
            opml.clone(),
            program.clone(),
            model.clone(),
            backend.clone(),
        );
        let db = scratch.0.join(format!("{name}.db"));
        async move {
            let mut config = AgentConfig::new(who, roles);
            config.behavior = behavior;
            config.from_block = from_block;
            let store = Store::open(&db)?;
            Agent::new(
                opml,
                config,
                program,
                vec![model],
                backend,
                store,
                Arc::new(Metrics::new()),
            )
            .await
            .map_err(|e| eyre!("starting the {} agent: {e}", db.display()))
        }
    };
    let serve = Roles {
        serve: true,
        watch: false,
    };
    let watch = Roles {
        serve: false,
        watch: true,
    };
    let mut submitter = agent(cast.submitter, "submitter", serve, Behavior::honest(), 0).await?;
    let mut tower = agent(cast.watchtower, "watchtower", watch, Behavior::honest(), 0).await?;

    let (images, labels) = opml_challenger::demo_model::digits_holdout()?;
    let image = |i: usize| -> (Vec<u8>, String) {
        let label = labels
            .get(i)
            .map(|l| format!("a handwritten {l}"))
            .unwrap_or_else(|| "an image".into());
        (quantize(&model, &images[i]), label)
    };

    // 1. A consumer's request; the honest submitter's claim finalizes after the window.
    let (input, what) = image(0);
    let fee = U256::from(10u64.pow(16));
    let (request, tx) = opml
        .request_inference(cast.consumer, model_id, &input, fee)
        .await?;
    tl.event(
        now(&chain).await,
        "consumer",
        &format!(
            "requested inference {request} on {what}, fee {}",
            ether(fee)
        ),
        Some(tx.gas_used),
    );
    tick(&mut submitter, "submitter", &tl).await?;
    tick(&mut tower, "watchtower", &tl).await?;
    chain.advance_time(settings.window + 1).await?;
    tl.event(
        now(&chain).await,
        "",
        &format!("… {} s later, the window has passed", settings.window + 1),
        None,
    );
    tick(&mut submitter, "submitter", &tl).await?;
    let answer = opml
        .view(
            opml.addresses.oracle,
            opml_challenger::game::onchain::oracle_abi::InferenceOracle::resultsCall {
                requestId: U256::from(request),
            },
        )
        .await?;
    tl.event(
        now(&chain).await,
        "consumer",
        &format!(
            "reads request {request}'s result: class {}",
            class(&model, &answer)
        ),
        None,
    );

    // 2. A dishonest submitter claims the next class; the watchtower challenges and wins.
    let head = chain.block_number().await?;
    let liar_behavior = Behavior {
        wrong_outputs: true,
        ..Behavior::honest()
    };
    let mut liar = agent(cast.liar, "liar", serve, liar_behavior, head + 1).await?;
    let (input, what) = image(1);
    let truth = opml_dnn::exec::run(&model, &input, &*backend)?;
    let claim = liar.submit(model_id, 0, input).await?;
    liar.take_actions();
    liar.tick().await.map_err(|e| eyre!("liar: {e}"))?;
    liar.take_actions();
    let claimed = liar
        .store()
        .claim(claim)?
        .map(|c| class(&model, &c.output))
        .unwrap_or(usize::MAX);
    tl.event(
        now(&chain).await,
        "liar",
        &format!(
            "claims {what} is class {claimed} (it is class {}): claim {claim}",
            class(&model, truth.output())
        ),
        None,
    );
    tick(&mut tower, "watchtower", &tl).await?;
    let mut ended = false;
    for _ in 0..500 {
        let moved_liar = tick(&mut liar, "liar", &tl).await?;
        let moved_tower = tick(&mut tower, "watchtower", &tl).await?;
        if moved_tower
            .iter()
            .any(|a| matches!(a, Action::GameEnded { .. }))
            || moved_liar
                .iter()
                .any(|a| matches!(a, Action::GameEnded { .. }))
        {
            ended = true;
            tick(&mut tower, "watchtower", &tl).await?;
            tick(&mut liar, "liar", &tl).await?;
            break;
        }
        // Nobody moved: let the silent side's clock run out.
        let step = if moved_liar.is_empty() && moved_tower.is_empty() {
            settings.clock + 1
        } else {
            12
        };
        chain.advance_time(step).await?;
    }
    tl.bar.finish_and_clear();
    if !ended {
        bail!("the game did not end");
    }
    let won = tower
        .store()
        .games()?
        .iter()
        .all(|(_, g)| g.ended == Some(false));
    if !won {
        bail!("the liar won: this is a bug");
    }
    println!(
        "\nthe wrong claim was defeated; the watchtower won the liar's bond ({})",
        ether(settings.claim_bond)
    );
    Ok(())
}

/// One tick of `agent`, its actions printed; returns them.
async fn tick<C: Chain + 'static>(
    agent: &mut Agent<C>,
    who: &str,
    tl: &Timeline,
) -> eyre::Result<Vec<Action>> {
    agent.tick().await.map_err(|e| eyre!("{who}: {e}"))?;
    let t = agent.opml().chain.timestamp().await?;
    let actions = agent.take_actions();
    for a in &actions {
        tl.action(t, who, a);
    }
    Ok(actions)
}

/// The arg-max class of an output.
fn class(model: &Model, output: &[u8]) -> usize {
    let info = model.output_info();
    if output.len() != info.byte_len() {
        return usize::MAX;
    }
    let l: Vec<i32> = (0..info.len())
        .map(|i| read_elem(info.dtype, output, i))
        .collect();
    (0..l.len())
        .max_by_key(|&i| (l[i], std::cmp::Reverse(i)))
        .unwrap_or(0)
}
