"""A sequence-length dispatch that make_fx silently folds.

`attention` is meant to pick a kernel at run time from the sequence length.
make_fx traces with real tensors by default, so `x.shape[1]` is the plain
int 256 while tracing: the predicate is a Python bool, torch.cond keeps only
`short_seq`, and the traced graph has lost the dispatch (CL101).

`normalize` branches on the rank, which is static metadata: it is a Python
bool in every tracing context, dynamic shapes or not (CL102).

    condlint check examples/dispatch_makefx.py
"""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def short_seq(x):
    # full attention: cheap enough for short sequences
    return torch.softmax(x @ x.transpose(1, 2), dim=-1) @ x


def long_seq(x):
    # linear attention: its cost grows linearly with the sequence length
    q = torch.softmax(x, dim=-1)
    return q @ (q.transpose(1, 2) @ x)


def attention(x):
    return torch.cond(x.shape[1] <= 512, short_seq, long_seq, (x,))


def per_token(x):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)


def per_tensor(x):
    return x * torch.rsqrt(x.pow(2).mean() + 1e-6)


def normalize(x):
    return torch.cond(x.dim() == 3, per_token, per_tensor, (x,))


def model(x):
    return normalize(attention(x))


gm = make_fx(model)(torch.randn(2, 256, 128))
