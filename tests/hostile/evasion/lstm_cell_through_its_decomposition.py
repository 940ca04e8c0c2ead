"""PyTorch's own LSTM, reached through its decomposition table (torch._decomp): pure Python
over F.linear, sigmoid and tanh, so no blocked ATen operation runs and no forbidden name is
written in the file."""

import math

import torch
import torch._decomp
from torch import nn


def _pytorch_lstm():
    for operation, implementation in torch._decomp.decomposition_table.items():
        if str(operation) == "aten.lstm.input":
            return implementation
    raise LookupError


class LSTMCell(nn.Module):
    def __init__(self, input_size, hidden_size, bias=True):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        self.weight_ih = nn.Parameter(torch.empty(4 * hidden_size, input_size))
        self.weight_hh = nn.Parameter(torch.empty(4 * hidden_size, hidden_size))
        if bias:
            self.bias_ih = nn.Parameter(torch.empty(4 * hidden_size))
            self.bias_hh = nn.Parameter(torch.empty(4 * hidden_size))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        bound = 1.0 / math.sqrt(hidden_size)
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -bound, bound)

    def forward(self, input, hx=None):
        unbatched = input.dim() == 1
        if unbatched:
            input = input.unsqueeze(0)
            hx = None if hx is None else (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
        if hx is None:
            zeros = input.new_zeros(input.shape[0], self.hidden_size)
            hx = (zeros, zeros)
        params = [self.weight_ih, self.weight_hh]
        if self.bias:
            params += [self.bias_ih, self.bias_hh]
        with torch.backends.mkldnn.flags(enabled=False):
            _, h, c = _pytorch_lstm()(
                input.unsqueeze(0),
                (hx[0].unsqueeze(0), hx[1].unsqueeze(0)),
                params,
                self.bias,
                1,
                0.0,
                False,
                False,
                False,
            )
        h, c = h[0], c[0]
        return (h[0], c[0]) if unbatched else (h, c)


def lstm_forward(cell, x, hx=None):
    outputs = []
    for t in range(x.shape[1]):
        hx = cell(x[:, t], hx)
        outputs.append(hx[0])
    return torch.stack(outputs, dim=1), hx
