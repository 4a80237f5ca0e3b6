//! `opml convert`: an MLP or CNN classifier from PyTorch / safetensors / GGUF weights and a TOML
//! architecture, or a BERT encoder from Hugging Face weights and `config.json` (`--bert`), into
//! an opml model file, with an accuracy report against the float model.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use eyre::WrapErr;
use indicatif::{ProgressBar, ProgressStyle};
use opml_converter::arch::Arch;
use opml_converter::bert::{
    convert_bert, read_tokens, resolve_paths, BertConfig, BertOptions, EmbedReport,
};
use opml_converter::classifier::{convert, read_weights, Progress, QParams, SetReport};
use opml_converter::samples;
use opml_dnn::tensor::DType;
use serde::Serialize;

#[derive(Args)]
pub(crate) struct ConvertArgs {
    /// Architecture description (TOML: input, quantization, layers with their state-dict
    /// names; see converter/README.md).
    #[arg(long, required_unless_present = "bert", conflicts_with = "bert")]
    arch: Option<PathBuf>,
    /// Weights: PyTorch `.pt`/`.pth`/`.bin` (zip or legacy), safetensors or GGUF.
    #[arg(long, required_unless_present = "bert", conflicts_with = "bert")]
    weights: Option<PathBuf>,
    /// A BERT encoder (Hugging Face `BertModel`, e.g. sentence-transformers): a directory with
    /// `model.safetensors` and `config.json`, or a weights file. The model maps token ids `[T]`
    /// to the L2-normalised mean-pooled embedding; `--calibration` and `--holdout` are token id
    /// sequences (JSON: `[[ids...], ...]` or `{"tokens": [...]}`, padded to `--tokens`).
    #[arg(long, help_heading = "BERT")]
    bert: Option<PathBuf>,
    /// The BERT `config.json` (default: beside the weights).
    #[arg(long, requires = "bert", help_heading = "BERT")]
    config: Option<PathBuf>,
    /// BERT context length T (callers pad with pad_token_id or truncate to it).
    #[arg(long, default_value_t = 128, requires = "bert", help_heading = "BERT")]
    tokens: usize,
    /// BERT activation type: i16 (default; keys int8 next to i16 queries) or i8.
    #[arg(long, default_value = "i16", value_parser = ["i8", "i16"], requires = "bert", help_heading = "BERT")]
    activations: String,
    /// Also write the float reference's embeddings of the held-out sequences (JSON
    /// `{"embedding": [[...], ...]}`) here, to cross-check it against another implementation.
    #[arg(long, requires = "holdout", requires = "bert", help_heading = "BERT")]
    float_embeddings: Option<PathBuf>,
    /// Calibration inputs, `.npy` ([N, ...]) or `.json` (an array of samples, or
    /// {"inputs": [...], "labels": [...]}). Without them, a fixed input scale is required and
    /// synthetic inputs over its range are used.
    #[arg(long)]
    calibration: Option<PathBuf>,
    /// Held-out inputs for the accuracy report (same formats; labels optional).
    #[arg(long)]
    holdout: Option<PathBuf>,
    /// Output model file.
    #[arg(long)]
    out: PathBuf,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
}

/// indicatif bars on stderr (hidden when stderr is not a terminal).
struct Bars {
    bar: Option<ProgressBar>,
}

impl Progress for Bars {
    fn start(&mut self, stage: &str, total: u64) {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{msg:28} [{bar:32.cyan/blue}] {pos}/{len} {elapsed}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(stage.to_string());
        self.bar = Some(bar);
    }

    fn advance(&mut self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

#[derive(Serialize)]
struct TensorReport {
    #[serde(skip)]
    info: String,
    shape: Vec<u32>,
    #[serde(flatten)]
    quant: QParams,
}

#[derive(Serialize)]
struct Report {
    out: String,
    model_root: String,
    nodes: usize,
    weights: usize,
    bytes: usize,
    input: TensorReport,
    output: TensorReport,
    calibration_source: String,
    calibration: SetReport,
    holdout: Option<SetReport>,
    millis: Millis,
}

#[derive(Serialize)]
struct Millis {
    read: f64,
    resolve: f64,
    calibrate: f64,
    quantize: f64,
    evaluate: f64,
    total: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

impl Millis {
    fn new(read: Duration, t: &opml_converter::classifier::Timings, started: Instant) -> Self {
        Self {
            read: ms(read),
            resolve: ms(t.resolve),
            calibrate: ms(t.calibrate),
            quantize: ms(t.quantize),
            evaluate: ms(t.evaluate),
            total: ms(started.elapsed()),
        }
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:.2}%", v * 100.0))
}

pub(crate) fn run(args: ConvertArgs) -> eyre::Result<()> {
    if args.bert.is_some() {
        return run_bert(args);
    }
    let started = Instant::now();
    let (Some(arch), Some(weights)) = (&args.arch, &args.weights) else {
        eyre::bail!("--arch and --weights are required (or --bert)");
    };
    let arch = Arch::from_file(arch)?;
    let weights = read_weights(weights)?;
    let calibration = args.calibration.as_ref().map(samples::read).transpose()?;
    let holdout = args.holdout.as_ref().map(samples::read).transpose()?;
    let read = started.elapsed();
    let mut bars = Bars { bar: None };
    let c = convert(
        &arch,
        &weights,
        calibration.as_ref(),
        holdout.as_ref(),
        &mut bars,
    )?;
    std::fs::write(&args.out, &c.bytes)
        .wrap_err_with(|| format!("cannot write {}", args.out.display()))?;
    let report = Report {
        out: args.out.display().to_string(),
        model_root: format!("0x{}", hex::encode(c.model_root())),
        nodes: c.model.nodes().len(),
        weights: c.model.weight_count(),
        bytes: c.bytes.len(),
        input: TensorReport {
            info: c.model.input_info().to_string(),
            shape: c.model.input_info().shape.clone(),
            quant: c.input,
        },
        output: TensorReport {
            info: c.model.output_info().to_string(),
            shape: c.model.output_info().shape.clone(),
            quant: c.output,
        },
        calibration_source: c.calibration_source.clone(),
        calibration: c.calibration.clone(),
        holdout: c.holdout.clone(),
        millis: Millis::new(read, &c.timings, started),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "wrote {} ({} nodes, {} weights, {} bytes)",
        report.out, report.nodes, report.weights, report.bytes
    );
    println!("model root   {}", report.model_root);
    for (name, t) in [("input ", &report.input), ("output", &report.output)] {
        println!(
            "{name}       {}  scale {:.6}  zero point {}",
            t.info, t.quant.scale, t.quant.zero_point
        );
    }
    println!("calibration  {}", report.calibration_source);
    println!(
        "accuracy vs float    samples  cosine mean  cosine min  max |err|  top-1 agree  \
         float acc  int acc"
    );
    let rows = std::iter::once(("calibration", &report.calibration))
        .chain(report.holdout.as_ref().map(|h| ("holdout", h)));
    for (name, r) in rows {
        println!(
            "  {name:<16} {:>8}  {:>11.6}  {:>10.6}  {:>9.4}  {:>11}  {:>9}  {:>7}",
            r.samples,
            r.cosine_mean,
            r.cosine_min,
            r.max_abs_error,
            pct(Some(r.top1_agreement)),
            pct(r.float_accuracy),
            pct(r.int_accuracy),
        );
    }
    let m = &report.millis;
    println!(
        "time         {:.1} ms: read {:.1}, resolve {:.1}, calibrate {:.1}, quantize {:.1}, \
         evaluate {:.1}",
        m.total, m.read, m.resolve, m.calibrate, m.quantize, m.evaluate
    );
    Ok(())
}

#[derive(Serialize)]
struct BertReport {
    out: String,
    model_root: String,
    nodes: usize,
    weights: usize,
    bytes: usize,
    config: BertConfig,
    tokens: usize,
    activations: Vec<String>,
    max_norm_z: f64,
    calibration: EmbedReport,
    holdout: Option<EmbedReport>,
    millis: Millis,
}

fn run_bert(args: ConvertArgs) -> eyre::Result<()> {
    let started = Instant::now();
    let model = args.bert.as_deref().expect("--bert");
    let (weights_path, config_path) = resolve_paths(model, args.config.as_deref());
    let config = BertConfig::from_file(&config_path)?;
    let weights = read_weights(&weights_path)?;
    let Some(cal_path) = &args.calibration else {
        eyre::bail!("--bert needs --calibration (token id sequences)");
    };
    let read = |p: &PathBuf| read_tokens(p, args.tokens, config.vocab, config.pad_token_id);
    let calibration = read(cal_path)?;
    let holdout = args.holdout.as_ref().map(read).transpose()?;
    let read_time = started.elapsed();
    let activations = if args.activations == "i8" {
        DType::I8
    } else {
        DType::I16
    };
    let mut bars = Bars { bar: None };
    let c = convert_bert(
        &config,
        &weights,
        BertOptions {
            tokens: args.tokens,
            activations,
        },
        &calibration,
        holdout.as_deref(),
        &mut bars,
    )?;
    std::fs::write(&args.out, &c.bytes)
        .wrap_err_with(|| format!("cannot write {}", args.out.display()))?;
    if let (Some(path), Some(h)) = (&args.float_embeddings, &holdout) {
        let e: Vec<Vec<f64>> = h.iter().map(|ids| c.float.forward(ids)).collect();
        std::fs::write(path, serde_json::json!({ "embedding": e }).to_string())
            .wrap_err_with(|| format!("cannot write {}", path.display()))?;
    }
    let report = BertReport {
        out: args.out.display().to_string(),
        model_root: format!("0x{}", hex::encode(c.model_root())),
        nodes: c.model.nodes().len(),
        weights: c.model.weight_count(),
        bytes: c.bytes.len(),
        config: config.clone(),
        tokens: args.tokens,
        activations: c.dtypes.iter().map(|(n, d)| format!("{n}: {d}")).collect(),
        max_norm_z: c.stats.max_norm_z,
        calibration: c.calibration.clone(),
        holdout: c.holdout.clone(),
        millis: Millis::new(read_time, &c.timings, started),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "wrote {} ({} nodes, {} weights, {} bytes)",
        report.out, report.nodes, report.weights, report.bytes
    );
    println!("model root   {}", report.model_root);
    println!(
        "input        token ids i32 [{}] (pad_token_id {} is padding)",
        args.tokens, config.pad_token_id
    );
    println!(
        "output       {}  (L2-normalised mean pooling)",
        c.model.output_info()
    );
    let i8s: Vec<&str> = c
        .dtypes
        .iter()
        .filter(|(_, d)| *d == "i8")
        .map(|(n, _)| n.as_str())
        .collect();
    println!(
        "activations  default {}; i8: {}",
        args.activations,
        if i8s.is_empty() {
            "none".into()
        } else {
            i8s.join(", ")
        }
    );
    if c.stats.max_norm_z > 8.0 {
        println!(
            "warning      a normalised value reached {:.2} standard deviations in calibration; \
             the integer norm clips at 8",
            c.stats.max_norm_z
        );
    }
    println!("accuracy vs float    samples  cosine mean  cosine min  max |err|  mean |err|");
    let rows = std::iter::once(("calibration", &report.calibration))
        .chain(report.holdout.as_ref().map(|h| ("holdout", h)));
    for (name, r) in rows {
        println!(
            "  {name:<16} {:>8}  {:>11.6}  {:>10.6}  {:>9.5}  {:>10.6}",
            r.samples, r.cosine_mean, r.cosine_min, r.max_abs_error, r.mean_abs_error,
        );
    }
    let m = &report.millis;
    println!(
        "time         {:.1} ms: read {:.1}, resolve {:.1}, calibrate {:.1}, quantize {:.1}, \
         evaluate {:.1}",
        m.total, m.read, m.resolve, m.calibrate, m.quantize, m.evaluate
    );
    Ok(())
}
