"""mark_dynamic done inside a helper that the caller calls before the compiled call."""
import torch


def attention_dispatch(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def prepare_inputs(batch):
    x = batch.float()
    torch._dynamo.mark_dynamic(x, 1)
    return x


def trace():
    f = torch.compile(attention_dispatch, backend=oracle_backend)
    x = prepare_inputs(torch.randn(2, 256, 64))
    f(x)
    return oracle_graphs
