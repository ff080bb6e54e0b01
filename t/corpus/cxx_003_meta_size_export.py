"""A Meta kernel builds its output with x.size(...); export with a Dim on dim 1; the cond reads the op's output.

The C++ source below is also t/fixtures/cxx/cxx_003_meta_size_export.cpp (t/t0600-cxx.sh checks
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

TORCH_LIBRARY(cxx003, m) { m.def("double_it(Tensor x) -> Tensor"); }
TORCH_LIBRARY_IMPL(cxx003, CPU, m) { m.impl("double_it", double_cpu); }
TORCH_LIBRARY_IMPL(cxx003, Meta, m) { m.impl("double_it", double_meta); }
"""


class M(torch.nn.Module):
    def forward(self, x):
        y = torch.ops.cxx003.double_it(x)
        return torch.cond(y.shape[1] > 4, lambda t: t.sin(), lambda t: t.cos(), (y,))


@logged
def trace():
    build_extension("cxx003", CPP)
    return export(M(), (torch.randn(3, 8),), dynamic_shapes={"x": {1: Dim("s")}})
