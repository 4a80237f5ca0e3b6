#!/usr/bin/env bash
# Assembles the RV32IM conformance programs: vm/tests/programs/src/*.S -> vm/tests/programs/*.elf.
#
# Usage: scripts/build-conformance.sh                 rebuild the committed ELFs
#        scripts/build-conformance.sh --check         rebuild into a temp dir, compare, fail on drift
#        scripts/build-conformance.sh --install-only  only install the assembler if missing
#
# Needs Debian's binutils-riscv64-unknown-elf (installed here if missing; no compiler is used).
# Every program is assembled with -march=rv32im -mabi=ilp32 (no compressed instructions: the
# EF_RISCV_RVC flag is checked clear) and linked with src/link.ld at 0x10000 into a static
# ET_EXEC without a build id. The output is reproducible: same sources, same bytes.
# (The few programs using fence.i, pause or a CSR opt in with `.option arch, +zifencei` etc.)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --install-only) mode=install ;;
  -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--check | --install-only]" >&2; exit 2 ;;
esac

AS=riscv64-unknown-elf-as
LD=riscv64-unknown-elf-ld

if ! command -v "$AS" >/dev/null || ! command -v "$LD" >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  command -v apt-get >/dev/null || {
    echo "$AS is missing and there is no apt-get: install GNU binutils for riscv64-unknown-elf" >&2
    exit 1
  }
  echo "installing binutils-riscv64-unknown-elf" >&2
  log=$(mktemp)
  if ! { $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq binutils-riscv64-unknown-elf; } \
    >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "installing binutils-riscv64-unknown-elf failed" >&2
    exit 1
  fi
  rm -f "$log"
fi
[ "$mode" = install ] && exit 0

src=vm/tests/programs/src
dest=vm/tests/programs
out=$dest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ "$mode" = check ] && out=$tmp/out && mkdir -p "$out"

shopt -s nullglob
sources=("$src"/*.S)
((${#sources[@]})) || { echo "no sources in $src" >&2; exit 1; }

for path in "${sources[@]}"; do
  name=$(basename "$path" .S)
  # Assemble from inside src/ with bare file names, so nothing of the checkout's location ends
  # up in the object (the STT_FILE symbol holds the name as given).
  (cd "$src" && "$AS" -march=rv32im -mabi=ilp32 -mno-relax -mno-arch-attr \
    -o "$tmp/$name.o" "$name.S")
  "$LD" -m elf32lriscv -static --build-id=none --no-relax --no-warn-rwx-segments -T "$src/link.ld" \
    -o "$out/$name.elf" "$tmp/$name.o"
  # e_flags (offset 36, little-endian): bit 0 is EF_RISCV_RVC.
  flags=$(od -An -tu4 -j36 -N4 "$out/$name.elf" | tr -d ' ')
  if ((flags & 1)); then
    echo "$name.elf uses compressed instructions (EF_RISCV_RVC set)" >&2
    exit 1
  fi
  # e_type (offset 16) must be ET_EXEC = 2.
  kind=$(od -An -tu2 -j16 -N2 "$out/$name.elf" | tr -d ' ')
  if [ "$kind" != 2 ]; then
    echo "$name.elf is not a static executable (e_type $kind)" >&2
    exit 1
  fi
done

if [ "$mode" = check ]; then
  status=0
  for f in "$out"/*.elf; do
    name=$(basename "$f")
    if [ ! -f "$dest/$name" ]; then
      echo "missing: $dest/$name is not built (run scripts/build-conformance.sh)" >&2
      status=1
    elif ! cmp -s "$f" "$dest/$name"; then
      echo "stale: $dest/$name differs from a rebuild of $src/${name%.elf}.S" \
        "(run scripts/build-conformance.sh and commit the result)" >&2
      status=1
    fi
  done
  for f in "$dest"/*.elf; do
    name=$(basename "$f")
    if [ ! -f "$out/$name" ]; then
      echo "orphan: $dest/$name has no source $src/${name%.elf}.S" >&2
      status=1
    fi
  done
  if ((status)); then
    echo "conformance ELFs are NOT reproducible from their sources" >&2
    exit 1
  fi
  echo "conformance ELFs match their sources (${#sources[@]} programs)"
else
  # Drop ELFs whose source is gone.
  for f in "$dest"/*.elf; do
    [ -f "$src/$(basename "$f" .elf).S" ] || rm -f "$f"
  done
  echo "built ${#sources[@]} conformance programs into $dest"
fi
