"""The bank's fixed questions that state what PyTorch computes agree with PyTorch.

Each check names the question it proves and builds the same thing in torch, with fixed
seeds and float64 where values are compared.
"""

import math

import pytest
import torch
from torch import nn

from course.quiz.asking.bank import load_bank


@pytest.fixture(scope="module")
def questions():
    return {question.id: question for question in load_bank().questions}


def test_value_clipping_turns_the_gradient_and_norm_clipping_keeps_its_direction(questions):
    assert "Value: (1, 0.5)" in questions["opt.value-clipping-direction"].answer
    by_value = nn.Parameter(torch.zeros(2, dtype=torch.float64))
    by_norm = nn.Parameter(torch.zeros(2, dtype=torch.float64))
    for parameter in (by_value, by_norm):
        parameter.grad = torch.tensor([3.0, 0.5], dtype=torch.float64)
    nn.utils.clip_grad_value_([by_value], clip_value=1.0)
    nn.utils.clip_grad_norm_([by_norm], max_norm=1.0)
    assert by_value.grad.tolist() == [1.0, 0.5]
    assert by_norm.grad.tolist() == pytest.approx([3 / math.sqrt(9.25), 0.5 / math.sqrt(9.25)])
    assert [round(value, 2) for value in by_norm.grad.tolist()] == [0.99, 0.16]


def test_the_lstm_equations_the_bank_teaches_are_lstmcells(questions):
    assert questions["lstm.cell-update"].answer == "C_t = f_t × C_{t-1} + i_t × C̃_t"
    assert questions["lstm.hidden-state"].answer == "h_t = o_t × tanh(C_t)"
    torch.manual_seed(0)
    cell = nn.LSTMCell(3, 4).double()
    x, h, c = (torch.randn(2, size, dtype=torch.float64) for size in (3, 4, 4))  # (N, I), (N, H)
    gates = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh  # (N, 4H)
    i, f, g, o = gates.chunk(4, dim=1)  # PyTorch's block order: input, forget, cell, output
    c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h_new = torch.sigmoid(o) * torch.tanh(c_new)
    expected_h, expected_c = cell(x, (h, c))
    torch.testing.assert_close(c_new, expected_c)
    torch.testing.assert_close(h_new, expected_h)


def test_recurrent_layers_read_time_first_unless_batch_first(questions):
    assert questions["rnn.default-input-shape"].answer == "(20, 32, 8)"
    assert questions["rnn.batch-first"].answer == "batch_first=True"
    output, _ = nn.GRU(input_size=8, hidden_size=16)(torch.zeros(20, 32, 8))
    assert output.shape == (20, 32, 16)  # (T, N, H)
    output, _ = nn.LSTM(8, 16, batch_first=True)(torch.zeros(32, 20, 8))
    assert output.shape == (32, 20, 16)  # (N, T, H)


def test_attention_scales_scores_by_sqrt_dk_because_dot_products_grow_with_it(questions):
    assert questions["attention.why-sqrt-dk"].answer.startswith("Dot products grow with d_k")
    generator = torch.Generator().manual_seed(0)
    for d_k in (16, 256):
        q, k = torch.randn(2, 20000, d_k, generator=generator, dtype=torch.float64)
        scores = (q * k).sum(dim=1)  # one dot product per row
        assert scores.var().item() == pytest.approx(d_k, rel=0.05)
        assert (scores / math.sqrt(d_k)).var().item() == pytest.approx(1, rel=0.05)
    q, k, v = torch.randn(3, 1, 5, 8, generator=generator, dtype=torch.float64)  # (N, T, d_k)
    by_hand = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(8), dim=-1) @ v
    torch.testing.assert_close(nn.functional.scaled_dot_product_attention(q, k, v), by_hand)


def test_add_and_norm_is_layernorm_of_the_input_plus_the_sublayer(questions):
    assert questions["attention.add-norm"].answer.startswith("LayerNorm(x + Sublayer(x))")
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)
    layer = layer.double().eval()
    x = torch.randn(2, 5, 8, dtype=torch.float64)  # (N, T, d_model)
    attended = layer.norm1(x + layer.self_attn(x, x, x, need_weights=False)[0])
    feed_forward = layer.linear2(torch.relu(layer.linear1(attended)))
    torch.testing.assert_close(layer(x), layer.norm2(attended + feed_forward))


def test_cosine_annealing_reaches_its_minimum_after_t_max_scheduler_steps(questions):
    assert questions["opt.scheduler-step"].answer == "Once per epoch, after validating"
    optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.001)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=50)
    for _ in range(25):
        optimizer.step()
        scheduler.step()
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.0005)
    for _ in range(25):
        optimizer.step()
        scheduler.step()
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.0, abs=1e-12)


def test_backward_adds_to_the_stored_gradients_until_zero_grad(questions):
    assert questions["opt.zero-grad"].answer.startswith("loss.backward() adds to the gradients")
    weight = nn.Parameter(torch.tensor([2.0]))
    optimizer = torch.optim.SGD([weight], lr=0.1)
    for _ in range(2):
        (3 * weight).sum().backward()
    assert weight.grad.item() == 6.0
    optimizer.zero_grad()
    assert weight.grad is None or weight.grad.item() == 0.0


def test_float16_gradients_underflow_unless_scaled_as_gradscaler_does(questions):
    assert "underflow" in questions["opt.gradscaler-purpose"].answer
    small = torch.tensor(1e-8)
    assert small.half().item() == 0.0
    assert (small * 65536).half().item() > 0  # GradScaler's default initial scale is 2**16
