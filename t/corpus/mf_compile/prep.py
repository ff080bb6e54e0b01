import torch._dynamo as dynamo


def prepare_batch(x):
    """Inputs vary in sequence length: mark it dynamic once, up front."""
    x = x.contiguous()
    dynamo.mark_dynamic(x, 1)
    return x
