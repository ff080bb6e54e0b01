"""A CompositeImplicitAutograd kernel branches in C++ on x.sym_size(1) <= 512; make_fx(symbolic). trace() raises 'dispatch lost' when the graph holds one branch's ops instead of the op.

The C++ source below is also t/fixtures/cxx/cxx_009_composite_branch_makefx.cpp (t/t0600-cxx.sh checks
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

TORCH_LIBRARY(cxx009, m) { m.def("pick(Tensor x) -> Tensor"); }
TORCH_LIBRARY_IMPL(cxx009, CompositeImplicitAutograd, m) { m.impl("pick", pick); }
"""


def f(x):
    return torch.ops.cxx009.pick(x)


@logged
def trace():
    build_extension("cxx009", CPP)
    return require_both(make_fx(f, tracing_mode="symbolic")(torch.randn(3, 8)), "sin", "cos", "cxx009.pick")
