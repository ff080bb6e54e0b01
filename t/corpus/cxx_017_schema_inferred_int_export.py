"""m.def(name, fn) infers the schema from fn's int64_t parameter (int); fed x.shape[1] under export with a Dim on dim 1.

The C++ source below is also t/fixtures/cxx/cxx_017_schema_inferred_int_export.cpp (t/t0600-cxx.sh checks
that they agree); its `// expect:` comments are what condlint reports on it.
"""
import os

import torch
from torch.export import Dim, export
from torch.fx.experimental.proxy_tensor import make_fx

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx_build.pyinc")).read())

CPP = r"""
#include <torch/extension.h>

at::Tensor scale(const at::Tensor& x, int64_t n) { return x * n; }

TORCH_LIBRARY(cxx017, m) { m.def("scale", scale); }
"""


class M(torch.nn.Module):
    def forward(self, x):
        y = torch.ops.cxx017.scale(x, x.shape[1])
        return torch.cond(x.shape[1] > 4, lambda t: t.sin(), lambda t: t.cos(), (y,))


@logged
def trace():
    build_extension("cxx017", CPP)
    return export(M(), (torch.randn(3, 8),), dynamic_shapes={"x": {1: Dim("s")}})
