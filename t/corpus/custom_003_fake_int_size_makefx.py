"""A Python custom op whose fake calls int() on the input's size; make_fx symbolic; the later cond reads the input."""
import torch
from torch.fx.experimental.proxy_tensor import make_fx


@torch.library.custom_op("condlint_corpus::scale_rows", mutates_args=())
def scale_rows(x: torch.Tensor) -> torch.Tensor:
    return x * 2


@scale_rows.register_fake
def _(x):
    n = int(x.shape[1])  # a careless fake: specializes the dim
    return x.new_empty(x.shape[0], n, x.shape[2])


def model(x):
    y = scale_rows(x)
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (y,))


def trace():
    return make_fx(model, tracing_mode="symbolic")(torch.randn(2, 256, 64))
