"""torch.compile(f) called with three sequence lengths (static, then one dynamic graph)."""
import torch


def attention_dispatch(x):
    # chunked kernel for long sequences, dense kernel otherwise
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(attention_dispatch, backend=oracle_backend)
    for seq in (256, 300, 512):
        f(torch.randn(2, seq, 64))
    return oracle_graphs
