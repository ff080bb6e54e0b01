"""Export specs shared by the serving entry points."""
from .dims import DYNAMIC_SHAPES as LM_DYNAMIC_SHAPES
from .dims import STATIC_SHAPES
