"""The dispatcher block: inside the learner process, PyTorch's own version of an exercise
fails by every route (threads, no_grad, inference_mode, autocast, vmap, TorchScript,
torch.compile, torch functions switched off, kernels of the learner's own) and each use is
recorded, while the operations learners need still compute. The routes are tried in a child
process (blocked_routes.py): a blocked process stays blocked for life."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from course.graders.engine.forbidden.operations import operations_behind
from course.graders.engine.forbidden.runtime_guard import resolve
from course.graders.kit.manifest import find_exercise, load_manifest

REPOSITORY = Path(__file__).resolve().parents[2]
LSTM_CELL, LSTM = "torch.lstm_cell", "torch.lstm"
ATTENTION = "torch.nn.functional.scaled_dot_product_attention"
REFUSED_ROUTES = {
    "torch.lstm_cell": LSTM_CELL,
    "torch._VF.lstm_cell": LSTM_CELL,
    "torch.ops.aten.lstm_cell": LSTM_CELL,
    "decompose()": LSTM_CELL,
    "nn.LSTMCell": LSTM_CELL,
    "nn.LSTM": LSTM,
    "lstm_cell in a thread": LSTM_CELL,
    "lstm_cell under no_grad": LSTM_CELL,
    "lstm_cell under inference_mode": LSTM_CELL,
    "lstm_cell under autocast": LSTM_CELL,
    "lstm_cell with torch functions disabled": LSTM_CELL,
    "lstm_cell in TorchScript compiled from a string": LSTM_CELL,
    "lstm_cell in torch.jit.script": LSTM_CELL,
    "F.scaled_dot_product_attention": ATTENTION,
    "torch._scaled_dot_product_attention_math": ATTENTION,
    "torch._scaled_dot_product_flash_attention_for_cpu": (
        "torch._scaled_dot_product_flash_attention_for_cpu"
    ),
    "attention in a thread": ATTENTION,
    "attention under inference_mode": ATTENTION,
    "attention under vmap": ATTENTION,
    "attention in TorchScript compiled from a string": ATTENTION,
    "attention in torch.compile": ATTENTION,
    "nn.MultiheadAttention's fast path": "torch._native_multi_head_attention",
}
ALLOWED_ROUTES = [
    "allowed: matmul, softmax, sigmoid, tanh",
    "allowed: linear layers and backward",
    "allowed: masked_fill, einsum, baddbmm",
    "allowed: nn.RNN and nn.GRU",
]


@pytest.fixture(scope="module")
def outcomes() -> dict:
    """{route: {"outcome": "refused" | "computed" | "failed: ...", "recorded": [...]}}."""
    completed = subprocess.run(
        [sys.executable, "-m", "tests.engine.blocked_routes", "lstm_cell", "attention"],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("route", REFUSED_ROUTES)
def test_every_route_to_pytorchs_own_version_fails_and_is_recorded(outcomes, route):
    assert outcomes[route] == {"outcome": "refused", "recorded": [REFUSED_ROUTES[route]]}


def test_a_kernel_the_learner_registers_over_the_block_does_not_bring_pytorchs_back(outcomes):
    assert outcomes["lstm_cell after the learner registers a kernel over it"]["outcome"] != (
        "computed"
    )


@pytest.mark.parametrize("route", ALLOWED_ROUTES)
def test_the_operations_learners_need_still_compute(outcomes, route):
    assert outcomes[route] == {"outcome": "computed", "recorded": []}


@pytest.mark.parametrize("exercise", [exercise.name for exercise in load_manifest()])
def test_every_forbidden_builtin_has_its_own_operation_blocked(exercise):
    forbidden = find_exercise(exercise).forbidden
    blocked = {qualified.split("::")[1].split(".")[0] for qualified in operations_behind(forbidden)}
    builtins = [name for name in forbidden if isinstance(resolve(name), type(torch.tanh))]
    for name in builtins:
        assert resolve(name).__name__ in blocked, name


def test_the_blocked_operations_include_their_fused_backend_and_quantized_variants():
    lstm = operations_behind(find_exercise("lstm_cell").forbidden)
    attention = operations_behind(find_exercise("attention").forbidden)
    assert {
        "aten::lstm_cell", "aten::_thnn_fused_lstm_cell", "aten::quantized_lstm_cell",
        "aten::lstm.input", "aten::lstm.data", "aten::mkldnn_rnn_layer", "aten::_cudnn_rnn",
    } <= set(lstm)  # fmt: skip
    assert {
        "aten::scaled_dot_product_attention", "aten::_scaled_dot_product_attention_math",
        "aten::_scaled_dot_product_flash_attention_for_cpu",
        "aten::_scaled_dot_product_flash_attention", "aten::_scaled_dot_product_efficient_attention",
        "aten::_scaled_dot_product_cudnn_attention", "aten::_native_multi_head_attention",
        "aten::_transformer_encoder_layer_fwd",
    } <= set(attention)  # fmt: skip


def test_no_operation_that_learners_need_is_blocked():
    needed = {
        "matmul", "mm", "bmm", "baddbmm", "addmm", "linear", "einsum", "softmax", "_softmax",
        "log_softmax", "sigmoid", "tanh", "masked_fill", "rnn_tanh", "rnn_tanh_cell", "gru",
        "gru_cell", "chunk", "stack", "dropout", "layer_norm", "conv2d", "batch_norm",
    }  # fmt: skip
    for exercise in load_manifest():
        blocked = {q.split("::")[1].split(".")[0] for q in operations_behind(exercise.forbidden)}
        assert not blocked & needed, (exercise.name, blocked & needed)
