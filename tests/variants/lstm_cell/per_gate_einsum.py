"""A correct LSTM cell written differently: per-gate weight views, einsum, F.linear-free."""

import math

import torch
from torch import nn


class LSTMCell(nn.Module):
    def __init__(self, input_size, hidden_size, bias=True):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        self.weight_ih = nn.Parameter(torch.empty(4 * hidden_size, input_size))
        self.weight_hh = nn.Parameter(torch.empty(4 * hidden_size, hidden_size))
        self.bias_ih = nn.Parameter(torch.empty(4 * hidden_size)) if bias else None
        self.bias_hh = nn.Parameter(torch.empty(4 * hidden_size)) if bias else None
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -1 / math.sqrt(hidden_size), 1 / math.sqrt(hidden_size))

    def forward(self, input, hx=None):
        squeeze = input.dim() == 1
        x = input.reshape(-1, self.input_size)
        if hx is None:
            h = c = torch.zeros(x.shape[0], self.hidden_size, dtype=x.dtype)
        else:
            h, c = (t.reshape(-1, self.hidden_size) for t in hx)
        size = self.hidden_size
        w_ih = self.weight_ih.view(4, size, self.input_size)
        w_hh = self.weight_hh.view(4, size, size)
        pre = torch.einsum("ghi,ni->gnh", w_ih, x) + torch.einsum("ghk,nk->gnh", w_hh, h)
        if self.bias:
            pre = pre + (self.bias_ih + self.bias_hh).view(4, 1, size)
        c_new = torch.sigmoid(pre[1]) * c + torch.sigmoid(pre[0]) * torch.tanh(pre[2])
        h_new = torch.sigmoid(pre[3]) * torch.tanh(c_new)
        if squeeze:
            return h_new[0], c_new[0]
        return h_new, c_new


def lstm_forward(cell, x, hx=None):
    h_all = []
    for x_t in x.unbind(dim=1):
        hx = cell(x_t, hx)
        h_all.append(hx[0])
    return torch.stack(h_all, 1), hx
