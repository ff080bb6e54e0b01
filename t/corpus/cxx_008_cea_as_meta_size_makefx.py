"""No Meta kernel: a CompositeExplicitAutograd kernel that builds its output with x.size(...) stands for it; make_fx(symbolic); the cond reads the op's output.

The C++ source below is also t/fixtures/cxx/cxx_008_cea_as_meta_size_makefx.cpp (t/t0600-cxx.sh checks
that they agree); its `// expect:` comments are what condlint reports on it.
"""
import os

import torch
from torch.export import Dim, export
from torch.fx.experimental.proxy_tensor import make_fx

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cxx_build.pyinc")).read())

CPP = r"""
#include <torch/extension.h>

at::Tensor double_cea(const at::Tensor& x) {
  auto out = at::empty({x.size(0), x.size(1)}, x.options());  // expect: CL301
  out.copy_(x * 2);
  return out;
}

TORCH_LIBRARY(cxx008, m) { m.def("double_it(Tensor x) -> Tensor"); }
TORCH_LIBRARY_IMPL(cxx008, CompositeExplicitAutograd, m) { m.impl("double_it", double_cea); }
"""


def f(x):
    y = torch.ops.cxx008.double_it(x)
    return torch.cond(y.shape[1] > 4, lambda t: t.sin(), lambda t: t.cos(), (y,))


@logged
def trace():
    build_extension("cxx008", CPP)
    return make_fx(f, tracing_mode="symbolic")(torch.randn(3, 8))
