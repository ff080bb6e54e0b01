from .flags import DEFAULT_FLAGS, RuntimeFlags
