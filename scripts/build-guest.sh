#!/usr/bin/env bash
# Builds the RISC-V guest (dnn-lib/guest) reproducibly for riscv32im-unknown-none-elf.
#
#   scripts/build-guest.sh          build into target/guest, copy the ELFs to dnn-lib/guest/bin/
#                                   and write dnn-lib/guest/bin/program-roots.json
#   scripts/build-guest.sh --check  build into a temporary directory and compare the ELF bytes and
#                                   program roots with the committed ones; exit 1 on a difference
#
# The build is reproducible: the same sources give the same bytes (and so the same program roots)
# whatever the checkout directory, CARGO_HOME or user. Cargo hashes the absolute path of the
# opml-dnn path dependency into symbol names, which changes the code layout, so the sources are
# first copied to one fixed directory (/tmp/opml-guest-src, under a lock) and built there. Debian's toolchain (/usr/bin/rustc 1.96,
# /usr/bin/cargo, rust-web-src, ld.lld; scripts/install-guest-toolchain.sh) builds core and alloc
# from source with -Zbuild-std (RUSTC_BOOTSTRAP=1). Machine paths are remapped
# (--remap-path-prefix for the repository, CARGO_HOME and the rust-src directory), the linker
# writes no build id, and the release profile of dnn-lib/guest/Cargo.toml has no debuginfo and
# strips symbols.
set -euo pipefail

usage() { echo "usage: $0 [--check]" >&2; exit 2; }
check=0
case "${1-}" in
  "") ;;
  --check) check=1 ;;
  -h | --help) usage ;;
  *) usage ;;
esac
[ $# -le 1 ] || usage

root=$(cd "$(dirname "$0")/.." && pwd -P)
guest=$root/dnn-lib/guest
bin_dir=$guest/bin
target=riscv32im-unknown-none-elf

"$root/scripts/install-guest-toolchain.sh"

# Stage the sources at a fixed path (see above): the workspace manifest (members reduced to the
# crates the guest resolves), vm/ and dnn-lib/ without build outputs.
src_root=/tmp/opml-guest-src
exec 9>"$src_root.lock"
flock 9
rm -rf "$src_root"
mkdir -p "$src_root"
cp -a "$root/vm" "$root/dnn-lib" "$src_root/"
rm -rf "$src_root/dnn-lib/guest/bin" "$src_root/dnn-lib/guest/target" "$src_root/vm/target"
sed 's/^members = .*/members = ["vm", "dnn-lib"]/' "$root/Cargo.toml" >"$src_root/Cargo.toml"
guest_src=$src_root/dnn-lib/guest

rustc=/usr/bin/rustc
cargo=/usr/bin/cargo
sysroot=$("$rustc" --print sysroot)
rust_src=$sysroot/lib/rustlib/src/rust
rust_src_real=$(cd "$rust_src" && pwd -P)
cargo_home=${CARGO_HOME:-$HOME/.cargo}
linker=$(command -v ld.lld)

# Bin targets, in Cargo.toml order.
mapfile -t bins < <(awk '/^\[\[bin\]\]/ { inbin = 1; next } /^\[/ { inbin = 0 }
  inbin && /^name *=/ { gsub(/^name *= *"|".*$/, ""); print }' "$guest/Cargo.toml")
((${#bins[@]})) || { echo "build-guest: no [[bin]] in $guest/Cargo.toml" >&2; exit 1; }

if ((check)); then
  work=$(mktemp -d "${TMPDIR:-/tmp}/opml-guest-check.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  target_dir=$work/target
  out_dir=$work/bin
else
  target_dir=$root/target/guest
  out_dir=$bin_dir
fi
mkdir -p "$out_dir"

# rustc applies the last matching --remap-path-prefix: most specific last.
flags=(
  "-Clinker=$linker"
  -Clink-arg=-Tlink.x
  -Clink-arg=--build-id=none
  -Cdebuginfo=0
  "--remap-path-prefix=$cargo_home=/cargo"
  "--remap-path-prefix=$rust_src_real=/rust-src"
  "--remap-path-prefix=$rust_src=/rust-src"
  "--remap-path-prefix=$root=/opml"
  "--remap-path-prefix=$src_root=/opml"
)
encoded=$(printf '%s\x1f' "${flags[@]}")
encoded=${encoded%$'\x1f'}

echo "build-guest: building ${bins[*]} for $target" >&2
(
  cd "$guest_src"
  # Nothing from the caller's environment may change the flags or the compiler.
  unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER \
    CARGO_TARGET_DIR CARGO_BUILD_TARGET CARGO_BUILD_TARGET_DIR CARGO_PROFILE_RELEASE_DEBUG \
    CARGO_PROFILE_RELEASE_LTO CARGO_PROFILE_RELEASE_OPT_LEVEL CARGO_PROFILE_RELEASE_CODEGEN_UNITS
  RUSTC_BOOTSTRAP=1 RUSTC=$rustc CARGO_INCREMENTAL=0 CARGO_ENCODED_RUSTFLAGS=$encoded \
    CARGO_TERM_PROGRESS_WHEN=never \
    "$cargo" build --release --locked -q \
    -Zbuild-std=core,alloc --target "$target" --target-dir "$target_dir" --bins
)

for b in "${bins[@]}"; do
  cp "$target_dir/$target/release/$b" "$out_dir/$b.elf"
  chmod 0755 "$out_dir/$b.elf"  # qemu-user runs only executable files
  if strings -a "$out_dir/$b.elf" | grep -E '/work|/root|/home|/usr|/tmp' >&2; then
    echo "build-guest: $b.elf contains machine paths (above): the build is not reproducible" >&2
    exit 1
  fi
done

# Program roots from the opml binary (the VM's ELF loader), keys in Cargo.toml order.
roots=$out_dir/program-roots.json
{
  echo "{"
  n=0
  for b in "${bins[@]}"; do
    report=$(cd "$root" && cargo run -q -p opml-challenger -- vm run "$out_dir/$b.elf" --json --max-steps 0)
    r=$(sed -n 's/.*"program_root":"\(0x[0-9a-f]\{64\}\)".*/\1/p' <<<"$report")
    [ -n "$r" ] || { echo "build-guest: no program_root in: $report" >&2; exit 1; }
    n=$((n + 1))
    sep=","
    [ "$n" -lt "${#bins[@]}" ] || sep=""
    printf '  "%s": "%s"%s\n' "$b" "$r" "$sep"
  done
  echo "}"
} >"$roots.tmp"
mv "$roots.tmp" "$roots"

if ((check)); then
  bad=0
  for b in "${bins[@]}"; do
    committed=$bin_dir/$b.elf
    if [ ! -f "$committed" ]; then
      echo "build-guest --check: $committed is missing" >&2
      bad=1
    elif ! cmp -s "$out_dir/$b.elf" "$committed"; then
      echo "build-guest --check: $b.elf differs from the committed one:" >&2
      echo "  built     sha256 $(sha256sum <"$out_dir/$b.elf" | cut -d' ' -f1)" >&2
      echo "  committed sha256 $(sha256sum <"$committed" | cut -d' ' -f1)" >&2
      bad=1
    fi
  done
  if ! cmp -s "$roots" "$bin_dir/program-roots.json"; then
    echo "build-guest --check: program roots differ from $bin_dir/program-roots.json:" >&2
    diff -u "$bin_dir/program-roots.json" "$roots" >&2 || true
    bad=1
  fi
  if ((bad)); then
    echo "build-guest --check: FAILED: the committed guest is stale or the build is not reproducible;" >&2
    echo "  run scripts/build-guest.sh and commit dnn-lib/guest/bin/" >&2
    exit 1
  fi
  echo "build-guest --check: ok (${bins[*]} and program roots match the committed ones)" >&2
else
  for b in "${bins[@]}"; do
    echo "  $(sha256sum <"$out_dir/$b.elf" | cut -d' ' -f1)  dnn-lib/guest/bin/$b.elf" >&2
  done
  echo "build-guest: wrote $roots" >&2
fi
