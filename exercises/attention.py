"""Exercise: scaled dot-product attention and multi-head attention (course notes §6).

Attention lets every position look directly at every other one. Each query is compared
with every key; the scores become weights that sum to 1 over the keys; the output is the
weighted average of the values:

    scores  = q @ k.T / sqrt(d_k)                  # (Lq, Lk): how well query i matches key j
    scores  = -inf wherever the mask forbids it    # so that its weight is exactly 0
    weights = softmax(scores over the keys)        # every row sums to 1
    output  = weights @ v                          # (Lq, d_v)

Dividing by sqrt(d_k) keeps the scores of size about 1 whatever d_k is; without it, large
d_k saturates the softmax and its gradients vanish.

The mask convention is the one of `F.scaled_dot_product_attention`: True = may attend.
(Careful: a boolean mask of `nn.MultiheadAttention` means the opposite, True = blocked.)

Multi-head attention projects the inputs with w_q, w_k, w_v, splits the d_model features
into num_heads heads of d_k = d_model // num_heads features each, runs attention in every
head in parallel, puts the heads back side by side and mixes them with w_o.

Do not call `F.scaled_dot_product_attention` or `nn.MultiheadAttention` in your code: the
grader compares against them and gives no points for using them (you may compare against
them yourself under `if __name__ == "__main__":`).
"""

import math

import torch
from torch import nn


def scaled_dot_product_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Attention of every query over every key: softmax(q @ k^T / sqrt(d_k)) @ v.

    q: (..., Lq, d_k)    k: (..., Lk, d_k)    v: (..., Lk, d_v)
    (the same leading dimensions `...`, e.g. (N,) or (N, heads), or none at all)
    mask: bool, broadcastable to (..., Lq, Lk), True = query i may attend to key j; or None
        for no mask. A masked key gets exactly zero weight, however large or small the
        scores are. Every query must keep at least one key it may attend to.
    returns (output, weights):
        output: (..., Lq, d_v), same dtype as q
        weights: (..., Lq, Lk), each row sums to 1 over the keys (the last dimension)
    Large scores (tens of thousands) must not give NaN or infinity.
    """
    # YOUR CODE HERE
    raise NotImplementedError("scaled_dot_product_attention")


def causal_mask(length: int) -> torch.Tensor:
    """The mask that lets position i attend to positions 0..i only (never ahead).

    returns: (length, length) bool, True on and below the diagonal
    """
    # YOUR CODE HERE
    raise NotImplementedError("causal_mask")


class MultiHeadAttention(nn.Module):
    """Multi-head attention with separate projections, like `nn.MultiheadAttention`.

    Layers (each nn.Linear(d_model, d_model, bias=bias)): w_q, w_k, w_v project the query,
    key and value inputs; w_o mixes the heads' concatenated outputs.
    Raises ValueError, with a message saying why, if d_model is not divisible by num_heads.
    """

    def __init__(self, d_model: int, num_heads: int, bias: bool = True):
        super().__init__()
        # YOUR CODE HERE
        raise NotImplementedError("MultiHeadAttention.__init__")
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        self.w_q = nn.Linear(d_model, d_model, bias=bias)
        self.w_k = nn.Linear(d_model, d_model, bias=bias)
        self.w_v = nn.Linear(d_model, d_model, bias=bias)
        self.w_o = nn.Linear(d_model, d_model, bias=bias)

    def forward(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        mask: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Attention of every query position over the key/value positions, in every head.

        query: (N, Lq, d_model)    key, value: (N, Lk, d_model)
        mask: bool, broadcastable to (N, num_heads, Lq, Lk), True = may attend, or None;
            e.g. causal_mask(L) of shape (L, L), or (N, 1, 1, Lk) to hide padding keys
        returns (output, weights):
            output: (N, Lq, d_model), after w_o
            weights: (N, num_heads, Lq, Lk), the attention weights of every head
        """
        # YOUR CODE HERE
        raise NotImplementedError("MultiHeadAttention.forward")
