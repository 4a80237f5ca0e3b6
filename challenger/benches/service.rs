//! The service on a real anvil (loopback): seconds from a wrong claim to the watchtower's
//! challenge, the wall time and gas of a full dispute with short clocks, and claims per minute
//! one watchtower verifies on the CPU. Run: `cargo bench -p opml-challenger --bench service`
//! (`OPML_BENCH_MODELS=mlp,cnn,tiny-encoder,encoder` picks models; `OPML_BENCH_DISPUTES`, `OPML_BENCH_CLAIMS`
//! set the counts).

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Instant;

use opml_challenger::chain::Chain;
use opml_challenger::service::agent::Action;
use opml_challenger::service::Behavior;
use opml_dnn::model::Model;
use opml_dnn::testmodels::{encoder, mlp, random_tokens, TransformerShape};
use support::*;

struct Case {
    name: &'static str,
    model: Arc<Model>,
    input: Box<dyn Fn(u32) -> Vec<u8>>,
}

fn cases() -> Vec<Case> {
    let pick = std::env::var("OPML_BENCH_MODELS")
        .unwrap_or_else(|_| "mlp,cnn,tiny-encoder,encoder".into());
    let mut out = Vec::new();
    for name in pick.split(',') {
        let case = match name {
            "mlp" => {
                let m = Arc::new(
                    Model::from_bytes(mlp(7, &[784, 20, 10]).to_model_bytes("").unwrap()).unwrap(),
                );
                let info = m.input_info().clone();
                Case {
                    name: "MNIST MLP 784-20-10",
                    model: m,
                    input: Box::new(move |s| opml_dnn::testmodels::random_input(s, &info)),
                }
            }
            "cnn" => {
                let m = Arc::new(opml_challenger::demo_model::digits_cnn().unwrap().model);
                let (images, _) = opml_challenger::demo_model::digits_holdout().unwrap();
                let mm = m.clone();
                Case {
                    name: "digits CNN (demo)",
                    model: m,
                    input: Box::new(move |s| {
                        opml_challenger::demo_model::quantize(
                            &mm,
                            &images[s as usize % images.len()],
                        )
                    }),
                }
            }
            "tiny-encoder" => {
                let shape = TransformerShape::TINY_ENCODER;
                let m = Arc::new(
                    Model::from_bytes(encoder(1, shape).to_model_bytes("").unwrap()).unwrap(),
                );
                Case {
                    name: "tiny encoder (2 layers, 32 wide)",
                    model: m,
                    input: Box::new(move |s| random_tokens(s, shape.tokens, shape.vocab)),
                }
            }
            "encoder" => {
                let shape = TransformerShape::MINILM_L6;
                let m = Arc::new(
                    Model::from_bytes(encoder(1, shape).to_model_bytes("").unwrap()).unwrap(),
                );
                Case {
                    name: "MiniLM-L6-shaped encoder",
                    model: m,
                    input: Box::new(move |s| random_tokens(s, shape.tokens, shape.vocab)),
                }
            }
            other => panic!("unknown model {other}"),
        };
        out.push(case);
    }
    out
}

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let disputes = count("OPML_BENCH_DISPUTES", 3);
    println!("| model | claim → challenge (s) | dispute wall time (s) | moves (claimant, challenger) | dispute gas | largest tx | claims/min verified |");
    println!("|---|---|---|---|---|---|---|");
    for case in cases() {
        let anvil = Anvil::start();
        let mut w = world(&anvil.url, 60, 600, "bench").await;
        let (id, _) = w
            .opml
            .register_model(w.accounts[0], &case.model, "bench")
            .await
            .unwrap();
        w.model = case.model.clone();
        w.model_id = id;
        let liar_b = Behavior {
            wrong_outputs: true,
            ..Behavior::honest()
        };
        let tag = case.name.split_whitespace().next().unwrap_or("m");
        let mut liar = w.agent(1, &format!("{tag}-liar"), SERVE, liar_b).await;
        let mut tower = w
            .agent(2, &format!("{tag}-tower"), WATCH, Behavior::honest())
            .await;
        let mut honest = w
            .agent(3, &format!("{tag}-honest"), SERVE, Behavior::honest())
            .await;
        let (mut latency, mut wall) = (Vec::new(), Vec::new());
        let (mut moves, mut gas, mut largest) = ((0, 0), 0u64, 0u64);
        for d in 0..disputes {
            liar.submit(w.model_id, 0, (case.input)(1000 + d as u32))
                .await
                .unwrap();
            liar.take_actions();
            // The claim is mined: from here to the challenge being mined.
            let t0 = Instant::now();
            loop {
                tower.tick().await.unwrap();
                let acts = tower.take_actions();
                if let Some(g) = acts.iter().find_map(|a| match a {
                    Action::Challenged { gas, .. } => Some(*gas),
                    _ => None,
                }) {
                    latency.push(t0.elapsed().as_secs_f64());
                    gas = g;
                    largest = largest.max(g);
                    break;
                }
            }
            let t1 = Instant::now();
            let (mut mc, mut mh) = (0, 0);
            'game: loop {
                let mut any = false;
                for (i, a) in [&mut liar, &mut tower].into_iter().enumerate() {
                    a.tick().await.unwrap();
                    for act in a.take_actions() {
                        any = true;
                        match act {
                            Action::Moved { gas: g, .. } | Action::TimedOut { gas: g, .. } => {
                                gas += g;
                                largest = largest.max(g);
                                if i == 0 {
                                    mc += 1
                                } else {
                                    mh += 1
                                }
                            }
                            Action::GameEnded { won, .. } if i == 1 => {
                                assert!(won, "the watchtower lost");
                                break 'game;
                            }
                            _ => {}
                        }
                    }
                }
                if !any {
                    w.chain.advance_time(w.settings.clock + 1).await.unwrap();
                }
            }
            wall.push(t1.elapsed().as_secs_f64());
            moves = (mc, mh);
        }
        // Claims per minute: a burst of honest claims, then the tower verifies them all.
        let n = count(
            "OPML_BENCH_CLAIMS",
            if case.name.contains("encoder") {
                20
            } else {
                60
            },
        );
        for i in 0..n {
            honest
                .submit(w.model_id, 0, (case.input)(i as u32))
                .await
                .unwrap();
        }
        honest.take_actions();
        let t0 = Instant::now();
        let mut verified = 0;
        while verified < n {
            tower.tick().await.unwrap();
            verified += tower
                .take_actions()
                .iter()
                .filter(|a| matches!(a, Action::Verified { agrees: true, .. }))
                .count();
        }
        let per_minute = n as f64 / t0.elapsed().as_secs_f64() * 60.0;
        println!(
            "| {} | {:.3} (median of {disputes}) | {:.2} (median; {:.2}–{:.2}) | {}, {} | {} | {} | {:.0} |",
            case.name,
            median(latency.clone()),
            median(wall.clone()),
            wall.iter().cloned().fold(f64::MAX, f64::min),
            wall.iter().cloned().fold(0.0, f64::max),
            moves.0,
            moves.1,
            gas,
            largest,
            per_minute
        );
        let _ = std::fs::remove_dir_all(&w.dir);
    }
}
