"""The custom op every inductor case compiles, in the shape of PyTorch's own
test_range_based_static_shape_no_cond_dispatch: three implementations of
x + weight with a range dispatch on x.shape[1] (split points 64..512).
Imported by the cases (sys.path is the case's directory)."""
import torch
from torch._inductor.kernel.custom_op import CustomOpConfig, register_custom_op_autotuning


def impl_a(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    return x + weight


def impl_b(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    return x + weight.view(1, 1, -1).expand_as(x)


def impl_c(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    return torch.add(x, weight)


@torch.library.custom_op("condlint_inductor::add_weight", mutates_args=())
def add_weight(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    return x + weight


@add_weight.register_fake
def _(x: torch.Tensor, weight: torch.Tensor):
    return torch.empty_like(x)


register_custom_op_autotuning(
    add_weight,
    configs=[CustomOpConfig(impl_a), CustomOpConfig(impl_b), CustomOpConfig(impl_c)],
    dispatch_on={"tensor_name": "x", "dim": 1},
    split_points=[64, 128, 256, 512],
    input_gen_fns={
        "x": lambda fake: torch.randn_like(fake, device="cuda"),
        "weight": lambda fake: torch.randn_like(fake, device="cuda"),
    },
)


def compile_and_get_code(model_fn, *args):
    from torch._inductor import config
    from torch._inductor.utils import run_and_get_code
    torch._dynamo.reset()
    with config.patch(max_autotune=True, max_autotune_gemm_backends="TRITON",
                      fx_graph_cache=False, benchmark_kernel=True):
        _, code = run_and_get_code(model_fn, *args)
    return code
