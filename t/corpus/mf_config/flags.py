from dataclasses import dataclass


@dataclass(frozen=True)
class RuntimeFlags:
    use_chunked_prefill: bool = False
    max_batch: int = 64


DEFAULT_FLAGS = RuntimeFlags()
