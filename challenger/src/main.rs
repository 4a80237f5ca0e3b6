//! `opml`: one binary, one subcommand per role.

mod convert_cmd;
mod demo;
mod infer_cmd;
mod model_cmd;
mod vm_cmd;

use clap::{Parser, Subcommand};

/// Optimistic machine learning on Ethereum.
#[derive(Parser)]
#[command(name = "opml", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert an MLP or CNN classifier (PyTorch, safetensors or GGUF weights and a TOML
    /// architecture) into an opml model, with an accuracy report against the float model.
    Convert(convert_cmd::ConvertArgs),
    /// A full claim → challenge → resolve on the embedded chain, as a timeline.
    Demo(demo::DemoArgs),
    /// Run a model natively; print its output, output root and final graph-state root.
    Infer(infer_cmd::InferArgs),
    /// Inspect model files; write example models.
    #[command(subcommand)]
    Model(model_cmd::ModelCommand),
    /// Run and prove programs on the RV32IM fault-proof VM.
    #[command(subcommand)]
    Vm(vm_cmd::VmCommand),
}

fn main() -> eyre::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Convert(args) => convert_cmd::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Infer(args) => infer_cmd::run_infer(args),
        Command::Model(cmd) => model_cmd::run(cmd),
        Command::Vm(cmd) => vm_cmd::run(cmd),
    }
}
