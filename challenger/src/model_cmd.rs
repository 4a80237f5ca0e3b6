//! `opml model inspect|example|register`: look inside a model file; write a random-weight
//! example model; register a model on chain.

use clap::{Args, Subcommand, ValueEnum};
use eyre::WrapErr;
use opml_dnn::builder::summary;
use opml_dnn::model::Model;
use opml_dnn::testmodels::{cnn, decoder, encoder, mlp, TransformerShape};
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum ModelCommand {
    /// Check a model file and print its commitments and graph.
    Inspect(InspectArgs),
    /// Write a model with random weights of a built-in architecture (for trying opml out).
    Example(ExampleArgs),
    /// Register a model with the ModelRegistry of a deployment.
    Register(crate::service_cmd::RegisterArgs),
}

#[derive(Args)]
pub(crate) struct InspectArgs {
    /// opml model file.
    model: PathBuf,
    /// Also list every node.
    #[arg(long)]
    nodes: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Arch {
    /// 784 → 20 → 10 MLP (MNIST-sized).
    Mlp,
    /// Small CNN over a 12×12 image.
    Cnn,
    /// Tiny BERT-style encoder (2 layers, 32 wide, 8 tokens).
    Encoder,
    /// Tiny LLaMA-style decoder (2 layers, 32 wide, 8 tokens).
    Decoder,
    /// all-MiniLM-L6-v2-shaped encoder (6 layers, 384 wide, 128 tokens).
    Minilm,
}

#[derive(Args)]
pub(crate) struct ExampleArgs {
    /// Architecture.
    #[arg(value_enum)]
    arch: Arch,
    /// Output file.
    out: PathBuf,
    /// Seed of the random weights.
    #[arg(long, default_value_t = 1)]
    seed: u32,
}

pub(crate) fn run(cmd: ModelCommand) -> eyre::Result<()> {
    match cmd {
        ModelCommand::Register(args) => crate::service_cmd::register(args),
        ModelCommand::Inspect(args) => {
            let model = Model::open(&args.model)
                .wrap_err_with(|| format!("cannot load model {}", args.model.display()))?;
            let roots = model.roots();
            println!("model root         0x{}", hex::encode(roots.model));
            println!("graph root         0x{}", hex::encode(roots.graph));
            println!("weight-table root  0x{}", hex::encode(roots.weights));
            println!("nodes              {}", model.nodes().len());
            println!("weights            {}", model.weight_count());
            println!("input              {}", model.input_info());
            println!("output             {}", model.output_info());
            if !model.metadata().is_empty() {
                println!("metadata           {}", model.metadata());
            }
            if args.nodes {
                print!("{}", summary(model.nodes()));
            }
            Ok(())
        }
        ModelCommand::Example(args) => {
            let builder = match args.arch {
                Arch::Mlp => mlp(args.seed, &[784, 20, 10]),
                Arch::Cnn => cnn(args.seed),
                Arch::Encoder => encoder(args.seed, TransformerShape::TINY_ENCODER),
                Arch::Decoder => decoder(args.seed, TransformerShape::TINY_DECODER),
                Arch::Minilm => encoder(args.seed, TransformerShape::MINILM_L6),
            };
            let meta = format!("{{\"example\":true,\"seed\":{}}}", args.seed);
            let bytes = builder.to_model_bytes(&meta)?;
            std::fs::write(&args.out, &bytes)
                .wrap_err_with(|| format!("cannot write {}", args.out.display()))?;
            let model = Model::from_bytes(bytes)?;
            println!(
                "wrote {} ({} nodes, input {}, model root 0x{})",
                args.out.display(),
                model.nodes().len(),
                model.input_info(),
                hex::encode(model.roots().model)
            );
            Ok(())
        }
    }
}
