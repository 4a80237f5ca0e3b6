//! `opml convert`: an MLP or CNN classifier from PyTorch / safetensors / GGUF weights and a TOML
//! architecture into an opml model file, with an accuracy report against the float model.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use eyre::WrapErr;
use indicatif::{ProgressBar, ProgressStyle};
use opml_converter::arch::Arch;
use opml_converter::classifier::{convert, read_weights, Progress, QParams, SetReport};
use opml_converter::samples;
use serde::Serialize;

#[derive(Args)]
pub(crate) struct ConvertArgs {
    /// Architecture description (TOML: input, quantization, layers with their state-dict
    /// names; see converter/README.md).
    #[arg(long)]
    arch: PathBuf,
    /// Weights: PyTorch `.pt`/`.pth`/`.bin` (zip or legacy), safetensors or GGUF.
    #[arg(long)]
    weights: PathBuf,
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

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:.2}%", v * 100.0))
}

pub(crate) fn run(args: ConvertArgs) -> eyre::Result<()> {
    let started = Instant::now();
    let arch = Arch::from_file(&args.arch)?;
    let weights = read_weights(&args.weights)?;
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
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
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
        millis: Millis {
            read: ms(read),
            resolve: ms(c.timings.resolve),
            calibrate: ms(c.timings.calibrate),
            quantize: ms(c.timings.quantize),
            evaluate: ms(c.timings.evaluate),
            total: ms(started.elapsed()),
        },
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
