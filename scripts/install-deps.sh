#!/usr/bin/env bash
# Installs the system packages the tests use, idempotently: only what is missing, one apt update.
set -euo pipefail
need=()
command -v qemu-riscv32-static >/dev/null || need+=(qemu-user-static)
command -v cc >/dev/null || need+=(build-essential)
if ((${#need[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "cargo (rustup) is required: https://rustup.rs" >&2; exit 1; }
