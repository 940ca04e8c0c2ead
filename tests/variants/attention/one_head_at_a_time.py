"""Correct attention written differently: masked scores filled with the dtype's lowest value,
and multi-head attention as a loop over per-head feature slices, concatenated at the end."""

import torch
from torch import nn


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q.matmul(k.transpose(-1, -2)) / q.shape[-1] ** 0.5
    if mask is not None:
        scores = scores.masked_fill(mask.logical_not(), torch.finfo(scores.dtype).min)
    weights = scores.softmax(-1)
    return weights.matmul(v), weights


def causal_mask(length):
    return torch.tril(torch.ones(length, length)).bool()


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads, bias=True):
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError("d_model must be a multiple of num_heads")
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        self.w_q = nn.Linear(d_model, d_model, bias)
        self.w_k = nn.Linear(d_model, d_model, bias)
        self.w_v = nn.Linear(d_model, d_model, bias)
        self.w_o = nn.Linear(d_model, d_model, bias)

    def forward(self, query, key, value, mask=None):
        q, k, v = self.w_q(query), self.w_k(key), self.w_v(value)
        head_masks = [None] * self.num_heads
        if mask is not None:
            shape = (query.shape[0], self.num_heads, query.shape[1], key.shape[1])
            head_masks = torch.broadcast_to(mask, shape).unbind(dim=1)
        outputs, weights = [], []
        for h in range(self.num_heads):
            features = slice(h * self.d_k, (h + 1) * self.d_k)
            out, w = scaled_dot_product_attention(
                q[..., features], k[..., features], v[..., features], head_masks[h]
            )
            outputs.append(out)
            weights.append(w)
        return self.w_o(torch.cat(outputs, dim=-1)), torch.stack(weights, dim=1)
