"""The argument typed SymInt and fed x.shape[1]; export with a Dim on dim 1; a later cond reads x.shape[1].

The C++ source below is also t/fixtures/cxx/cxx_016_schema_symint_export.cpp (t/t0600-cxx.sh checks
that they agree); its `// expect:` comments are what condlint reports on it.
"""
import os

import torch
from torch.export import Dim, export
from torch.fx.experimental.proxy_tensor import make_fx

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx_build.pyinc")).read())

CPP = r"""
#include <torch/extension.h>

at::Tensor scale_cpu(const at::Tensor& x, c10::SymInt n) { return x * n.expect_int(); }
at::Tensor scale_meta(const at::Tensor& x, c10::SymInt n) { return at::empty_symint(x.sym_sizes(), x.options()); }

TORCH_LIBRARY(cxx016, m) {
  m.def("scale(Tensor x, SymInt n) -> Tensor");
}
TORCH_LIBRARY_IMPL(cxx016, CPU, m) { m.impl("scale", scale_cpu); }
TORCH_LIBRARY_IMPL(cxx016, Meta, m) { m.impl("scale", scale_meta); }
"""


class M(torch.nn.Module):
    def forward(self, x):
        y = torch.ops.cxx016.scale(x, x.shape[1])
        return torch.cond(x.shape[1] > 4, lambda t: t.sin(), lambda t: t.cos(), (y,))


@logged
def trace():
    build_extension("cxx016", CPP)
    return export(M(), (torch.randn(3, 8),), dynamic_shapes={"x": {1: Dim("s")}})
