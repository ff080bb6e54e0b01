"""A schema argument typed int is fed x.shape[1]; make_fx(symbolic); a later cond reads x.shape[1].

The C++ source below is also t/fixtures/cxx/cxx_013_schema_int_makefx.cpp (t/t0600-cxx.sh checks
that they agree); its `// expect:` comments are what condlint reports on it.
"""
import os

import torch
from torch.export import Dim, export
from torch.fx.experimental.proxy_tensor import make_fx

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx_build.pyinc")).read())

CPP = r"""
#include <torch/extension.h>

at::Tensor scale_cpu(const at::Tensor& x, int64_t n) { return x * n; }
at::Tensor scale_meta(const at::Tensor& x, int64_t n) { return at::empty_symint(x.sym_sizes(), x.options()); }

TORCH_LIBRARY(cxx013, m) {
  m.def("scale(Tensor x, int n) -> Tensor");
}
TORCH_LIBRARY_IMPL(cxx013, CPU, m) { m.impl("scale", scale_cpu); }
TORCH_LIBRARY_IMPL(cxx013, Meta, m) { m.impl("scale", scale_meta); }
"""


def f(x):
    y = torch.ops.cxx013.scale(x, x.shape[1])
    return torch.cond(x.shape[1] > 4, lambda t: t.sin(), lambda t: t.cos(), (y,))


@logged
def trace():
    build_extension("cxx013", CPP)
    return make_fx(f, tracing_mode="symbolic")(torch.randn(3, 8))
