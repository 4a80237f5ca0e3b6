#!/usr/bin/env bash
# Installs the RISC-V guest toolchain from Debian's packages, idempotently and quietly when it is
# already there: rustc-web + cargo-web (/usr/bin/rustc, /usr/bin/cargo, Rust 1.96), rust-web-src
# (the standard library sources that -Zbuild-std compiles for riscv32im) and lld (ld.lld).
# Used by scripts/build-guest.sh; see docs/spec.md and DESIGN.md "Toolchains".
set -euo pipefail

rust_src_present() {
  [ -x /usr/bin/rustc ] || return 1
  local sysroot
  sysroot=$(/usr/bin/rustc --print sysroot 2>/dev/null) || return 1
  [ -f "$sysroot/lib/rustlib/src/rust/library/core/src/lib.rs" ]
}

missing=()
[ -x /usr/bin/rustc ] || missing+=(rustc)
[ -x /usr/bin/cargo ] || missing+=(cargo)
rust_src_present || missing+=(rust-src)
command -v ld.lld >/dev/null 2>&1 || missing+=(ld.lld)
((${#missing[@]})) || exit 0

echo "guest toolchain: missing ${missing[*]}; installing rustc-web cargo-web rust-web-src lld" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustc-web cargo-web rust-web-src lld >/dev/null

rust_src_present && command -v ld.lld >/dev/null 2>&1 && [ -x /usr/bin/cargo ] || {
  echo "guest toolchain: installation did not provide /usr/bin/rustc, /usr/bin/cargo, rust-src and ld.lld" >&2
  exit 1
}
