#!/usr/bin/env python3
"""Largest |z| = |x - mean| / std of each LayerNorm of all-MiniLM-L6-v2 on the first held-out
sentence of scripts/minilm-accuracy.sh (numpy): shows the outlier dimension that the integer
norm op clips at 8. Usage: WORK=/tmp/minilm/run128 scripts/minilm-accuracy.sh, then this."""
import json, math, numpy as np
from safetensors.numpy import load_file
d='/tmp/minilm/model'; cfg=json.load(open(d+'/config.json')); w={k:v.astype(np.float64) for k,v in load_file(d+'/model.safetensors').items()}
w={k[5:] if k.startswith('bert.') else k:v for k,v in w.items()}
H=cfg['hidden_size']; h=cfg['num_attention_heads']; dh=H//h; eps=cfg['layer_norm_eps']; erf=np.vectorize(math.erf)
def ln(x,p,tag):
    m=x.mean(-1,keepdims=True); v=((x-m)**2).mean(-1,keepdims=True); z=(x-m)/np.sqrt(v+eps)
    i=np.unravel_index(np.abs(z).argmax(), z.shape); g=w[p+'.weight']
    print(f"{tag:10} max|z| {np.abs(z).max():6.2f} at dim {i[1]} gamma {g[i[1]]:+.4f} beta {w[p+'.bias'][i[1]]:+.4f} rows>8: {(np.abs(z)>8).any(-1).sum()}")
    return z*g+w[p+'.bias']
lin=lambda p,x: x@w[p+'.weight'].T+w[p+'.bias']
s=json.load(open('/tmp/minilm/run128/holdout.json'))['tokens'][0]; t=len(s); ids=np.array(s)
x=w['embeddings.word_embeddings.weight'][ids]+w['embeddings.position_embeddings.weight'][:t]+w['embeddings.token_type_embeddings.weight'][0]
x=ln(x,'embeddings.LayerNorm','emb')
for l in range(6):
    p=f'encoder.layer.{l}.'
    q,k,v=(lin(p+'attention.self.'+n,x).reshape(t,h,dh).transpose(1,0,2) for n in ('query','key','value'))
    sc=q@k.transpose(0,2,1)/math.sqrt(dh); e=np.exp(sc-sc.max(-1,keepdims=True))
    ctx=(e/e.sum(-1,keepdims=True)@v).transpose(1,0,2).reshape(t,H)
    x=ln(x+lin(p+'attention.output.dense',ctx),p+'attention.output.LayerNorm',f'L{l} ln1')
    u=lin(p+'intermediate.dense',x); u=0.5*u*(1+erf(u/math.sqrt(2)))
    x=ln(x+lin(p+'output.dense',u),p+'output.LayerNorm',f'L{l} ln2')
m=x.mean(0); u=m/np.linalg.norm(m); print('pooled max|u|*sqrt(n)', np.abs(u).max()*math.sqrt(H))
