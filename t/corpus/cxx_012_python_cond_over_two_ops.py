"""The fix for a branching composite kernel: two ops with Meta kernels, dispatched by torch.cond in Python; make_fx(symbolic).

The C++ source below is also t/fixtures/cxx/cxx_012_python_cond_over_two_ops.cpp (t/t0600-cxx.sh checks
that they agree); its `// expect:` comments are what condlint reports on it.
"""
import os

import torch
from torch.export import Dim, export
from torch.fx.experimental.proxy_tensor import make_fx

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx_build.pyinc")).read())

CPP = r"""
#include <torch/extension.h>

at::Tensor small_cpu(const at::Tensor& x) { return x.sin(); }
at::Tensor large_cpu(const at::Tensor& x) { return x.cos(); }
at::Tensor same_meta(const at::Tensor& x) { return at::empty_symint(x.sym_sizes(), x.options()); }

TORCH_LIBRARY(cxx012, m) {
  m.def("small(Tensor x) -> Tensor");
  m.def("large(Tensor x) -> Tensor");
}
TORCH_LIBRARY_IMPL(cxx012, CPU, m) {
  m.impl("small", small_cpu);
  m.impl("large", large_cpu);
}
TORCH_LIBRARY_IMPL(cxx012, Meta, m) {
  m.impl("small", same_meta);
  m.impl("large", same_meta);
}
"""


def f(x):
    return torch.cond(x.shape[1] <= 512, lambda t: torch.ops.cxx012.small(t),
                      lambda t: torch.ops.cxx012.large(t), (x,))


@logged
def trace():
    build_extension("cxx012", CPP)
    return make_fx(f, tracing_mode="symbolic")(torch.randn(3, 8))
