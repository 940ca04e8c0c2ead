"""Every formula generator's answer agrees with the real PyTorch layer it describes.

Each check builds the layer with the sizes the generator drew, counts its parameters or
runs a tensor through it, over many seeds so that every branch of the draws is covered.
"""

import random

import pytest
import torch
from torch import nn

from course.quiz.asking.generators import GENERATORS, FormulaProblem

SEEDS = range(40)


def draws(name: str) -> list[FormulaProblem]:
    return [GENERATORS[name](random.Random(seed)) for seed in SEEDS]


def parameter_count(module: nn.Module) -> int:
    return sum(parameter.numel() for parameter in module.parameters())


def test_every_generator_is_checked_here():
    checked = {name.removeprefix("test_").split("_matches")[0] for name in globals()}
    assert set(GENERATORS) <= checked


def test_conv_output_size_matches_conv2d_output_width():
    for problem in draws("conv_output_size"):
        sizes = problem.sizes
        conv = nn.Conv2d(1, 1, sizes["kernel"], stride=sizes["stride"], padding=sizes["padding"])
        out = conv(torch.zeros(1, 1, sizes["width"], sizes["width"]))  # (N, C, H, W)
        assert out.shape[-1] == problem.answer, sizes


def test_conv_parameters_matches_conv2d_parameter_count():
    for problem in draws("conv_parameters"):
        sizes = problem.sizes
        conv = nn.Conv2d(sizes["in_channels"], sizes["out_channels"], sizes["kernel"])
        assert parameter_count(conv) == problem.answer, sizes


def test_pooling_output_size_matches_maxpool2d_output_width():
    for problem in draws("pooling_output_size"):
        sizes = problem.sizes
        pool = nn.MaxPool2d(sizes["window"], stride=sizes["stride"])
        assert pool(torch.zeros(1, 1, sizes["width"], sizes["width"])).shape[-1] == problem.answer


def test_cnn_flatten_size_matches_the_notes_network_run_on_a_tensor():
    for problem in draws("cnn_flatten_size"):
        sizes = problem.sizes
        network = nn.Sequential(
            nn.Conv2d(sizes["in_channels"], sizes["filters1"], 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(sizes["filters1"], sizes["filters2"], 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
        )  # fmt: skip
        image = torch.zeros(1, sizes["in_channels"], sizes["width"], sizes["width"])
        assert network(image).shape == (1, problem.answer), sizes


def test_cnn_flatten_size_gives_the_notes_1600_for_their_network():
    network = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.MaxPool2d(2), nn.Flatten()
    )
    assert network(torch.zeros(1, 1, 28, 28)).shape == (1, 1600)


def test_linear_parameters_matches_linear_parameter_count():
    for problem in draws("linear_parameters"):
        layer = nn.Linear(problem.sizes["in_features"], problem.sizes["out_features"])
        assert parameter_count(layer) == problem.answer


def test_lstm_parameters_matches_lstm_parameter_count():
    for problem in draws("lstm_parameters"):
        layer = nn.LSTM(problem.sizes["input_size"], problem.sizes["hidden_size"])
        assert parameter_count(layer) == problem.answer, problem.sizes


def test_gru_parameters_matches_gru_parameter_count():
    for problem in draws("gru_parameters"):
        layer = nn.GRU(problem.sizes["input_size"], problem.sizes["hidden_size"])
        assert parameter_count(layer) == problem.answer, problem.sizes


def test_attention_parameters_matches_multiheadattention_parameter_count():
    for problem in draws("attention_parameters"):
        layer = nn.MultiheadAttention(problem.sizes["d_model"], problem.sizes["heads"])
        assert parameter_count(layer) == problem.answer, problem.sizes


def test_head_dimension_matches_multiheadattention_head_dim_and_its_weights():
    for problem in draws("head_dimension"):
        d_model, heads = problem.sizes["d_model"], problem.sizes["heads"]
        layer = nn.MultiheadAttention(d_model, heads, batch_first=True)
        assert layer.head_dim == problem.answer
        x = torch.randn(1, 3, d_model)  # (N, T, d_model)
        out, weights = layer(x, x, x, average_attn_weights=False)
        assert out.shape == (1, 3, d_model)
        assert weights.shape == (1, heads, 3, 3)  # (N, heads, T, T): one pattern per head


def test_stacked_3x3_saving_matches_conv2d_parameter_counts():
    for problem in draws("stacked_3x3_saving"):
        channels = problem.sizes["channels"]
        one_5x5 = nn.Conv2d(channels, channels, 5)
        two_3x3 = nn.Sequential(nn.Conv2d(channels, channels, 3), nn.Conv2d(channels, channels, 3))
        assert parameter_count(one_5x5) - parameter_count(two_3x3) == problem.answer
        x = torch.zeros(1, channels, 9, 9)
        assert one_5x5(x).shape == two_3x3(x).shape  # the same 5×5 receptive field


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_each_generator_draws_fresh_numbers_and_repeats_them_for_a_seed(name):
    prompts = {GENERATORS[name](random.Random(seed)).prompt for seed in SEEDS}
    assert len(prompts) > 1
    assert GENERATORS[name](random.Random(7)) == GENERATORS[name](random.Random(7))


def test_rnn_parameters_matches_rnn_parameter_count():
    for problem in draws("rnn_parameters"):
        layer = nn.RNN(problem.sizes["input_size"], problem.sizes["hidden_size"])
        assert parameter_count(layer) == problem.answer, problem.sizes


def test_depthwise_separable_parameters_matches_a_grouped_then_pointwise_conv2d():
    for problem in draws("depthwise_separable_parameters"):
        kernel, c_in, c_out = (problem.sizes[k] for k in ("kernel", "in_channels", "out_channels"))
        separable = nn.Sequential(
            nn.Conv2d(c_in, c_in, kernel, groups=c_in),  # depthwise: one K×K filter per channel
            nn.Conv2d(c_in, c_out, 1),  # pointwise: mixes the channels
        )
        assert parameter_count(separable) == problem.answer, problem.sizes
        standard = parameter_count(nn.Conv2d(c_in, c_out, kernel))
        assert problem.traps[standard].startswith("That is a standard")


def test_gradient_through_time_matches_autograd_through_a_one_unit_rnn():
    for problem in draws("gradient_through_time"):
        factor, steps = problem.sizes["factor"], int(problem.sizes["steps"])
        rnn = nn.RNN(1, 1, bias=False).double()
        with torch.no_grad():
            rnn.weight_ih_l0.zero_()
            rnn.weight_hh_l0.fill_(factor)  # at h = 0, tanh' = 1: each step multiplies by W_h
        h0 = torch.zeros(1, 1, 1, dtype=torch.float64, requires_grad=True)
        _, h_last = rnn(torch.zeros(steps, 1, 1, dtype=torch.float64), h0)  # (T, N, I) input
        h_last.sum().backward()
        assert h0.grad.item() == pytest.approx(problem.answer, rel=1e-12), problem.sizes
        assert problem.tolerance == pytest.approx(problem.answer / 100)


def test_conv_output_size_never_pads_more_than_half_the_kernel():
    paddings = [(p.sizes["padding"], p.sizes["kernel"]) for p in draws("conv_output_size")]
    assert all(padding <= kernel // 2 for padding, kernel in paddings)
    assert any(padding > 0 for padding, _ in paddings)


def test_the_no_bias_traps_are_the_counts_of_the_same_layer_without_biases():
    for problem in draws("conv_parameters"):
        sizes = problem.sizes
        conv = nn.Conv2d(sizes["in_channels"], sizes["out_channels"], sizes["kernel"], bias=False)
        assert "not the biases" in problem.traps[parameter_count(conv)]
    for problem in draws("linear_parameters"):
        layer = nn.Linear(problem.sizes["in_features"], problem.sizes["out_features"], bias=False)
        assert "not the biases" in problem.traps[parameter_count(layer)]
    for problem in draws("attention_parameters"):
        layer = nn.MultiheadAttention(problem.sizes["d_model"], problem.sizes["heads"], bias=False)
        assert "not the four biases" in problem.traps[parameter_count(layer)]


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_no_trap_is_the_right_answer(name):
    for problem in draws(name):
        assert problem.answer not in problem.traps, problem.sizes
