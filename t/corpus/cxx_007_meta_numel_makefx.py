"""A Meta kernel returns a flat tensor of x.numel() elements; make_fx(symbolic); the cond reads the output's dim 0.

The C++ source below is also t/fixtures/cxx/cxx_007_meta_numel_makefx.cpp (t/t0600-cxx.sh checks
that they agree); its `// expect:` comments are what condlint reports on it.
"""
import os

import torch
from torch.export import Dim, export
from torch.fx.experimental.proxy_tensor import make_fx

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx_build.pyinc")).read())

CPP = r"""
#include <torch/extension.h>

at::Tensor flat_cpu(const at::Tensor& x) { return x.reshape({-1}) * 2; }

at::Tensor flat_meta(const at::Tensor& x) {
  return at::empty({x.numel()}, x.options());  // expect: CL301
}

TORCH_LIBRARY(cxx007, m) { m.def("flat(Tensor x) -> Tensor"); }
TORCH_LIBRARY_IMPL(cxx007, CPU, m) { m.impl("flat", flat_cpu); }
TORCH_LIBRARY_IMPL(cxx007, Meta, m) { m.impl("flat", flat_meta); }
"""


def f(x):
    y = torch.ops.cxx007.flat(x)
    return torch.cond(y.shape[0] > 16, lambda t: t.sin(), lambda t: t.cos(), (y,))


@logged
def trace():
    build_extension("cxx007", CPP)
    return make_fx(f, tracing_mode="symbolic")(torch.randn(3, 8))
