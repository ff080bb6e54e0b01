"""Multi-file: mark_dynamic(x, 1) happens in mf_compile.prep.prepare_batch (imported as `import torch._dynamo as dynamo` there)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
from mf_compile import prepare_batch


def prefill(x):
    return torch.cond(x.shape[1] > 128, lambda t: t.sin(), lambda t: t.cos(), (x,))


def trace():
    f = torch.compile(prefill, backend=oracle_backend)
    f(prepare_batch(torch.randn(2, 256, 64)))
    return oracle_graphs
