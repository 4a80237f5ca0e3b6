#!/usr/bin/env python3
"""Token ids for scripts/minilm-accuracy.sh, and a numpy cross-check of the float reference.

    minilm_tokens.py tokens MODEL_DIR T OUT_DIR
        Tokenizes the built-in sentences with MODEL_DIR/tokenizer.json (the `tokenizers`
        package), padded with [PAD] (id 0) or truncated to T, and writes OUT_DIR/calibration.json
        (the first 20) and OUT_DIR/holdout.json (the other 10) as {"tokens": [[ids...], ...]}.
    minilm_tokens.py numpy MODEL_DIR T OUT_DIR N
        Writes OUT_DIR/numpy.json: the L2-normalised mean-pooled embeddings of the first N
        holdout sequences by an independent numpy (float32) BERT forward of the real weights.

pip install numpy safetensors tokenizers
"""

import json
import math
import os
import sys

SENTENCES = [
    # calibration
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "A man is riding a horse.",
    "A woman is playing violin.",
    "Two men pushed carts through the woods.",
    "A man is riding a white horse on an enclosed ground.",
    "A monkey is playing drums.",
    "Someone in a gorilla costume is playing a set of drums.",
    "The new movie is awesome and everyone should watch it this weekend.",
    "Optimistic rollups assume transactions are valid unless someone proves otherwise.",
    "The dispute game bisects the execution trace down to a single instruction.",
    "Integer-only inference makes every platform compute exactly the same bits.",
    "How do I reset my password if I no longer have access to my email?",
    "The weather in Lisbon is sunny with a light breeze from the Atlantic.",
    "Stock markets fell sharply after the central bank raised interest rates.",
    "She sells sea shells by the sea shore.",
    "The quick brown fox jumps over the lazy dog.",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "Please remember to water the plants while I am away next week.",
    # holdout
    "A cheetah is running behind its prey.",
    "A man is playing a guitar.",
    "Bonds posted with a claim are forfeited by the party that loses the dispute.",
    "The cat sat quietly on the warm windowsill watching the birds outside.",
    "Quantization maps real numbers to a small set of integers with a scale.",
    "What is the capital city of Australia?",
    "He finished the marathon in just under three hours.",
    "The library closes at nine on weekdays and at five on Sundays.",
    "Neural networks learn representations from data.",
    "Rain is expected tomorrow afternoon, so bring an umbrella.",
]
N_CAL = 20


def tokens(model_dir, t, out_dir):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.enable_truncation(max_length=t)
    tok.no_padding()
    ids = [e.ids for e in tok.encode_batch(SENTENCES)]
    longest = max(len(i) for i in ids)
    os.makedirs(out_dir, exist_ok=True)
    for name, part in (("calibration", ids[:N_CAL]), ("holdout", ids[N_CAL:])):
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump({"tokens": part}, f)
    print(f"{len(ids)} sentences, longest {longest} tokens (context {t})")


def numpy_forward(model_dir, t, out_dir, n):
    import numpy as np
    from safetensors.numpy import load_file

    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    w = load_file(os.path.join(model_dir, "model.safetensors"))
    w = {k[5:] if k.startswith("bert.") else k: v.astype(np.float64) for k, v in w.items()}
    d, h = cfg["hidden_size"], cfg["num_attention_heads"]
    dh, eps = d // h, cfg["layer_norm_eps"]
    erf = np.vectorize(math.erf)

    def ln(x, p):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + eps) * w[p + ".weight"] + w[p + ".bias"]

    def lin(p, x):
        return x @ w[p + ".weight"].T + w[p + ".bias"]

    seqs = json.load(open(os.path.join(out_dir, "holdout.json")))["tokens"][:n]
    out = []
    for s in seqs:
        ids = np.array(s + [0] * (t - len(s)))
        mask = ids != 0
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t] + w["embeddings.token_type_embeddings.weight"][0]
        x = ln(x, "embeddings.LayerNorm")
        ext = np.where(mask, 0.0, -1e30)
        for l in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{l}."
            q, k, v = (lin(p + "attention.self." + n_, x).reshape(t, h, dh).transpose(1, 0, 2) for n_ in ("query", "key", "value"))
            sc = q @ k.transpose(0, 2, 1) / math.sqrt(dh) + ext
            e = np.exp(sc - sc.max(-1, keepdims=True))
            ctx = (e / e.sum(-1, keepdims=True) @ v).transpose(1, 0, 2).reshape(t, d)
            x = ln(x + lin(p + "attention.output.dense", ctx), p + "attention.output.LayerNorm")
            u = lin(p + "intermediate.dense", x)
            u = 0.5 * u * (1 + erf(u / math.sqrt(2)))
            x = ln(x + lin(p + "output.dense", u), p + "output.LayerNorm")
        m = (x * mask[:, None]).sum(0) / mask.sum()
        out.append([float(v) for v in m / np.linalg.norm(m)])
    with open(os.path.join(out_dir, "numpy.json"), "w") as f:
        json.dump({"embedding": out}, f)


if __name__ == "__main__":
    cmd, model_dir, t, out_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    if cmd == "tokens":
        tokens(model_dir, t, out_dir)
    else:
        numpy_forward(model_dir, t, out_dir, int(sys.argv[5]))
