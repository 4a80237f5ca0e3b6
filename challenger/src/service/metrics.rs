//! Prometheus metrics of the service, and a minimal HTTP endpoint that serves them.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A label of one value.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Label {
    /// The value (a verdict, a game state, a move, an outcome).
    pub kind: String,
}

impl Label {
    fn of(kind: &str) -> Self {
        Self { kind: kind.into() }
    }
}

/// The service's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Claims seen on chain.
    pub claims_seen: Counter,
    /// Claims recomputed, by verdict (`agree`, `disagree`, `unknown_model`).
    pub claims_verified: Family<Label, Counter>,
    /// Claims this service submitted.
    pub claims_submitted: Counter,
    /// Games this service plays, by state (`active`, `won`, `lost`).
    pub games: Family<Label, Gauge>,
    /// Moves sent, by function.
    pub moves: Family<Label, Counter>,
    /// Bonds won and lost, in gwei.
    pub bonds_gwei: Family<Label, Counter>,
    /// Blocks between the chain's head and the last processed block.
    pub lag_blocks: Gauge,
    /// Failed chain calls (the service retries them).
    pub chain_errors: Counter,
    /// Seconds from seeing a wrong claim to its challenge being mined.
    pub challenge_seconds: Histogram,
    /// Seconds to recompute a claim.
    pub recompute_seconds: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registered metrics, all zero.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("opml");
        let buckets =
            || Histogram::new([0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0]);
        let m = Self {
            claims_seen: Counter::default(),
            claims_verified: Family::default(),
            claims_submitted: Counter::default(),
            games: Family::default(),
            moves: Family::default(),
            bonds_gwei: Family::default(),
            lag_blocks: Gauge::default(),
            chain_errors: Counter::default(),
            challenge_seconds: buckets(),
            recompute_seconds: buckets(),
            registry: Registry::default(),
        };
        registry.register("claims_seen", "Claims seen on chain", m.claims_seen.clone());
        registry.register(
            "claims_verified",
            "Claims recomputed, by verdict",
            m.claims_verified.clone(),
        );
        registry.register(
            "claims_submitted",
            "Claims this service submitted",
            m.claims_submitted.clone(),
        );
        registry.register("games", "Games by state", m.games.clone());
        registry.register("moves", "Moves sent, by function", m.moves.clone());
        registry.register(
            "bonds_gwei",
            "Bonds won and lost, in gwei",
            m.bonds_gwei.clone(),
        );
        registry.register(
            "lag_blocks",
            "Blocks between the head and the last processed block",
            m.lag_blocks.clone(),
        );
        registry.register("chain_errors", "Failed chain calls", m.chain_errors.clone());
        registry.register(
            "challenge_seconds",
            "Seconds from seeing a wrong claim to its challenge being mined",
            m.challenge_seconds.clone(),
        );
        registry.register(
            "recompute_seconds",
            "Seconds to recompute a claim",
            m.recompute_seconds.clone(),
        );
        Self { registry, ..m }
    }

    /// Counts one claim verdict.
    pub fn verdict(&self, kind: &str) {
        self.claims_verified.get_or_create(&Label::of(kind)).inc();
    }

    /// Counts one move.
    pub fn moved(&self, function: &str) {
        self.moves.get_or_create(&Label::of(function)).inc();
    }

    /// Sets the number of games in `state`.
    pub fn set_games(&self, state: &str, n: i64) {
        self.games.get_or_create(&Label::of(state)).set(n);
    }

    /// Adds `gwei` to the bonds won (`"won"`) or lost (`"lost"`).
    pub fn bonds(&self, outcome: &str, gwei: u64) {
        self.bonds_gwei
            .get_or_create(&Label::of(outcome))
            .inc_by(gwei);
    }

    /// The metrics in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

/// A counter value, for tests and summaries.
pub fn value(c: &Counter<u64, AtomicU64>) -> u64 {
    c.get()
}

/// Connections served at once; more wait in the listen queue.
const MAX_CONNECTIONS: usize = 16;

/// Serves `GET /metrics` on `listener` until the task is dropped. At most
/// [`MAX_CONNECTIONS`] at a time, each given 5 s to ask and 5 s to read the answer.
pub async fn serve(listener: TcpListener, metrics: Arc<Metrics>) {
    use std::time::Duration;
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return;
        };
        let mut socket = match listener.accept().await {
            Ok((socket, _)) => socket,
            Err(e) => {
                // Out of file descriptors, typically: do not spin.
                tracing::warn!(error = %e, "metrics endpoint cannot accept");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let metrics = metrics.clone();
        tokio::spawn(async move {
            let _permit = permit;
            // The request head, until its blank line (at most 1 KiB, within 5 s).
            let mut buf = vec![0u8; 1024];
            let mut n = 0;
            let read_head = async {
                while n < buf.len() && !buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf[n..]).await {
                        Ok(0) | Err(_) => return false,
                        Ok(k) => n += k,
                    }
                }
                true
            };
            if !matches!(
                tokio::time::timeout(Duration::from_secs(5), read_head).await,
                Ok(true)
            ) {
                return;
            }
            let head = String::from_utf8_lossy(&buf[..n]);
            let path = head.split_whitespace().nth(1).unwrap_or("");
            let (status, body) = if head.starts_with("GET ") && path == "/metrics" {
                ("200 OK", metrics.render())
            } else {
                ("404 Not Found", "only GET /metrics is served\n".to_string())
            };
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ =
                tokio::time::timeout(Duration::from_secs(5), socket.write_all(reply.as_bytes()))
                    .await;
        });
    }
}
