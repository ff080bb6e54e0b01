"""Attention layout helpers used by the multi-file corpus cases."""
from .heads import merge_heads, split_heads
from . import shapes
