"""torch._dynamo.config.automatic_dynamic_shapes = False, two calls with different sizes."""
import torch


def attention_dispatch(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    torch._dynamo.config.automatic_dynamic_shapes = False
    f = torch.compile(attention_dispatch, backend=oracle_backend)
    f(torch.randn(2, 256, 64))
    f(torch.randn(2, 300, 64))
    return oracle_graphs
