#!/usr/bin/env bash
# Builds and tests the Foundry project in contracts/ on a fresh machine (needs only node + npm):
# installs forge and solc from npm (scripts/install-foundry.sh), then
#   forge fmt --check, forge build, forge test (golden vectors from vm/tests/step_vectors.rs, fuzzing, gas bounds),
#   forge snapshot --check   the committed contracts/.gas-snapshot (tolerance 0: gas is exact and
#                            the fuzz seed is fixed, so any change is a real change),
#   the gas-per-instruction-class snapshot contracts/snapshots/StepGas.json (exact),
#   the embedded artifact    contracts/artifacts/Step.json (ABI + bytecode the Rust side embeds)
#                            must equal a fresh build.
# forge reads `solc = ".tools/bin/solc"` from contracts/foundry.toml relative to the working
# directory: run forge inside contracts/ with PATH="$(scripts/install-foundry.sh --print-bin):$PATH",
# or elsewhere with FOUNDRY_SOLC=<repo>/contracts/.tools/bin/solc.
# Usage: scripts/test-contracts.sh           check everything
#        scripts/test-contracts.sh --bless   rewrite .gas-snapshot, snapshots/ and artifacts/
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."
root=$PWD

mode=check
case "${1:-}" in
  "") ;;
  --bless) mode=bless ;;
  -h | --help) sed -n '2,14p' "$self" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--bless]" >&2; exit 2 ;;
esac

bin=$(scripts/install-foundry.sh --print-bin)
export PATH="$bin:$PATH"
cd contracts

# Only the gas-measurement tests go into .gas-snapshot: their numbers do not move when vectors
# are added to the fixture.
snap_filter='^test_.*_gas'

if [ "$mode" = check ]; then
  echo "==> forge fmt --check"
  forge fmt --check
fi

echo "==> forge build"
forge build

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The contracts the Rust side embeds (ABI + bytecode), one artifact each.
deployable=(Step ModelRegistry InferenceOracle DisputeGame)

# artifact NAME: ABI + bytecode of contract NAME, as the Rust side embeds it.
artifact() {
  node -e '
    const fs = require("fs");
    const a = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const out = {
      contractName: process.argv[4],
      compiler: process.argv[2],
      evmVersion: process.argv[3],
      abi: a.abi,
      bytecode: a.bytecode.object,
      deployedBytecode: a.deployedBytecode.object,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  ' "out/$1.sol/$1.json" "$(solc --version | sed -n 's/^Version: //p')" \
    "$(sed -n 's/^evm_version *= *"\(.*\)"/\1/p' foundry.toml)" "$1"
}

if [ "$mode" = bless ]; then
  echo "==> forge test (writing snapshots/)"
  rm -rf snapshots
  FORGE_SNAPSHOT_EMIT=true forge test
  echo "==> forge snapshot (writing .gas-snapshot)"
  forge snapshot --match-test "$snap_filter"
  mkdir -p artifacts
  for c in "${deployable[@]}"; do artifact "$c" >"artifacts/$c.json"; done
  echo "blessed: contracts/.gas-snapshot, contracts/snapshots/, contracts/artifacts/"
  exit 0
fi

echo "==> forge test"
# FORGE_SNAPSHOT_CHECK: snapshotGasLastCall values must equal the committed snapshots/*.json.
FORGE_SNAPSHOT_CHECK=true forge test

echo "==> forge snapshot --check"
forge snapshot --match-test "$snap_filter" --check

echo "==> artifact freshness (contracts/artifacts/)"
for c in "${deployable[@]}"; do
  artifact "$c" >"$tmp/$c.json"
  if ! cmp -s "$tmp/$c.json" "artifacts/$c.json"; then
    echo "contracts/artifacts/$c.json is stale or missing:" \
      "run scripts/test-contracts.sh --bless and commit the result" >&2
    diff <(head -c 2000 "artifacts/$c.json" 2>/dev/null || true) <(head -c 2000 "$tmp/$c.json") >&2 || true
    exit 1
  fi
done
echo "contracts: all checks passed"
