import torch


def f(x):
    return torch.cond(x.dim() == 3, torch.sin, torch.cos, (x,))


# FIXED (torch_ops.c cl_tensor_subscript): indexing that leaves no dimension
# (a rank-1 tensor indexed by an int) copied 0 dims into the NULL dims of a
# rank-0 tensor: memcpy(NULL, out, 0), undefined behaviour (UBSan). Found in
# the torch 2.11 survey (docs/reliability.md).
def g():
    t = torch.zeros(4)
    return t[0]
