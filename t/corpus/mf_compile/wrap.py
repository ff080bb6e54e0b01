import torch


def compile_static(fn, backend):
    """Serving path: one graph per shape, no dynamic shapes."""
    return torch.compile(fn, backend=backend, dynamic=False)
