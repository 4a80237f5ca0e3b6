//! `opml vm run|prove`.

use clap::{Args, Subcommand};
use eyre::WrapErr;
use opml_vm::{trace::DEFAULT_SNAPSHOT_INTERVAL, Program, Status, Trace};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum VmCommand {
    /// Run an RV32IM ELF until it halts and print how it ended.
    Run(RunArgs),
    /// Print the step proof of one instruction of a run, as JSON.
    Prove(ProveArgs),
}

#[derive(Args)]
pub(crate) struct RunArgs {
    /// Static RV32IM ELF executable.
    elf: PathBuf,
    /// Stop after this many instructions if the program has not halted.
    #[arg(long, default_value_t = u64::MAX)]
    max_steps: u64,
    /// Print one JSON object (status, exit_code, steps, state_hash) instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(crate) struct ProveArgs {
    /// Static RV32IM ELF executable.
    elf: PathBuf,
    /// Step number of the pre-state: the proof covers the instruction run after this many.
    #[arg(long)]
    step: u64,
    /// Steps between snapshots while recording the run.
    #[arg(long, default_value_t = DEFAULT_SNAPSHOT_INTERVAL)]
    snapshot_interval: u64,
}

#[derive(Serialize)]
struct RunReport {
    status: &'static str,
    exit_code: Option<u32>,
    fault: Option<opml_vm::Fault>,
    steps: u64,
    pc: String,
    state_hash: String,
    program_root: String,
}

fn load(path: &PathBuf) -> eyre::Result<Program> {
    let bytes = std::fs::read(path).wrap_err_with(|| format!("cannot read {}", path.display()))?;
    Program::parse(&bytes).wrap_err_with(|| format!("cannot load {}", path.display()))
}

pub(crate) fn run(cmd: VmCommand) -> eyre::Result<()> {
    match cmd {
        VmCommand::Run(args) => run_elf(args),
        VmCommand::Prove(args) => prove(args),
    }
}

fn run_elf(args: RunArgs) -> eyre::Result<()> {
    let program = load(&args.elf)?;
    let program_root = program.program_root()?;
    let mut machine = program.machine()?;
    machine.capture_output();
    let started = std::time::Instant::now();
    machine.run(args.max_steps);
    let elapsed = started.elapsed();
    std::io::stderr().write_all(&machine.take_output())?;
    let state = machine.state();
    let (status, exit_code, fault) = match state.status {
        Status::Running => ("out_of_steps", None, None),
        Status::Exited(code) => ("exited", Some(code), None),
        Status::Faulted(f) => ("faulted", None, Some(f)),
    };
    let report = RunReport {
        status,
        exit_code,
        fault,
        steps: state.step,
        pc: format!("{:#010x}", state.pc),
        state_hash: format!("0x{}", hex::encode(state.hash())),
        program_root: format!("0x{}", hex::encode(program_root)),
    };
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        match state.status {
            Status::Running => println!("out of steps after {} steps", report.steps),
            Status::Exited(code) => println!(
                "exited with code {code} ({code:#x}) after {} steps",
                report.steps
            ),
            Status::Faulted(f) => println!(
                "faulted ({f:?}) at pc {} after {} steps",
                report.pc, report.steps
            ),
        }
        println!("state hash   {}", report.state_hash);
        println!("program root {}", report.program_root);
        let secs = elapsed.as_secs_f64();
        if secs > 0.0 {
            println!("{:.1} M steps/s", state.step as f64 / secs / 1e6);
        }
    }
    Ok(())
}

fn prove(args: ProveArgs) -> eyre::Result<()> {
    let program = load(&args.elf)?;
    let machine = program.machine()?;
    let trace = Trace::record(machine, args.step.saturating_add(1), args.snapshot_interval);
    let proof = trace.prove(args.step)?;
    #[derive(Serialize)]
    struct Out<'a> {
        #[serde(flatten)]
        proof: &'a opml_vm::StepProof,
        /// Per leaf: the heights its encoded proof covers (27, or the pair height of the second
        /// leaf of a crossing access) and its mask (bit h: the sibling at height h is omitted).
        heights: Vec<usize>,
        masks: Vec<String>,
        /// The bytes the on-chain `step(state, proof)` takes as `proof` (docs/spec.md §6).
        proof_bytes: String,
    }
    let out = Out {
        proof: &proof,
        heights: proof.leaf_heights(),
        masks: proof.masks().iter().map(|m| format!("{m:#010x}")).collect(),
        proof_bytes: format!("0x{}", hex::encode(proof.proof_bytes())),
    };
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
