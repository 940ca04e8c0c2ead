"""Attention in the style of minGPT/nanoGPT, adapted to the contract: for self-attention the
three projections run as ONE matmul of the concatenated w_q, w_k, w_v weights (a fused
c_attn) and the result is split in three; heads reshaped with view/transpose, scores scaled by
1 / sqrt(d_k), masked with masked_fill(mask == 0, -inf), heads merged with
contiguous().view(...)."""

import math

import torch
from torch import nn
from torch.nn import functional as F


def scaled_dot_product_attention(q, k, v, mask=None):
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
    if mask is not None:
        att = att.masked_fill(mask == 0, float("-inf"))
    att = F.softmax(att, dim=-1)
    return att @ v, att


def causal_mask(length):
    return torch.tril(torch.ones(length, length)).bool()


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads, bias=True):
        super().__init__()
        assert_message = f"d_model={d_model} is not a multiple of num_heads={num_heads}"
        if d_model % num_heads != 0:
            raise ValueError(assert_message)
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        self.w_q = nn.Linear(d_model, d_model, bias=bias)
        self.w_k = nn.Linear(d_model, d_model, bias=bias)
        self.w_v = nn.Linear(d_model, d_model, bias=bias)
        self.w_o = nn.Linear(d_model, d_model, bias=bias)

    def c_attn(self, x):
        """The fused projection: (B, T, C) -> (B, T, 3C), one matmul for q, k and v."""
        layers = (self.w_q, self.w_k, self.w_v)
        weight = torch.cat([layer.weight for layer in layers], dim=0)  # (3C, C)
        bias = None if self.w_q.bias is None else torch.cat([layer.bias for layer in layers])
        return F.linear(x, weight, bias)

    def forward(self, query, key, value, mask=None):
        B, T, C = query.size()
        if query is key and key is value:  # self-attention: one fused projection
            q, k, v = self.c_attn(query).split(self.d_model, dim=2)
        else:
            q, k, v = self.w_q(query), self.w_k(key), self.w_v(value)
        S = k.size(1)
        k = k.view(B, S, self.num_heads, C // self.num_heads).transpose(1, 2)  # (B, nh, S, hs)
        q = q.view(B, T, self.num_heads, C // self.num_heads).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, S, self.num_heads, C // self.num_heads).transpose(1, 2)  # (B, nh, S, hs)
        y, att = scaled_dot_product_attention(q, k, v, mask)  # (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # re-assemble all heads side by side
        return self.w_o(y), att
