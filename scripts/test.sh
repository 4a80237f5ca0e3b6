#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what it needs (idempotently),
# then formatting and lint checks, Rust tests, reproducibility checks and release-mode runs.
# Usage: scripts/test.sh            (CI=true is honoured: no prompts, plain output)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

started=$(date +%s)
step() { printf '\n==> [%ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

step "system packages"
scripts/install-deps.sh

step "guest toolchains"
scripts/install-guest-toolchain.sh
scripts/build-conformance.sh --install-only

step "Foundry (forge, anvil) and solc from npm"
scripts/install-foundry.sh

export OPML_REQUIRE_GUEST_TOOLCHAIN=1
export CARGO_TERM_COLOR=never

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test (debug, workspace)"
cargo test --workspace --locked

step "opml demo: on the embedded chain, then on a fresh anvil"
target/debug/opml demo
anvil_port=$((20000 + RANDOM % 12000))
contracts/.tools/bin/anvil --host 127.0.0.1 --port "$anvil_port" >/dev/null 2>&1 &
anvil_pid=$!
trap 'kill $anvil_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$anvil_port") 2>/dev/null && break; sleep 0.1; done
target/debug/opml demo --rpc-url "http://127.0.0.1:$anvil_port"
kill $anvil_pid; trap - EXIT

step "contracts (forge fmt/build/test, gas snapshots, artifact freshness)"
scripts/test-contracts.sh

step "cargo test (optimized, long runs)"
cargo test --profile ci --locked -p opml-vm --test long_run -- --include-ignored

step "differential: 100,000 random steps, Solidity step in revm vs the Rust VM (optimized)"
OPML_DIFF_STEPS=100000 cargo test --profile ci --locked -p opml-challenger --test step_differential -- --ignored

step "dispute games: 200 seeded games on the contracts in revm beside the Rust referee (optimized)"
OPML_GAME_SEEDS=50 cargo test --profile ci --locked -p opml-challenger --test game_chain

printf '\nall tests passed in %ss\n' "$(( $(date +%s) - started ))"
