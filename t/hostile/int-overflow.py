import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))


# FIXED: signed overflow (UBSan)
a = 9223372036854775807 + 1
b = 9223372036854775807 * 10
c = -(-9223372036854775807 - 1)
d = -9223372036854775807 - 2
