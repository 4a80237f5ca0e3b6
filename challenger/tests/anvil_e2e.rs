//! End to end on a real anvil (from npm, on loopback, started and stopped here): the service
//! agents claim, challenge and play whole games through JSON-RPC.

mod support;

use std::time::Duration;

use alloy_primitives::U256;
use opml_challenger::chain::{Chain, ChainError, RpcChain};
use opml_challenger::game::sim::Choice;
use opml_challenger::service::agent::Action;
use opml_challenger::service::{Agent, Behavior};
use support::*;

/// Ticks every agent in turn until `done` says so, moving the chain's clock past a silent
/// side's budget when nobody acts; returns every action, by agent.
async fn run_until(
    world: &World,
    agents: &mut [&mut Agent<RpcChain>],
    max_rounds: usize,
    mut done: impl FnMut(&[Vec<Action>]) -> bool,
) -> Vec<Vec<Action>> {
    let mut all: Vec<Vec<Action>> = vec![Vec::new(); agents.len()];
    let mut idle = 0;
    for _ in 0..max_rounds {
        let mut any = false;
        for (i, a) in agents.iter_mut().enumerate() {
            a.tick().await.unwrap();
            let acts = a.take_actions();
            any |= !acts.is_empty();
            all[i].extend(acts);
        }
        if done(&all) {
            return all;
        }
        if any {
            idle = 0;
        } else {
            // Nobody acted: a few one-second blocks first (logs waiting for confirmations),
            // then let a silent side's clock run out.
            idle += 1;
            let step = if idle < 5 {
                1
            } else {
                idle = 0;
                world.settings.clock + 1
            };
            world.chain.advance_time(step).await.unwrap();
        }
    }
    panic!("not done after {max_rounds} rounds: {all:#?}");
}

fn ended(acts: &[Action]) -> Vec<(u64, bool)> {
    acts.iter()
        .filter_map(|a| match a {
            Action::GameEnded { game, won } => Some((*game, *won)),
            _ => None,
        })
        .collect()
}

fn withdrawn(acts: &[Action]) -> U256 {
    acts.iter()
        .map(|a| match a {
            Action::Withdrew { wei, .. } => *wei,
            _ => U256::ZERO,
        })
        .sum()
}

fn liar() -> Behavior {
    Behavior {
        wrong_outputs: true,
        ..Behavior::honest()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_claim_is_challenged_and_the_watchtower_wins_and_is_paid() {
    let anvil = Anvil::start();
    let w = world(&anvil.url, 3600, 3600, "wrong").await;
    let mut liar = w.agent(1, "liar", SERVE, liar()).await;
    let mut tower = w.agent(2, "tower", WATCH, Behavior::honest()).await;
    let claim = liar.submit(w.model_id, 0, w.input(1)).await.unwrap();
    let acts = run_until(&w, &mut [&mut liar, &mut tower], 200, |a| {
        !ended(&a[1]).is_empty() && withdrawn(&a[1]) > U256::ZERO
    })
    .await;
    assert!(acts[1]
        .iter()
        .any(|a| matches!(a, Action::Verified { claim: c, agrees: false, .. } if *c == claim)));
    assert_eq!(ended(&acts[1]), vec![(0, true)]);
    // The tower gets its challenge bond back and the liar's claim bond.
    assert_eq!(
        withdrawn(&acts[1]),
        w.settings.claim_bond + w.settings.challenge_bond
    );
    let c = w.opml.claim(claim).await.unwrap();
    assert_eq!(c.state, 2, "the claim is defeated");
    assert_eq!(w.opml.credit(w.accounts[1]).await.unwrap(), U256::ZERO);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn honest_claim_under_a_malicious_challenge_wins_and_finalizes() {
    let anvil = Anvil::start();
    let w = world(&anvil.url, 3600, 3600, "honest").await;
    let mut submitter = w.agent(1, "submitter", SERVE, Behavior::honest()).await;
    let griefer = Behavior {
        challenge_everything: true,
        challenger: Choice::Random,
        ..Behavior::honest()
    };
    let mut griefer = w.agent(2, "griefer", WATCH, griefer).await;
    let fee = U256::from(10u64.pow(16));
    let (request, _) = w
        .opml
        .request_inference(w.accounts[3], w.model_id, &w.input(2), fee)
        .await
        .unwrap();
    let acts = run_until(&w, &mut [&mut submitter, &mut griefer], 300, |a| {
        !ended(&a[0]).is_empty()
    })
    .await;
    assert!(acts[0]
        .iter()
        .any(|a| matches!(a, Action::Claimed { request: r, .. } if *r == request)));
    assert_eq!(ended(&acts[0]), vec![(0, true)], "the submitter won");
    assert_eq!(ended(&acts[1]), vec![(0, false)], "the griefer lost");
    // After the window the claim finalizes: bond, fee and the griefer's bond come back.
    w.chain.advance_time(w.settings.window + 1).await.unwrap();
    let more = run_until(&w, &mut [&mut submitter], 5, |a| {
        a[0].iter().any(|x| matches!(x, Action::Finalized { .. })) && withdrawn(&a[0]) > U256::ZERO
    })
    .await;
    let paid = withdrawn(&acts[0]) + withdrawn(&more[0]);
    assert_eq!(
        paid,
        w.settings.claim_bond + w.settings.challenge_bond + fee
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_of_50_claims_all_verified_and_the_wrong_ones_defeated() {
    let anvil = Anvil::start();
    let w = world(&anvil.url, 3600, 3600, "burst").await;
    let mut honest = w.agent(1, "honest", SERVE, Behavior::honest()).await;
    let mut liar = w.agent(3, "liar", SERVE, liar()).await;
    let mut tower = w.agent(2, "tower", WATCH, Behavior::honest()).await;
    let mut wrong = Vec::new();
    for i in 0..50u32 {
        if i % 5 == 4 {
            wrong.push(liar.submit(w.model_id, 0, w.input(100 + i)).await.unwrap());
        } else {
            honest
                .submit(w.model_id, 0, w.input(100 + i))
                .await
                .unwrap();
        }
    }
    let acts = run_until(&w, &mut [&mut honest, &mut liar, &mut tower], 400, |a| {
        ended(&a[2]).len() == wrong.len()
    })
    .await;
    let verified: Vec<(u64, bool)> = acts[2]
        .iter()
        .filter_map(|a| match a {
            Action::Verified { claim, agrees, .. } => Some((*claim, *agrees)),
            _ => None,
        })
        .collect();
    assert_eq!(verified.len(), 50, "every claim recomputed");
    let mut disagreed: Vec<u64> = verified.iter().filter(|v| !v.1).map(|v| v.0).collect();
    disagreed.sort();
    assert_eq!(disagreed, wrong);
    assert!(
        ended(&acts[2]).iter().all(|(_, won)| *won),
        "every game won"
    );
    for c in wrong {
        assert_eq!(w.opml.claim(c).await.unwrap().state, 2);
    }
    let metrics = tower.metrics().render();
    assert!(metrics.contains("opml_claims_seen_total 50"), "{metrics}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watchtower_restarted_mid_game_still_wins() {
    let anvil = Anvil::start();
    let w = world(&anvil.url, 3600, 3600, "restart").await;
    let mut liar = w.agent(1, "liar", SERVE, liar()).await;
    liar.submit(w.model_id, 0, w.input(3)).await.unwrap();
    let mut tower = w.agent(2, "tower", WATCH, Behavior::honest()).await;
    // Play until the tower has made three moves, then drop it (its brain and caches die).
    run_until(&w, &mut [&mut liar, &mut tower], 100, |a| {
        a[1].iter()
            .filter(|x| matches!(x, Action::Moved { .. }))
            .count()
            >= 3
    })
    .await;
    drop(tower);
    let mut tower = w.agent(2, "tower", WATCH, Behavior::honest()).await;
    let acts = run_until(&w, &mut [&mut liar, &mut tower], 200, |a| {
        !ended(&a[1]).is_empty()
    })
    .await;
    assert_eq!(ended(&acts[1]), vec![(0, true)]);
    // It did not challenge twice.
    assert!(!acts[1]
        .iter()
        .any(|a| matches!(a, Action::Challenged { .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anvil_restarted_from_its_state_dump_the_service_reconnects_and_wins() {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("opml-e2e-dump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let state_arg = state.to_str().unwrap().to_string();
    let mut anvil = Anvil::start_on(port, &["--dump-state", &state_arg]);
    let w = world(&anvil.url, 3600, 3600, "dump").await;
    let mut liar = w.agent(1, "liar", SERVE, liar()).await;
    liar.submit(w.model_id, 0, w.input(4)).await.unwrap();
    let mut tower = w.agent(2, "tower", WATCH, Behavior::honest()).await;
    run_until(&w, &mut [&mut liar, &mut tower], 100, |a| {
        a[1].iter().any(|x| matches!(x, Action::Moved { .. }))
    })
    .await;
    let progress = tower.store().meta("next_block").unwrap();
    anvil.stop();
    assert!(state.exists(), "anvil dumped its state");
    // The node is gone: a clear, transient error, and nothing lost.
    let err = tower.tick().await.unwrap_err();
    assert!(err.is_transient(), "{err}");
    assert_eq!(tower.store().meta("next_block").unwrap(), progress);
    assert_eq!(tower.store().games().unwrap().len(), 1);
    let _anvil = Anvil::start_on(port, &["--load-state", &state_arg]);
    let acts = run_until(&w, &mut [&mut liar, &mut tower], 200, |a| {
        !ended(&a[1]).is_empty()
    })
    .await;
    assert_eq!(ended(&acts[1]), vec![(0, true)]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A node that answers every request with HTTP 200 and a body that is not JSON-RPC.
async fn garbage_node() -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        for _ in 0..200 {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let body = "<html>502 bad gateway, not JSON</html>";
            let _ = s
                .write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                )
                .await;
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_answering_garbage_gives_clear_errors_and_loses_no_game() {
    // First a real game in progress on anvil.
    let anvil = Anvil::start();
    let w = world(&anvil.url, 3600, 3600, "garbage").await;
    let mut liar = w.agent(1, "liar", SERVE, liar()).await;
    liar.submit(w.model_id, 0, w.input(5)).await.unwrap();
    let mut tower = w.agent(2, "tower", WATCH, Behavior::honest()).await;
    run_until(&w, &mut [&mut liar, &mut tower], 100, |a| {
        a[1].iter().any(|x| matches!(x, Action::Challenged { .. }))
    })
    .await;
    let games = tower.store().games().unwrap();
    drop(tower);

    // The same database behind a node that answers garbage.
    let port = garbage_node().await;
    let bad = std::sync::Arc::new(
        RpcChain::new(&format!("http://127.0.0.1:{port}"), keys(), quick()).unwrap(),
    );
    let e = bad.block_number().await.unwrap_err();
    assert!(matches!(e, ChainError::Node(_)), "{e}");
    assert!(e.to_string().contains("not valid JSON-RPC"), "{e}");
    let e = opml_challenger::chain::Opml::attach(bad.clone(), w.opml.addresses.oracle)
        .await
        .unwrap_err();
    assert!(e.is_transient(), "{e}");

    // A dead endpoint: unreachable, quickly.
    let dead = RpcChain::new(
        &format!("http://127.0.0.1:{}", free_port()),
        keys(),
        quick(),
    )
    .unwrap();
    let t0 = std::time::Instant::now();
    let e = dead.block_number().await.unwrap_err();
    assert!(matches!(e, ChainError::Unreachable(_)), "{e}");
    assert!(t0.elapsed() < Duration::from_secs(10));

    // Back on the real node, the reopened database still has the game, which the tower wins.
    let mut tower = w.agent(2, "tower", WATCH, Behavior::honest()).await;
    assert_eq!(tower.store().games().unwrap(), games);
    let acts = run_until(&w, &mut [&mut liar, &mut tower], 200, |a| {
        !ended(&a[1]).is_empty()
    })
    .await;
    assert_eq!(ended(&acts[1]), vec![(0, true)]);
}

#[test]
fn demo_runs_against_anvil() {
    let anvil = Anvil::start();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opml"))
        .args(["demo", "--rpc-url", &anvil.url])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "finalized claim 0",
        "game 0 ended: WON",
        "the wrong claim was defeated",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in:\n{stdout}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_transaction_is_replaced_with_higher_fees() {
    // A node that mines only when told to: the first send is not mined in time.
    let anvil = Anvil::start_on(free_port(), &["--no-mining"]);
    let options = opml_challenger::chain::RpcOptions {
        replace_after: Duration::from_millis(700),
        replacements: 3,
        ..quick()
    };
    let chain = std::sync::Arc::new(RpcChain::new(&anvil.url, keys(), options).unwrap());
    let accounts: Vec<_> = keys().iter().map(|k| k.address()).collect();
    let sender = {
        let chain = chain.clone();
        let (from, to) = (accounts[1], accounts[2]);
        tokio::spawn(async move {
            chain
                .send(from, Some(to), Default::default(), U256::from(12345u64))
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // The miner wakes up: one of the versions is mined, and it is a replacement.
    let mine = RpcChain::new(&anvil.url, vec![], quick()).unwrap();
    mine.advance_time(0).await.unwrap(); // evm_increaseTime(0) + evm_mine
    let outcome = sender.await.unwrap().unwrap();
    assert!(outcome.replaced >= 1, "{outcome:?}");
    // The nonce was used once: the next transaction goes through after the next block.
    let next = {
        let chain = chain.clone();
        let (from, to) = (accounts[1], accounts[2]);
        tokio::spawn(async move {
            chain
                .send(from, Some(to), Default::default(), U256::from(1u64))
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    mine.advance_time(0).await.unwrap(); // evm_increaseTime(0) + evm_mine
    let second = next.await.unwrap().unwrap();
    assert_eq!(second.block, outcome.block + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watchtower_waiting_for_confirmations_still_wins() {
    // Logs are acted on 3 blocks deep; the pending revealed lists are read from the head.
    let anvil = Anvil::start();
    let w = world(&anvil.url, 3600, 3600, "confirm").await;
    let mut liar = w.agent(1, "liar", SERVE, liar()).await;
    let mut tower = w
        .agent_with(2, "tower", WATCH, Behavior::honest(), |c| {
            c.confirmations = 3
        })
        .await;
    liar.submit(w.model_id, 0, w.input(6)).await.unwrap();
    let acts = run_until(&w, &mut [&mut liar, &mut tower], 300, |a| {
        !ended(&a[1]).is_empty()
    })
    .await;
    assert_eq!(ended(&acts[1]), vec![(0, true)]);
}
