//! `opml deploy`, `opml model register`, `opml submit`, `opml serve` and `opml watch`: the
//! commands that talk to a JSON-RPC node. Settings come from a TOML file (`--config`) with
//! flags overriding it; the signing key from `OPML_PRIVATE_KEY` or a keystore file (its
//! password in `OPML_KEYSTORE_PASSWORD`), and is never printed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use alloy_primitives::{Address, U256};
use alloy_signer_local::PrivateKeySigner;
use clap::{Args, ValueEnum};
use eyre::{bail, eyre, WrapErr};
use opml_challenger::chain::{Chain, Opml, RpcChain, RpcOptions};
use opml_challenger::game::engine::Params;
use opml_challenger::game::onchain::Settings;
use opml_challenger::game::work::ClaimWork;
use opml_challenger::guest::job_program;
use opml_challenger::service::{Agent, AgentConfig, Metrics, Roles, Store};
use opml_dnn::exec::{Backend, ReferenceBackend};
use opml_dnn::fast::FastCpuBackend;
use opml_dnn::model::Model;
use serde::Deserialize;

/// Where the chain is and who signs.
#[derive(Args, Clone, Default)]
pub(crate) struct ChainArgs {
    /// Configuration file (TOML: rpc_url, oracle, keystore, database, models, confirmations,
    /// poll_ms, from_block, metrics, backend); flags override it.
    #[arg(long, env = "OPML_CONFIG")]
    config: Option<PathBuf>,
    /// JSON-RPC node (http or https).
    #[arg(long)]
    rpc_url: Option<String>,
    /// Address of the InferenceOracle (the registry, game and step are read from it).
    #[arg(long)]
    oracle: Option<Address>,
    /// Encrypted keystore file of the signing key (password in OPML_KEYSTORE_PASSWORD); without
    /// it the key is read from OPML_PRIVATE_KEY.
    #[arg(long)]
    keystore: Option<PathBuf>,
}

/// The configuration file.
#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    rpc_url: Option<String>,
    oracle: Option<Address>,
    keystore: Option<PathBuf>,
    database: Option<PathBuf>,
    #[serde(default)]
    models: Vec<PathBuf>,
    confirmations: Option<u64>,
    poll_ms: Option<u64>,
    from_block: Option<u64>,
    metrics: Option<SocketAddr>,
    backend: Option<BackendKind>,
}

#[derive(Clone, Copy, Debug, Deserialize, ValueEnum, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum BackendKind {
    /// SIMD int8 kernels on the CPU.
    Cpu,
    /// The reference kernels (slow; the definition).
    Reference,
}

/// The chain settings after merging the file and the flags.
struct Resolved {
    file: FileConfig,
    rpc_url: String,
    oracle: Option<Address>,
    keystore: Option<PathBuf>,
}

fn resolve(args: &ChainArgs) -> eyre::Result<Resolved> {
    let file = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .wrap_err_with(|| format!("cannot read config {}", path.display()))?;
            // The error names the problem and its line, without echoing the line (it may hold
            // a secret someone put in the wrong key).
            let mut file: FileConfig = toml::from_str(&text).map_err(|e| {
                let line = e
                    .span()
                    .map(|r| text[..r.start.min(text.len())].lines().count().max(1));
                eyre!(
                    "invalid config {}{}: {}",
                    path.display(),
                    line.map(|l| format!(", line {l}")).unwrap_or_default(),
                    e.message()
                )
            })?;
            // Relative paths in the file are relative to the file.
            let base = path.parent().unwrap_or(Path::new("."));
            let rel = |p: PathBuf| if p.is_relative() { base.join(p) } else { p };
            file.models = file.models.into_iter().map(rel).collect();
            file.database = file.database.map(rel);
            file.keystore = file.keystore.map(rel);
            file
        }
        None => FileConfig::default(),
    };
    let rpc_url = args.rpc_url.clone().or(file.rpc_url.clone()).ok_or_else(|| {
        eyre!("no JSON-RPC node: pass --rpc-url URL or set rpc_url in the config file (the embedded chain lives inside one process: `opml demo` uses it)")
    })?;
    Ok(Resolved {
        oracle: args.oracle.or(file.oracle),
        keystore: args.keystore.clone().or(file.keystore.clone()),
        rpc_url,
        file,
    })
}

/// The signing key: a keystore file, or OPML_PRIVATE_KEY.
fn signer(keystore: Option<&Path>) -> eyre::Result<PrivateKeySigner> {
    if let Some(path) = keystore {
        let password = std::env::var("OPML_KEYSTORE_PASSWORD")
            .map_err(|_| eyre!("--keystore needs its password in OPML_KEYSTORE_PASSWORD"))?;
        return PrivateKeySigner::decrypt_keystore(path, password)
            .map_err(|e| eyre!("cannot decrypt keystore {}: {e}", path.display()));
    }
    let key = std::env::var("OPML_PRIVATE_KEY").map_err(|_| {
        eyre!("no signing key: set OPML_PRIVATE_KEY or pass --keystore FILE (password in OPML_KEYSTORE_PASSWORD)")
    })?;
    // The error must not echo the key.
    key.trim()
        .parse::<PrivateKeySigner>()
        .map_err(|_| eyre!("OPML_PRIVATE_KEY is not a 32-byte hex private key"))
}

fn connect(r: &Resolved) -> eyre::Result<(Arc<RpcChain>, Address)> {
    let key = signer(r.keystore.as_deref())?;
    let me = key.address();
    let chain = RpcChain::new(&r.rpc_url, vec![key], RpcOptions::default())?;
    Ok((Arc::new(chain), me))
}

async fn attach(r: &Resolved, chain: Arc<RpcChain>) -> eyre::Result<Opml<RpcChain>> {
    let oracle = r.oracle.ok_or_else(|| {
        eyre!("no oracle address: pass --oracle ADDRESS or set oracle in the config file (`opml deploy` prints one)")
    })?;
    Opml::attach(chain.clone(), oracle)
        .await
        .wrap_err_with(|| format!("no opml deployment at {oracle} on {}", chain.describe()))
}

fn runtime() -> eyre::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .wrap_err("cannot start the async runtime")
}

fn load_model(path: &Path) -> eyre::Result<Model> {
    Model::open(path).wrap_err_with(|| format!("cannot load model {}", path.display()))
}

/// `opml deploy`.
#[derive(Args)]
pub(crate) struct DeployArgs {
    #[command(flatten)]
    chain: ChainArgs,
    /// Chess-clock seconds per side (docs/spec.md §9.1).
    #[arg(long, default_value_t = 43_200)]
    clock: u64,
    /// Challenge window of a claim, in seconds.
    #[arg(long, default_value_t = 86_400)]
    window: u64,
    /// Bond of a claim, in wei.
    #[arg(long, default_value_t = U256::from(10u64.pow(17)))]
    claim_bond: U256,
    /// Bond of a challenge, in wei.
    #[arg(long, default_value_t = U256::from(10u64.pow(17)))]
    challenge_bond: U256,
    /// Dissection width k.
    #[arg(long, default_value_t = 8)]
    dissection_width: u64,
    /// log2 of the subtrees revealed per output-descent move.
    #[arg(long, default_value_t = 3)]
    descent_width_log2: u32,
    /// Height of a tile in the output tree (a tile is 32·2^h bytes).
    #[arg(long, default_value_t = 0)]
    tile_height: u32,
}

pub(crate) fn deploy(args: DeployArgs) -> eyre::Result<()> {
    let r = resolve(&args.chain)?;
    let (chain, me) = connect(&r)?;
    let program = job_program().wrap_err("the embedded job guest")?;
    let settings = Settings {
        params: Params {
            dissection_width: args.dissection_width,
            descent_width_log2: args.descent_width_log2,
            tile_height: args.tile_height,
        },
        clock: args.clock,
        claim_bond: args.claim_bond,
        challenge_bond: args.challenge_bond,
        window: args.window,
    };
    let root = program.program_root()?;
    let opml = runtime()?
        .block_on(Opml::deploy(chain, me, &settings, root, program.entry))
        .wrap_err("deploying the contracts")?;
    let a = opml.addresses;
    println!("oracle = \"{}\"", a.oracle);
    println!(
        "# registry {}  game {}  step {}",
        a.registry, a.game, a.step
    );
    Ok(())
}

/// `opml model register`.
#[derive(Args)]
pub(crate) struct RegisterArgs {
    /// opml model file.
    model: PathBuf,
    /// Where users can fetch the model file.
    #[arg(long, default_value = "")]
    uri: String,
    #[command(flatten)]
    chain: ChainArgs,
}

pub(crate) fn register(args: RegisterArgs) -> eyre::Result<()> {
    let model = load_model(&args.model)?;
    let r = resolve(&args.chain)?;
    let (chain, me) = connect(&r)?;
    runtime()?.block_on(async {
        let opml = attach(&r, chain).await?;
        let (id, tx) = opml
            .register_model(me, &model, &args.uri)
            .await
            .wrap_err("registerModel")?;
        println!(
            "model {id} registered (root 0x{}, {} gas)",
            hex::encode(model.roots().model),
            tx.gas_used
        );
        Ok(())
    })
}

/// `opml submit`.
#[derive(Args)]
pub(crate) struct SubmitArgs {
    /// opml model file (registered).
    model: PathBuf,
    /// Input tensor (a .json array of integers, or raw little-endian bytes).
    input: PathBuf,
    /// The request this claim answers (0: none).
    #[arg(long, default_value_t = 0)]
    request: u64,
    #[command(flatten)]
    chain: ChainArgs,
}

pub(crate) fn submit(args: SubmitArgs) -> eyre::Result<()> {
    let model = load_model(&args.model)?;
    let input = crate::infer_cmd::read_input(&args.input, model.input_info())?;
    let r = resolve(&args.chain)?;
    let (chain, me) = connect(&r)?;
    let work = ClaimWork::compute(&model, input, &FastCpuBackend::new())?;
    runtime()?.block_on(async {
        let opml = attach(&r, chain).await?;
        let id = registered_id(&opml, &model).await?;
        let bond = opml.settings().await?.claim_bond;
        let (claim, tx) = opml
            .submit_claim(me, id, args.request, &work, bond)
            .await
            .wrap_err("submitClaim")?;
        println!(
            "claim {claim}: model {id}, final state root 0x{} ({} gas); run `opml serve` to defend and finalize it",
            hex::encode(work.inference.final_state_root()),
            tx.gas_used
        );
        Ok(())
    })
}

async fn registered_id<C: Chain>(opml: &Opml<C>, model: &Model) -> eyre::Result<u64> {
    use opml_challenger::game::onchain::registry_abi::ModelRegistry;
    let registry = opml.addresses.registry;
    let count: U256 = opml
        .view(registry, ModelRegistry::modelCountCall {})
        .await?;
    for id in 0..count.to::<u64>() {
        let m = opml
            .view(
                registry,
                ModelRegistry::getModelCall {
                    modelId: U256::from(id),
                },
            )
            .await?;
        if m.modelRoot.0 == model.roots().model {
            return Ok(id);
        }
    }
    bail!(
        "model root 0x{} is not registered: run `opml model register` first",
        hex::encode(model.roots().model)
    )
}

/// `opml serve` and `opml watch`.
#[derive(Args)]
pub(crate) struct ServiceArgs {
    #[command(flatten)]
    chain: ChainArgs,
    /// A model this service holds (repeatable; added to the config file's).
    #[arg(long = "model")]
    models: Vec<PathBuf>,
    /// Database file (games, claims, progress).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Blocks a log must be buried under before it is acted on.
    #[arg(long)]
    confirmations: Option<u64>,
    /// Milliseconds between polls of the node.
    #[arg(long)]
    poll_ms: Option<u64>,
    /// First block to process on a new database.
    #[arg(long)]
    from_block: Option<u64>,
    /// Serve Prometheus metrics on this address (GET /metrics).
    #[arg(long)]
    metrics: Option<SocketAddr>,
    /// Compute backend.
    #[arg(long, value_enum)]
    backend: Option<BackendKind>,
    /// Exit after this many ticks (default: run until SIGINT or SIGTERM).
    #[arg(long)]
    ticks: Option<u64>,
}

pub(crate) fn service(args: ServiceArgs, roles: Roles) -> eyre::Result<()> {
    let r = resolve(&args.chain)?;
    let f = &r.file;
    let mut paths = f.models.clone();
    paths.extend(args.models.iter().cloned());
    if paths.is_empty() {
        bail!("no models: pass --model FILE (or list models in the config file)");
    }
    let models = paths
        .iter()
        .map(|p| load_model(p).map(Arc::new))
        .collect::<eyre::Result<Vec<_>>>()?;
    let db = args.db.clone().or(f.database.clone()).unwrap_or_else(|| {
        PathBuf::from(if roles.watch {
            "opml-watch.db"
        } else {
            "opml-serve.db"
        })
    });
    let store =
        Store::open(&db).wrap_err_with(|| format!("cannot open database {}", db.display()))?;
    let backend: Arc<dyn Backend + Send> =
        match args.backend.or(f.backend).unwrap_or(BackendKind::Cpu) {
            BackendKind::Cpu => Arc::new(FastCpuBackend::new()),
            BackendKind::Reference => Arc::new(ReferenceBackend),
        };
    let (chain, me) = connect(&r)?;
    let program = Arc::new(job_program().wrap_err("the embedded job guest")?);
    let mut config = AgentConfig::new(me, roles);
    config.confirmations = args.confirmations.or(f.confirmations).unwrap_or(1);
    config.from_block = args.from_block.or(f.from_block).unwrap_or(0);
    let poll = Duration::from_millis(args.poll_ms.or(f.poll_ms).unwrap_or(1000));
    let metrics_addr = args.metrics.or(f.metrics);
    runtime()?.block_on(async move {
        let opml = attach(&r, chain.clone()).await?;
        let metrics = Arc::new(Metrics::new());
        if let Some(addr) = metrics_addr {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .wrap_err_with(|| format!("cannot serve metrics on {addr}"))?;
            tracing::info!(%addr, "serving metrics at /metrics");
            tokio::spawn(opml_challenger::service::metrics::serve(listener, metrics.clone()));
        }
        let mut agent = Agent::new(opml, config, program, models, backend, store, metrics)
            .await
            .wrap_err("starting the service")?;
        tracing::info!(account = %me, node = %chain.describe(), db = %db.display(), ?roles, "service started");
        match args.ticks {
            Some(n) => {
                for _ in 0..n {
                    agent.tick().await?;
                    for a in agent.take_actions() {
                        tracing::info!(action = ?a, "done");
                    }
                    tokio::time::sleep(poll).await;
                }
            }
            None => agent.run(poll, shutdown_signal()).await?,
        }
        tracing::info!("service stopped");
        Ok(())
    })
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return ctrl_c.await.unwrap_or(()),
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await.unwrap_or(());
}
