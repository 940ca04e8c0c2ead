"""LSTM gates in the style of many tutorials and CS231n's lstm_step_forward, adapted to the
contract: one affine map of the concatenated [x, h] (the two weight matrices side by side,
the two biases summed), the gates sliced out of it by position, and a lstm_forward that
fills preallocated (N, T, H) hidden states made with x.new_zeros."""

import math

import torch
import torch.nn.functional as F
from torch import nn


class LSTMCell(nn.Module):
    def __init__(self, input_size, hidden_size, bias=True):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = nn.Parameter(torch.Tensor(4 * hidden_size, input_size))
        self.weight_hh = nn.Parameter(torch.Tensor(4 * hidden_size, hidden_size))
        if bias:
            self.bias_ih = nn.Parameter(torch.Tensor(4 * hidden_size))
            self.bias_hh = nn.Parameter(torch.Tensor(4 * hidden_size))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        stdv = 1.0 / math.sqrt(hidden_size)
        for weight in self.parameters():
            weight.data.uniform_(-stdv, stdv)

    def forward(self, input, hx=None):
        is_batched = input.dim() == 2
        x = input if is_batched else input.unsqueeze(0)  # (N, I)
        if hx is None:
            prev_h = x.new_zeros(x.size(0), self.hidden_size)
            prev_c = x.new_zeros(x.size(0), self.hidden_size)
        else:
            prev_h, prev_c = hx if is_batched else (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
        H = self.hidden_size
        combined = torch.cat([x, prev_h], dim=1)  # (N, I + H)
        weight = torch.cat([self.weight_ih, self.weight_hh], dim=1)  # (4H, I + H)
        bias = self.bias_ih + self.bias_hh if self.bias else None
        a = F.linear(combined, weight, bias)  # (N, 4H)
        i = torch.sigmoid(a[:, :H])
        f = torch.sigmoid(a[:, H : 2 * H])
        g = torch.tanh(a[:, 2 * H : 3 * H])
        o = torch.sigmoid(a[:, 3 * H :])
        next_c = f * prev_c + i * g
        next_h = o * torch.tanh(next_c)
        if not is_batched:
            return next_h.squeeze(0), next_c.squeeze(0)
        return next_h, next_c


def lstm_forward(cell, x, hx=None):
    N, T, _ = x.shape
    h = x.new_zeros(N, T, cell.hidden_size)  # (N, T, H), filled step by step
    state = hx
    for t in range(T):
        state = cell(x[:, t, :], state)
        h[:, t, :] = state[0]
    return h, state
