//! `opml`: one binary, one subcommand per role.

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
        Command::Vm(cmd) => vm_cmd::run(cmd),
    }
}
