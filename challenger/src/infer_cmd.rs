//! `opml infer MODEL INPUT`: run a model natively and print its output and commitments.

use clap::Args;
use eyre::{bail, WrapErr};
use opml_dnn::exec::{run, ReferenceBackend};
use opml_dnn::model::Model;
use opml_dnn::tensor::{read_elem, write_elem, TensorInfo};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args)]
pub(crate) struct InferArgs {
    /// opml model file.
    model: PathBuf,
    /// The input tensor: a `.json` file holding a flat array of integers (row-major), or any
    /// other file holding the raw little-endian bytes.
    input: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Also print every node's output root and every graph-state root.
    #[arg(long)]
    roots: bool,
}

#[derive(Serialize)]
struct Report {
    model_root: String,
    input: String,
    output_shape: Vec<u32>,
    output: Vec<i32>,
    output_dequantized: Option<Vec<f64>>,
    argmax: Option<usize>,
    output_root: String,
    final_state_root: String,
    nodes: usize,
    millis: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    node_roots: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_roots: Option<Vec<String>>,
}

fn hex32(h: &[u8; 32]) -> String {
    format!("0x{}", hex::encode(h))
}

/// Reads the input file as the bytes of a tensor described by `info`.
pub(crate) fn read_input(path: &PathBuf, info: &TensorInfo) -> eyre::Result<Vec<u8>> {
    let bytes = std::fs::read(path).wrap_err_with(|| format!("cannot read {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "json") {
        let values: Vec<i64> = serde_json::from_slice(&bytes)
            .wrap_err_with(|| format!("{}: expected a JSON array of integers", path.display()))?;
        if values.len() != info.len() {
            bail!(
                "{}: {} values, the model's input {info} has {}",
                path.display(),
                values.len(),
                info.len()
            );
        }
        let mut out = vec![0u8; info.byte_len()];
        for (i, &v) in values.iter().enumerate() {
            if v < info.dtype.min() as i64 || v > info.dtype.max() as i64 {
                bail!(
                    "{}: value {v} at index {i} does not fit {}",
                    path.display(),
                    info.dtype
                );
            }
            write_elem(info.dtype, &mut out, i, v as i32);
        }
        Ok(out)
    } else {
        if bytes.len() != info.byte_len() {
            bail!(
                "{}: {} bytes, the model's input {info} takes {}",
                path.display(),
                bytes.len(),
                info.byte_len()
            );
        }
        Ok(bytes)
    }
}

pub(crate) fn run_infer(args: InferArgs) -> eyre::Result<()> {
    let model = Model::open(&args.model)
        .wrap_err_with(|| format!("cannot load model {}", args.model.display()))?;
    let input = read_input(&args.input, model.input_info())?;
    let started = Instant::now();
    let inference = run(&model, &input, &ReferenceBackend)?;
    let millis = started.elapsed().as_secs_f64() * 1e3;
    let info = model.output_info();
    let output: Vec<i32> = (0..info.len())
        .map(|i| read_elem(info.dtype, inference.output(), i))
        .collect();
    let scale = info.quant.scale;
    let output_dequantized = (scale.multiplier != 0).then(|| {
        output
            .iter()
            .map(|&q| scale.to_f64() * (q - info.quant.zero_point) as f64)
            .collect()
    });
    let argmax = (info.last_dim() > 1 && output.len() == info.last_dim())
        .then(|| {
            output
                .iter()
                .enumerate()
                .max_by_key(|&(i, &v)| (v, std::cmp::Reverse(i)))
                .map(|(i, _)| i)
        })
        .flatten();
    let report = Report {
        model_root: hex32(&model.roots().model),
        input: model.input_info().to_string(),
        output_shape: info.shape.clone(),
        output,
        output_dequantized,
        argmax,
        output_root: hex32(inference.node_roots.last().expect("nodes")),
        final_state_root: hex32(&inference.final_state_root()),
        nodes: model.nodes().len(),
        millis,
        node_roots: args
            .roots
            .then(|| inference.node_roots.iter().map(hex32).collect()),
        state_roots: args
            .roots
            .then(|| inference.state_roots.iter().map(hex32).collect()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!("model root        {}", report.model_root);
    println!("input             {}", report.input);
    println!("output            {info} = {:?}", report.output);
    if let Some(d) = &report.output_dequantized {
        let shown: Vec<String> = d.iter().map(|v| format!("{v:.4}")).collect();
        println!("dequantized       [{}]", shown.join(", "));
    }
    if let Some(i) = report.argmax {
        println!("argmax            {i}");
    }
    println!("output root       {}", report.output_root);
    println!("final state root  {}", report.final_state_root);
    println!(
        "time              {:.2} ms ({} nodes)",
        report.millis, report.nodes
    );
    if let (Some(nodes), Some(states)) = (&report.node_roots, &report.state_roots) {
        for (i, (n, s)) in nodes.iter().zip(states).enumerate() {
            println!("node {i:4}  output {n}  state {s}");
        }
    }
    Ok(())
}
