"""The branching kernel registered for the Autograd key (with a CPU and a Meta kernel for the op); make_fx(symbolic). trace() raises 'dispatch lost' when the graph holds one branch's ops instead of the op.

The C++ source below is also t/fixtures/cxx/cxx_019_autograd_branch_makefx.cpp (t/t0600-cxx.sh checks
that they agree); its `// expect:` comments are what condlint reports on it.
"""
import os

import torch
from torch.export import Dim, export
from torch.fx.experimental.proxy_tensor import make_fx

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx_build.pyinc")).read())

CPP = r"""
#include <torch/extension.h>

at::Tensor pick_autograd(const at::Tensor& x) {
  if (x.sym_size(1) <= 512) {  // expect: CL303
    return at::sin(x);
  }
  return at::cos(x);
}
at::Tensor pick_cpu(const at::Tensor& x) { return x.sin(); }
at::Tensor pick_meta(const at::Tensor& x) { return at::empty_symint(x.sym_sizes(), x.options()); }

TORCH_LIBRARY(cxx019, m) { m.def("pick(Tensor x) -> Tensor"); }
TORCH_LIBRARY_IMPL(cxx019, Autograd, m) { m.impl("pick", pick_autograd); }
TORCH_LIBRARY_IMPL(cxx019, CPU, m) { m.impl("pick", pick_cpu); }
TORCH_LIBRARY_IMPL(cxx019, Meta, m) { m.impl("pick", pick_meta); }
"""


def f(x):
    return torch.ops.cxx019.pick(x)


@logged
def trace():
    build_extension("cxx019", CPP)
    return require_both(make_fx(f, tracing_mode="symbolic")(torch.randn(3, 8)), "sin", "cos", "cxx019.pick")
