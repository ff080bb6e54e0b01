"""export with a dict input; dynamic_shapes mirrors the dict."""
import torch
from torch import nn
from torch.export import Dim, export


class Encoder(nn.Module):
    def forward(self, batch):
        ids = batch["input_ids"]
        emb = batch["embeds"]
        return torch.cond(ids.shape[1] > 128, lambda e: e.sin(), lambda e: e.cos(), (emb,))


def trace():
    batch = {"input_ids": torch.zeros(2, 300, dtype=torch.long), "embeds": torch.randn(2, 64)}
    return export(Encoder(), (batch,), dynamic_shapes={"batch": {"input_ids": {1: Dim("seq")}, "embeds": None}})
