"""The same dispatch, traced so that it survives.

With tracing_mode="symbolic", make_fx gives `x` a symbolic sequence length,
so `x.shape[1] <= 512` is a SymBool and torch.cond records both kernels.
A predicate computed from tensor values (`x.sum() > 0`) is kept in every
tracing context. condlint has nothing to report here.

    condlint check examples/dispatch_symbolic.py
"""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


def short_seq(x):
    return torch.softmax(x @ x.transpose(1, 2), dim=-1) @ x


def long_seq(x):
    # linear attention: its cost grows linearly with the sequence length
    q = torch.softmax(x, dim=-1)
    return q @ (q.transpose(1, 2) @ x)


def attention(x):
    return torch.cond(x.shape[1] <= 512, short_seq, long_seq, (x,))


def gate(x):
    # data-dependent: decided by the values at run time, never at trace time
    return torch.cond(x.sum() > 0, torch.relu, torch.neg, (x,))


def model(x):
    return gate(attention(x))


gm = make_fx(model, tracing_mode="symbolic")(torch.randn(2, 256, 128))
