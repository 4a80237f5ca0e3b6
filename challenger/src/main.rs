//! `opml`: one binary, one subcommand per role.

mod convert_cmd;
mod demo;
mod infer_cmd;
mod model_cmd;
mod service_cmd;
mod vm_cmd;

use clap::{Parser, Subcommand};

/// Optimistic machine learning on Ethereum.
#[derive(Parser)]
#[command(name = "opml", version, about)]
struct Cli {
    /// Log format on stderr (level from RUST_LOG, default info).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Convert an MLP or CNN classifier (PyTorch, safetensors or GGUF weights and a TOML
    /// architecture) or a BERT encoder (`--bert`: Hugging Face weights and config.json) into an
    /// opml model, with an accuracy report against the float model.
    Convert(convert_cmd::ConvertArgs),
    /// A full claim → challenge → resolve on the embedded chain (or a node), as a timeline.
    Demo(demo::DemoArgs),
    /// Deploy the opml contracts (Step, ModelRegistry, InferenceOracle, DisputeGame) to a node.
    Deploy(service_cmd::DeployArgs),
    /// Run a model natively; print its output, output root and final graph-state root.
    Infer(infer_cmd::InferArgs),
    /// Inspect model files; write example models.
    #[command(subcommand)]
    Model(model_cmd::ModelCommand),
    /// Submitter: answer inference requests with claims, defend them, finalize them.
    Serve(service_cmd::ServiceArgs),
    /// Claim one inference (without a request); `opml serve` defends and finalizes it.
    Submit(service_cmd::SubmitArgs),
    /// Watchtower: recompute every claim, challenge the wrong ones, win the games.
    Watch(service_cmd::ServiceArgs),
    /// Run and prove programs on the RV32IM fault-proof VM.
    #[command(subcommand)]
    Vm(vm_cmd::VmCommand),
}

fn main() -> eyre::Result<()> {
    let cli = Cli::parse();
    // The demo prints its own timeline: only warnings from the agents by default.
    let default = if matches!(cli.command, Command::Demo(_)) {
        "warn"
    } else {
        "info"
    };
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default.into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    use opml_challenger::service::Roles;
    match cli.command {
        Command::Deploy(args) => service_cmd::deploy(args),
        Command::Serve(args) => service_cmd::service(
            args,
            Roles {
                serve: true,
                watch: false,
            },
        ),
        Command::Submit(args) => service_cmd::submit(args),
        Command::Watch(args) => service_cmd::service(
            args,
            Roles {
                serve: false,
                watch: true,
            },
        ),
        Command::Convert(args) => convert_cmd::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Infer(args) => infer_cmd::run_infer(args),
        Command::Model(cmd) => model_cmd::run(cmd),
        Command::Vm(cmd) => vm_cmd::run(cmd),
    }
}
