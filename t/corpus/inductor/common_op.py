"""The custom op every inductor case compiles: two implementations of
x * w + 1 with a range dispatch on x.shape[1] (split point 512). Imported by
the cases (sys.path is the case's directory)."""
import torch
from torch._inductor.kernel.custom_op import CustomOpConfig, register_custom_op_autotuning


@torch.library.custom_op("condlint_inductor::scale_shift", mutates_args=())
def scale_shift(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    return x * w + 1


@scale_shift.register_fake
def _(x, w):
    return torch.empty_like(x)


def impl_direct(x, w):
    return x * w + 1


def impl_matmul(x, w):
    # the same values through a matmul: slow for long rows, fine for short ones
    eye = torch.eye(x.shape[-1], device=x.device, dtype=x.dtype)
    return (x * w) @ eye + 1


register_custom_op_autotuning(
    scale_shift,
    configs=[CustomOpConfig(impl_direct), CustomOpConfig(impl_matmul)],
    dispatch_on={"tensor_name": "x", "dim": 1},
    split_points=[512],
    input_gen_fns={
        "x": lambda fake: torch.randn_like(fake, device="cuda"),
        "w": lambda fake: torch.randn_like(fake, device="cuda"),
    },
)


def compile_and_get_code(model_fn, *args):
    from torch._inductor import config
    from torch._inductor.utils import run_and_get_code
    torch._dynamo.reset()
    with config.patch(max_autotune=True, fx_graph_cache=False, benchmark_kernel=True):
        _, code = run_and_get_code(model_fn, *args)
    return code
