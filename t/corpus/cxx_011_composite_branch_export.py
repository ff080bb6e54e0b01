"""The branching CompositeImplicitAutograd kernel under export with an unbounded Dim on dim 1. trace() raises 'dispatch lost' when the graph holds one branch's ops instead of the op.

The C++ source below is also t/fixtures/cxx/cxx_011_composite_branch_export.cpp (t/t0600-cxx.sh checks
that they agree); its `// expect:` comments are what condlint reports on it.
"""
import os

import torch
from torch.export import Dim, export
from torch.fx.experimental.proxy_tensor import make_fx

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx_build.pyinc")).read())

CPP = r"""
#include <torch/extension.h>

at::Tensor pick(const at::Tensor& x) {
  if (x.sym_size(1) <= 512) {  // expect: CL303
    return x.sin();
  }
  return x.cos();
}

TORCH_LIBRARY(cxx011, m) { m.def("pick(Tensor x) -> Tensor"); }
TORCH_LIBRARY_IMPL(cxx011, CompositeImplicitAutograd, m) { m.impl("pick", pick); }
"""


class M(torch.nn.Module):
    def forward(self, x):
        return torch.ops.cxx011.pick(x)


@logged
def trace():
    build_extension("cxx011", CPP)
    ep = export(M(), (torch.randn(3, 8),), dynamic_shapes={"x": {1: Dim("s")}})
    return require_both(ep, "sin", "cos", "cxx011.pick")
