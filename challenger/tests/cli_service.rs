//! The service binaries on a real anvil: `opml deploy`, `opml model register` and `opml watch`
//! from a config file, its Prometheus endpoint, and a watchtower process killed with SIGKILL
//! mid-game and started again, which still wins.

mod support;

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use opml_challenger::chain::contracts::Event;
use opml_challenger::chain::{Chain, Opml};
use opml_challenger::game::onchain::game_abi::DisputeGame::DisputeGameEvents as G;
use opml_challenger::service::Behavior;
use support::*;

fn opml() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_opml"));
    c.env_remove("OPML_PRIVATE_KEY").env_remove("OPML_CONFIG");
    c
}

fn run_ok(c: &mut Command) -> String {
    let out = c.output().unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(out.status.success(), "{o}\n{e}");
    assert!(
        !o.contains(DEV_KEYS[2]) && !e.contains(DEV_KEYS[2]),
        "the key leaked"
    );
    o
}

/// One HTTP GET; the request is written in two pieces, as clients may.
fn http_get(port: u16, path: &str) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\n").as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(20));
    s.write_all(b"Host: x\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_watch(config: &std::path::Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(config.with_extension("log"))
        .unwrap();
    opml()
        .args(["watch", "--config"])
        .arg(config)
        .env("OPML_PRIVATE_KEY", DEV_KEYS[2])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_process_killed_mid_game_restarts_and_wins() {
    let anvil = Anvil::start();
    let dir = std::env::temp_dir().join(format!("opml-cli-service-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // Deploy and register with the binaries.
    let out = run_ok(
        opml()
            .args(["deploy", "--rpc-url", &anvil.url])
            .env("OPML_PRIVATE_KEY", DEV_KEYS[0]),
    );
    let oracle = out
        .lines()
        .find_map(|l| l.strip_prefix("oracle = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("deploy prints the oracle")
        .to_string();
    let model_path = dir.join("mlp.opml");
    std::fs::write(
        &model_path,
        opml_dnn::testmodels::mlp(7, &[784, 20, 10])
            .to_model_bytes("")
            .unwrap(),
    )
    .unwrap();
    let out = run_ok(
        opml()
            .args(["model", "register"])
            .arg(&model_path)
            .args([
                "--rpc-url",
                &anvil.url,
                "--oracle",
                &oracle,
                "--uri",
                "file://mlp",
            ])
            .env("OPML_PRIVATE_KEY", DEV_KEYS[0]),
    );
    assert!(out.contains("model 0 registered"), "{out}");

    // The watchtower process, configured by a file.
    let metrics_port = free_port();
    let config = dir.join("watch.toml");
    std::fs::write(
        &config,
        format!(
            "rpc_url = \"{}\"\noracle = \"{oracle}\"\ndatabase = \"watch.db\"\nmodels = [\"mlp.opml\"]\nconfirmations = 0\npoll_ms = 50\nmetrics = \"127.0.0.1:{metrics_port}\"\n",
            anvil.url
        ),
    )
    .unwrap();
    let mut tower = Killed(spawn_watch(&config));

    // A dishonest submitter in this process.
    let keys = keys();
    let chain = std::sync::Arc::new(
        opml_challenger::chain::RpcChain::new(&anvil.url, keys, quick()).unwrap(),
    );
    let opml = Opml::attach(chain.clone(), oracle.parse().unwrap())
        .await
        .unwrap();
    let w = World {
        chain: chain.clone(),
        opml: opml.clone(),
        model: std::sync::Arc::new(test_model()),
        model_id: 0,
        program: std::sync::Arc::new(opml_challenger::guest::job_program().unwrap()),
        settings: opml.settings().await.unwrap(),
        accounts: support::keys().iter().map(|k| k.address()).collect(),
        dir: dir.clone(),
    };
    let mut liar = w
        .agent(
            1,
            "liar",
            SERVE,
            Behavior {
                wrong_outputs: true,
                ..Behavior::honest()
            },
        )
        .await;
    liar.submit(0, 0, w.input(9)).await.unwrap();

    let chosen = |events: &[(opml_challenger::chain::ChainLog, Event)]| {
        events
            .iter()
            .filter(|(_, e)| {
                matches!(
                    e,
                    Event::Game(G::NodeChosen(_) | G::StepChosen(_) | G::ChildChosen(_))
                )
            })
            .count()
    };
    let ended = |events: &[(opml_challenger::chain::ChainLog, Event)]| {
        events.iter().find_map(|(_, e)| match e {
            Event::Game(G::GameEnded(g)) => Some(g.claimantWon),
            _ => None,
        })
    };
    let mut killed = false;
    let t0 = Instant::now();
    let outcome = loop {
        assert!(t0.elapsed() < Duration::from_secs(120), "game did not end");
        liar.tick().await.unwrap();
        let head = chain.block_number().await.unwrap();
        let events = opml.events(0, head).await.unwrap();
        if let Some(claimant_won) = ended(&events) {
            break claimant_won;
        }
        if !killed && chosen(&events) >= 2 {
            // The metrics endpoint answers while it plays.
            if let Ok(Some(status)) = tower.0.try_wait() {
                let log = std::fs::read_to_string(config.with_extension("log")).unwrap_or_default();
                panic!("the watchtower exited ({status}):\n{log}");
            }
            let m = http_get(metrics_port, "/metrics");
            assert!(m.starts_with("HTTP/1.1 200"), "{m}");
            assert!(m.contains("opml_claims_seen_total 1"), "{m}");
            assert!(m.contains("opml_games{kind=\"active\"} 1"), "{m}");
            assert!(http_get(metrics_port, "/nope").starts_with("HTTP/1.1 404"));
            tower.0.kill().unwrap();
            tower.0.wait().unwrap();
            killed = true;
            tower = Killed(spawn_watch(&config));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    drop(tower);
    let log = std::fs::read_to_string(config.with_extension("log")).unwrap_or_default();
    assert!(!log.contains("ERROR"), "{log}");
    assert!(killed, "the game ended before the kill");
    assert!(!outcome, "the watchtower won");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn service_commands_explain_missing_settings() {
    let out = opml()
        .args(["watch", "--model", "x.opml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("no JSON-RPC node"), "{e}");

    let out = opml()
        .args(["deploy", "--rpc-url", "http://127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("no signing key"), "{e}");

    let out = opml()
        .args(["deploy", "--rpc-url", "http://127.0.0.1:1"])
        .env("OPML_PRIVATE_KEY", "0xnot-a-key-but-secret")
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("not a 32-byte hex private key"), "{e}");
    assert!(!e.contains("not-a-key-but-secret"), "{e}");

    let dir = std::env::temp_dir().join(format!("opml-cli-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "rpc_url = \"http://127.0.0.1:1\"\nconfirmatons = 3\n").unwrap();
    let out = opml()
        .args(["watch", "--config"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("invalid config") && e.contains("confirmatons"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_process_answers_requests_and_finalizes_its_claims() {
    use opml_challenger::game::onchain::oracle_abi::InferenceOracle::InferenceOracleEvents as O;
    let anvil = Anvil::start();
    let w = world(&anvil.url, 3600, 600, "serve").await;
    let model_path = w.dir.join("mlp.opml");
    std::fs::write(
        &model_path,
        opml_dnn::testmodels::mlp(7, &[784, 20, 10])
            .to_model_bytes("")
            .unwrap(),
    )
    .unwrap();
    let config = w.dir.join("serve.toml");
    std::fs::write(
        &config,
        format!(
            "rpc_url = \"{}\"\noracle = \"{}\"\ndatabase = \"serve.db\"\nmodels = [\"mlp.opml\"]\nconfirmations = 0\npoll_ms = 50\n",
            anvil.url, w.opml.addresses.oracle
        ),
    )
    .unwrap();
    // One claim without a request, by `opml submit`.
    let input = w.dir.join("input.bin");
    std::fs::write(&input, w.input(11)).unwrap();
    let out = run_ok(
        opml()
            .arg("submit")
            .arg(&model_path)
            .arg(&input)
            .arg("--config")
            .arg(&config)
            .env("OPML_PRIVATE_KEY", DEV_KEYS[2]),
    );
    assert!(out.contains("claim 0:"), "{out}");
    let log_path = w.dir.join("serve.log");
    let serve = Killed(
        opml()
            .args(["serve", "--log-format", "json", "--config"])
            .arg(&config)
            .env("OPML_PRIVATE_KEY", DEV_KEYS[2])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log_path).unwrap())
            .spawn()
            .unwrap(),
    );
    // A consumer's request.
    let fee = alloy_primitives::U256::from(10u64.pow(15));
    w.opml
        .request_inference(w.accounts[4], w.model_id, &w.input(12), fee)
        .await
        .unwrap();
    let t0 = Instant::now();
    let mut advanced = false;
    let finalized = loop {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "claims not finalized"
        );
        let head = w.chain.block_number().await.unwrap();
        let events = w.opml.events(0, head).await.unwrap();
        let claims = events
            .iter()
            .filter(|(_, e)| matches!(e, Event::Oracle(O::ClaimSubmitted(c)) if c.claimant == w.accounts[2]))
            .count();
        let finalized = events
            .iter()
            .filter(|(_, e)| matches!(e, Event::Oracle(O::ClaimFinalized(_))))
            .count();
        if finalized == 2 {
            break finalized;
        }
        if claims == 2 && !advanced {
            w.chain.advance_time(601).await.unwrap();
            advanced = true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(finalized, 2);
    // The consumer's result is recorded; the submitter was paid (it withdraws by itself).
    let t0 = Instant::now();
    while w.opml.credit(w.accounts[2]).await.unwrap() != alloy_primitives::U256::ZERO {
        assert!(t0.elapsed() < Duration::from_secs(20), "no withdrawal");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(serve);
    let logs = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        logs.lines()
            .any(|l| l.starts_with('{') && l.contains("\"level\"")),
        "{logs}"
    );
    assert!(!logs.contains(DEV_KEYS[2]), "the key leaked into the logs");
}

#[test]
fn deploy_signs_with_an_encrypted_keystore() {
    let anvil = Anvil::start();
    let dir = std::env::temp_dir().join(format!("opml-keystore-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let key = hex::decode(DEV_KEYS[5]).unwrap();
    let (signer, _) = alloy_signer_local::PrivateKeySigner::encrypt_keystore(
        &dir,
        &mut rand::thread_rng(),
        &key,
        "correct horse",
        Some("deployer.json"),
    )
    .unwrap();
    let keystore = dir.join("deployer.json");
    // Wrong password: a clear error.
    let out = opml()
        .args(["deploy", "--rpc-url", &anvil.url, "--keystore"])
        .arg(&keystore)
        .env("OPML_KEYSTORE_PASSWORD", "wrong")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot decrypt keystore"));
    // Right password: deployed from the keystore's account.
    let out = run_ok(
        opml()
            .args(["deploy", "--rpc-url", &anvil.url, "--keystore"])
            .arg(&keystore)
            .env("OPML_KEYSTORE_PASSWORD", "correct horse"),
    );
    assert!(out.starts_with("oracle = \"0x"), "{out}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let nonce = rt.block_on(async {
        use alloy_provider::Provider;
        let p: alloy_provider::RootProvider =
            alloy_provider::ProviderBuilder::default().connect_http(anvil.url.parse().unwrap());
        p.get_transaction_count(signer.address()).await.unwrap()
    });
    assert_eq!(
        nonce, 3,
        "Step, ModelRegistry and InferenceOracle from the keystore's account"
    );
    assert!(!out.contains(DEV_KEYS[5]));
    let _ = std::fs::remove_dir_all(&dir);
}
