import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))


# FIXED: INT64_MIN // -1 and % -1 trap (SIGFPE)
y = (-9223372036854775807 - 1) // -1
z = (-9223372036854775807 - 1) % -1
