"""(b, s, h) <-> (b, heads, s, h // heads)."""
import mf_layout.shapes as shp
from .shapes import NUM_HEADS


def split_heads(x):
    b, s, h = x.shape
    return x.view(b, s, NUM_HEADS, h // NUM_HEADS).transpose(1, 2)


def merge_heads(y):
    b, nh, s, hd = y.shape
    return y.transpose(1, 2).reshape(b, shp.seq_len(y.transpose(1, 2)), nh * hd)
