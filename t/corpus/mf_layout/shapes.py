"""Shape constants and predicates."""
NUM_HEADS = 4


def seq_len(x):
    return x.shape[1]


def is_long_sequence(x, threshold=128):
    return seq_len(x) > threshold
