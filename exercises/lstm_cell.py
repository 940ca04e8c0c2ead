"""Exercise: an LSTM cell written by hand (course notes §5, "LSTM & GRU").

An LSTM keeps two states: the hidden state h (what it shows the next layer) and the cell
state c (the "memory highway"). At each step four gates are computed from the input x_t and
the previous hidden state h_{t-1}:

    gates = x_t @ weight_ih.T + bias_ih + h_{t-1} @ weight_hh.T + bias_hh    # (N, 4H)
    i, f, g, o = gates split into four (N, H) blocks, in that order
    input_gate  = sigmoid(i)      what new information to store
    forget_gate = sigmoid(f)      what to keep of the old cell state
    candidate   = tanh(g)         the new information itself
    output_gate = sigmoid(o)      what part of the memory to show
    c_t = forget_gate * c_{t-1} + input_gate * candidate
    h_t = output_gate * tanh(c_t)

The parameters have exactly the names, shapes and gate order of `torch.nn.LSTMCell`, so a
state_dict of your cell loads into PyTorch's and back. Do not call `nn.LSTMCell`, `nn.LSTM`
or `torch.lstm_cell` in your code: the grader compares against them and gives no points
for using them (you may compare against them yourself under `if __name__ == "__main__":`).
"""

import math

import torch
from torch import nn


class LSTMCell(nn.Module):
    """One LSTM step, with the parameters of `torch.nn.LSTMCell`.

    Parameters (gate order i, f, g, o along the first dimension):
        weight_ih: (4H, I)    weight_hh: (4H, H)    bias_ih, bias_hh: (4H,) or None
    where I = input_size and H = hidden_size.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = nn.Parameter(torch.empty(4 * hidden_size, input_size))
        self.weight_hh = nn.Parameter(torch.empty(4 * hidden_size, hidden_size))
        if bias:
            self.bias_ih = nn.Parameter(torch.empty(4 * hidden_size))
            self.bias_hh = nn.Parameter(torch.empty(4 * hidden_size))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Uniform(-1/sqrt(H), 1/sqrt(H)) for every parameter, biases included, as PyTorch does."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -bound, bound)

    def forward(
        self, input: torch.Tensor, hx: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One step of the LSTM.

        input: (N, I) batched (N = 1 included), or (I,) for a single example
        hx: (h, c) with each (N, H) (or (H,) for a single example), or None for zeros of
            the input's dtype; None always means zeros: the cell keeps no state between calls
        returns (h, c), in that order: each (N, H) (still (1, H) when N = 1), or (H,) for a
            single example; same dtype as input
        """
        # YOUR CODE HERE
        raise NotImplementedError("LSTMCell.forward")


def lstm_forward(
    cell: LSTMCell, x: torch.Tensor, hx: tuple[torch.Tensor, torch.Tensor] | None = None
) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    """Run `cell` over a whole sequence, one time step after another.

    x: (N, T, I) batch-first sequences, any N >= 1 and T >= 1
    hx: (h_0, c_0) with each (N, H), or None for zeros
    returns outputs (N, T, H), the hidden state after every step, and (h_T, c_T), each (N, H);
    same dtype as x. Gradients flow back through every step (backpropagation through time),
    to x, to (h_0, c_0) and to every parameter, as through nn.LSTM: never detach the state.
    """
    # YOUR CODE HERE
    raise NotImplementedError("lstm_forward")
