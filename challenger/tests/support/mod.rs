//! A real anvil on loopback for end-to-end tests, and the parties of a deployment on it.

#![allow(dead_code, unreachable_pub)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use alloy_primitives::{Address, U256};
use alloy_signer_local::PrivateKeySigner;
use opml_challenger::chain::{Chain, Opml, RpcChain, RpcOptions};
use opml_challenger::game::engine::Params;
use opml_challenger::game::onchain::Settings;
use opml_challenger::guest::job_program;
use opml_challenger::service::{Agent, AgentConfig, Behavior, Metrics, Roles, Store};
use opml_dnn::exec::Backend;
use opml_dnn::fast::FastCpuBackend;
use opml_dnn::model::Model;
use opml_vm::Program;

/// anvil's funded development keys (its default mnemonic).
pub const DEV_KEYS: [&str; 6] = [
    "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
];

/// The anvil binary: $ANVIL, or the one scripts/install-foundry.sh puts in contracts/.tools.
pub fn anvil_bin() -> PathBuf {
    if let Ok(p) = std::env::var("ANVIL") {
        return PathBuf::from(p);
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts/.tools/bin/anvil");
    assert!(
        p.exists(),
        "anvil not found at {}: run scripts/install-foundry.sh (or set ANVIL)",
        p.display()
    );
    p
}

/// A free loopback port below Linux's ephemeral range (32768 and up), so that no outgoing
/// connection takes it between this check and the server's bind.
pub fn free_port() -> u16 {
    loop {
        let port = 20_000 + rand::random::<u16>() % 12_000;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// A running anvil, killed on drop.
pub struct Anvil {
    child: Option<Child>,
    /// Its port.
    pub port: u16,
    /// Its URL.
    pub url: String,
}

impl Anvil {
    /// Starts anvil on `port` with extra `args`, and waits until it answers.
    pub fn start_on(port: u16, args: &[&str]) -> Self {
        let child = Command::new(anvil_bin())
            .args(["--port", &port.to_string(), "--host", "127.0.0.1"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start anvil");
        let url = format!("http://127.0.0.1:{port}");
        let anvil = Self {
            child: Some(child),
            port,
            url,
        };
        let t0 = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "anvil did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        anvil
    }

    /// Starts anvil on a free port.
    pub fn start() -> Self {
        Self::start_on(free_port(), &[])
    }

    /// Stops anvil gracefully (SIGINT: it writes its --dump-state) and waits for it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
            let t0 = Instant::now();
            while t0.elapsed() < Duration::from_secs(20) {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Keys for the dev accounts.
pub fn keys() -> Vec<PrivateKeySigner> {
    DEV_KEYS.iter().map(|k| k.parse().unwrap()).collect()
}

/// Fast retries: tests want failures quickly.
pub fn quick() -> RpcOptions {
    RpcOptions {
        attempts: 3,
        backoff: Duration::from_millis(100),
        poll: Duration::from_millis(20),
        replace_after: Duration::from_secs(20),
        replacements: 2,
        request_timeout: Duration::from_secs(10),
    }
}

/// A deployment with one registered model.
pub struct World {
    /// The chain.
    pub chain: Arc<RpcChain>,
    /// The contracts.
    pub opml: Opml<RpcChain>,
    /// The model.
    pub model: Arc<Model>,
    /// Its id.
    pub model_id: u64,
    /// The guest.
    pub program: Arc<Program>,
    /// The settings deployed.
    pub settings: Settings,
    /// dev accounts 0..6.
    pub accounts: Vec<Address>,
    /// Scratch folder for databases and files.
    pub dir: PathBuf,
}

/// The test model: the MNIST-sized MLP (784 → 20 → 10) with seeded random weights.
pub fn test_model() -> Model {
    let bytes = opml_dnn::testmodels::mlp(7, &[784, 20, 10])
        .to_model_bytes("")
        .unwrap();
    Model::from_bytes(bytes).unwrap()
}

/// Deploys the contracts with `clock` and `window` and registers the test model.
pub async fn world(url: &str, clock: u64, window: u64, name: &str) -> World {
    let keys = keys();
    let accounts: Vec<Address> = keys.iter().map(|k| k.address()).collect();
    let chain = Arc::new(RpcChain::new(url, keys, quick()).unwrap());
    let program = Arc::new(job_program().unwrap());
    let settings = Settings {
        params: Params::default(),
        clock,
        claim_bond: U256::from(10u64.pow(17)),
        challenge_bond: U256::from(10u64.pow(17)),
        window,
    };
    let opml = Opml::deploy(
        chain.clone(),
        accounts[0],
        &settings,
        program.program_root().unwrap(),
        program.entry,
    )
    .await
    .unwrap();
    let model = Arc::new(test_model());
    let (model_id, _) = opml
        .register_model(accounts[0], &model, "opml://test/mlp")
        .await
        .unwrap();
    let dir = std::env::temp_dir().join(format!("opml-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    World {
        chain,
        opml,
        model,
        model_id,
        program,
        settings,
        accounts,
        dir,
    }
}

impl World {
    /// An agent of dev account `i` with a database `name` in the scratch folder.
    pub async fn agent(
        &self,
        i: usize,
        name: &str,
        roles: Roles,
        behavior: Behavior,
    ) -> Agent<RpcChain> {
        self.agent_with(i, name, roles, behavior, |_| {}).await
    }

    /// [`World::agent`] with its configuration changed by `tweak`.
    pub async fn agent_with(
        &self,
        i: usize,
        name: &str,
        roles: Roles,
        behavior: Behavior,
        tweak: impl FnOnce(&mut AgentConfig),
    ) -> Agent<RpcChain> {
        let mut config = AgentConfig::new(self.accounts[i], roles);
        config.behavior = behavior;
        tweak(&mut config);
        let store = Store::open(&self.dir.join(format!("{name}.db"))).unwrap();
        let backend: Arc<dyn Backend + Send> = Arc::new(FastCpuBackend::new());
        Agent::new(
            self.opml.clone(),
            config,
            self.program.clone(),
            vec![self.model.clone()],
            backend,
            store,
            Arc::new(Metrics::new()),
        )
        .await
        .unwrap()
    }

    /// A seeded random input of the test model.
    pub fn input(&self, seed: u32) -> Vec<u8> {
        opml_dnn::testmodels::random_input(seed, self.model.input_info())
    }

    /// The chain's time.
    pub async fn now(&self) -> u64 {
        self.chain.timestamp().await.unwrap()
    }
}

/// Roles.
pub const SERVE: Roles = Roles {
    serve: true,
    watch: false,
};
/// Roles.
pub const WATCH: Roles = Roles {
    serve: false,
    watch: true,
};
