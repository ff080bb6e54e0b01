import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))


# FIXED (interpreter, torch_ops.c list +): memcpy from the NULL items of a list
# joined from two lengths (UBSan)
def g(c):
    x = [1] if c else [1, 2]
    return x + [3], [3] + x
