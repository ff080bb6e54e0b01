from torch.export import Dim

SEQ = Dim("seq", min=2, max=8192)

DYNAMIC_SHAPES = {"x": {1: SEQ}}
STATIC_SHAPES = {"x": {1: Dim.STATIC}}
