"""A Meta kernel reads x.size(1); make_fx(symbolic); the cond after the op reads the INPUT's dim 1.

The C++ source below is also t/fixtures/cxx/cxx_005_meta_size_cond_on_input.cpp (t/t0600-cxx.sh checks
that they agree); its `// expect:` comments are what condlint reports on it.
"""
import os

import torch
from torch.export import Dim, export
from torch.fx.experimental.proxy_tensor import make_fx

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx_build.pyinc")).read())

CPP = r"""
#include <torch/extension.h>

at::Tensor double_cpu(const at::Tensor& x) { return x * 2; }

at::Tensor double_meta(const at::Tensor& x) {
  return at::empty({x.size(0), x.size(1)}, x.options());  // expect: CL301
}

TORCH_LIBRARY(cxx005, m) { m.def("double_it(Tensor x) -> Tensor"); }
TORCH_LIBRARY_IMPL(cxx005, CPU, m) { m.impl("double_it", double_cpu); }
TORCH_LIBRARY_IMPL(cxx005, Meta, m) { m.impl("double_it", double_meta); }
"""


def f(x):
    y = torch.ops.cxx005.double_it(x)
    return torch.cond(x.shape[1] > 4, lambda t: t.sin(), lambda t: t.cos(), (y,))


@logged
def trace():
    build_extension("cxx005", CPP)
    return make_fx(f, tracing_mode="symbolic")(torch.randn(3, 8))
