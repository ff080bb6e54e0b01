import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))


# FIXED (custom_ops.c define_from_func, find_op): an op name without "::"
# canonicalized to NULL and was registered as such; the next lookup ran
# strcmp(NULL, name): a segfault in the normal build. Found by fuzz_summary
# (docs/reliability.md), reachable from plain source as here.
@torch.library.custom_op("no_namespace", mutates_args=())
def first(x: torch.Tensor) -> torch.Tensor:
    return x


@torch.library.custom_op("ns::second", mutates_args=())
def second(x: torch.Tensor) -> torch.Tensor:
    return x
