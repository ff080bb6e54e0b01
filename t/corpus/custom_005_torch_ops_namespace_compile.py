"""A custom op called through torch.ops.<ns>.<op>; torch.compile(dynamic=True); the predicate reads its output."""
import torch


@torch.library.custom_op("condlint_corpus::gelu_tanh", mutates_args=())
def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.gelu(x, approximate="tanh")


@gelu_tanh.register_fake
def _(x):
    return torch.empty_like(x)


def mlp(x):
    h = torch.ops.condlint_corpus.gelu_tanh(x)
    return torch.cond(h.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (h,))


def trace():
    f = torch.compile(mlp, backend=oracle_backend, dynamic=True)
    f(torch.randn(2, 256, 64))
    return oracle_graphs
