#!/usr/bin/env bash
# Installs Foundry (forge, anvil, cast) and solc from npm into contracts/.tools (git-ignored),
# idempotently and quietly when they are already there. Versions are pinned by
# contracts/package.json + contracts/package-lock.json (`npm ci`).
#
# After it runs, contracts/.tools/bin holds:
#   forge anvil cast   the Foundry binaries (symlinks into node_modules)
#   solc               a shim that runs the npm wasm build of solc (solc.js) for forge: it answers
#                      `--version` the way forge parses it and compiles `--standard-json` input
#                      from stdin. contracts/foundry.toml points `solc` at it (offline = true),
#                      so forge never tries to download a compiler.
# Prints nothing when everything is present; prints the bin folder with --print-bin.
# Needs only node >= 20 and npm.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
contracts=$root/contracts
tools=$contracts/.tools
bin=$tools/bin

stamp=$tools/.installed
want=$(cat "$contracts/package.json" "$contracts/package-lock.json" "$0" "$root/scripts/solc-wrapper.js" |
  sha256sum | cut -d' ' -f1)

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x "$bin/forge" ] || [ ! -x "$bin/solc" ]; then
  command -v node >/dev/null || { echo "install-foundry: node (>= 20) is required" >&2; exit 1; }
  command -v npm >/dev/null || { echo "install-foundry: npm is required" >&2; exit 1; }
  echo "install-foundry: installing forge/anvil/cast and solc from npm into contracts/.tools" >&2
  mkdir -p "$tools"
  cp "$contracts/package.json" "$contracts/package-lock.json" "$tools/"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  rm -rf "$bin"
  mkdir -p "$bin"
  for t in forge anvil cast; do
    exe=$tools/node_modules/@foundry-rs/$t-linux-amd64/bin/$t
    [ -f "$exe" ] || { echo "install-foundry: $exe missing after npm ci" >&2; exit 1; }
    chmod +x "$exe"
    ln -s "../node_modules/@foundry-rs/$t-linux-amd64/bin/$t" "$bin/$t"
  done
  cp "$root/scripts/solc-wrapper.js" "$tools/solc-wrapper.js"
  cat >"$bin/solc" <<'SH'
#!/bin/sh
# solc for forge: the npm wasm build behind a solc-compatible command line.
exec node "$(dirname "$0")/../solc-wrapper.js" "$@"
SH
  chmod +x "$bin/solc"
  "$bin/forge" --version >/dev/null
  "$bin/solc" --version >/dev/null
  echo "$want" >"$stamp"
fi
if [ "${1:-}" = "--print-bin" ]; then
  echo "$bin"
fi
