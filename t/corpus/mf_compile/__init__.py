from .prep import prepare_batch
