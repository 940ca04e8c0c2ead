"""Run in a child process by test_dispatcher_block.py: blocks the operations of the exercises
named on the command line, as the learner process does, then tries every route to them and
to the operations learners need, and prints {route: what happened} as JSON.

Never imported by a test process: the block would stay for the rest of its life.
"""

import contextlib
import gc
import json
import sys
import threading

import torch
from torch.nn import functional as F

from course.graders.engine.forbidden import block_operations, operations_behind
from course.graders.kit.manifest import find_exercise

BATCH, INPUT, HIDDEN, HEADS, LENGTH, D_MODEL = 2, 3, 4, 2, 5, 8
x, h, c = torch.randn(BATCH, INPUT), torch.zeros(BATCH, HIDDEN), torch.zeros(BATCH, HIDDEN)
cell = torch.nn.LSTMCell(INPUT, HIDDEN)
weights = (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
q = torch.randn(BATCH, HEADS, LENGTH, D_MODEL // HEADS)  # (N, heads, L, d_k)
sequence = torch.randn(BATCH, LENGTH, D_MODEL)


def in_a_thread(function):
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except Exception as error:  # noqa: BLE001 - passed on to the main thread
            outcome["error"] = error

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def under(context, function):
    with context:
        return function()


def lstm_cell():
    return torch.lstm_cell(x, (h, c), *weights)


def attention():
    return F.scaled_dot_product_attention(q, q, q)


def compiled_from_a_string(source: str, *args):
    return torch.jit.CompilationUnit(source).run(*args)


def scripted_lstm_cell():
    def step(x, h, c, w_ih, w_hh, b_ih, b_hh):
        return torch.lstm_cell(x, [h, c], w_ih, w_hh, b_ih, b_hh)

    return torch.jit.script(step)(x, h, c, *weights)


def reregistered_by_the_learner():
    library = torch.library.Library("aten", "IMPL")
    library.impl("lstm_cell", torch.library.fallthrough_kernel, "CompositeImplicitAutograd")
    return lstm_cell()


def multihead_fast_path():
    layer = torch.nn.MultiheadAttention(D_MODEL, HEADS, batch_first=True).eval()
    with torch.inference_mode():
        return layer(sequence, sequence, sequence, need_weights=False)


ROUTES = {
    "torch.lstm_cell": lstm_cell,
    "torch._VF.lstm_cell": lambda: torch._VF.lstm_cell(x, (h, c), *weights),
    "torch.ops.aten.lstm_cell": lambda: torch.ops.aten.lstm_cell(x, [h, c], *weights),
    "decompose()": lambda: torch.ops.aten.lstm_cell.default.decompose(x, [h, c], *weights),
    "nn.LSTMCell": lambda: cell(x),
    "nn.LSTM": lambda: torch.nn.LSTM(INPUT, HIDDEN)(x[None]),
    "lstm_cell in a thread": lambda: in_a_thread(lstm_cell),
    "lstm_cell under no_grad": lambda: under(torch.no_grad(), lstm_cell),
    "lstm_cell under inference_mode": lambda: under(torch.inference_mode(), lstm_cell),
    "lstm_cell under autocast": lambda: under(torch.autocast("cpu", torch.bfloat16), lstm_cell),
    "lstm_cell with torch functions disabled": lambda: under(
        torch._C.DisableTorchFunction(), lstm_cell
    ),
    "lstm_cell in TorchScript compiled from a string": lambda: compiled_from_a_string(
        "def run(x: Tensor, h: Tensor, c: Tensor, a: Tensor, b: Tensor, d: Tensor, e: Tensor):\n"
        "    return torch.lstm_cell(x, [h, c], a, b, d, e)\n",
        x,
        h,
        c,
        *weights,
    ),  # fmt: skip
    "lstm_cell in torch.jit.script": scripted_lstm_cell,
    "lstm_cell after the learner registers a kernel over it": reregistered_by_the_learner,
    "F.scaled_dot_product_attention": attention,
    "torch._scaled_dot_product_attention_math": lambda: torch._scaled_dot_product_attention_math(
        q, q, q
    ),
    "torch._scaled_dot_product_flash_attention_for_cpu": lambda: (
        torch._scaled_dot_product_flash_attention_for_cpu(q, q, q)
    ),
    "attention in a thread": lambda: in_a_thread(attention),
    "attention under inference_mode": lambda: under(torch.inference_mode(), attention),
    "attention under vmap": lambda: torch.func.vmap(F.scaled_dot_product_attention)(q, q, q),
    "attention in TorchScript compiled from a string": lambda: compiled_from_a_string(
        "def run(q: Tensor):\n    return torch.ops.aten.scaled_dot_product_attention(q, q, q)\n", q
    ),
    "attention in torch.compile": lambda: torch.compile(attention, backend="eager")(),
    "nn.MultiheadAttention's fast path": multihead_fast_path,
    "allowed: matmul, softmax, sigmoid, tanh": lambda: (
        torch.softmax(q @ q.transpose(-2, -1), dim=-1),
        torch.sigmoid(x),
        torch.tanh(x),
    ),
    "allowed: linear layers and backward": lambda: (
        torch.nn.Linear(INPUT, HIDDEN)(x).sum().backward()
    ),
    "allowed: masked_fill, einsum, baddbmm": lambda: (
        q.masked_fill(q > 0, float("-inf")),
        torch.einsum("nhld,nhmd->nhlm", q, q),
        torch.baddbmm(torch.zeros(HEADS, LENGTH, LENGTH), q[0], q[0].transpose(-2, -1)),
    ),
    "allowed: nn.RNN and nn.GRU": lambda: (
        torch.nn.RNN(INPUT, HIDDEN)(x[None]),
        torch.nn.GRU(INPUT, HIDDEN)(x[None]),
    ),
}


def main(exercise_names: list[str]) -> None:
    recorded: list[str] = []
    for name in exercise_names:
        block_operations(operations_behind(find_exercise(name).forbidden), recorded.append)
    gc.collect()  # the registrations must outlive every Python reference to them
    outcomes = {}
    for route, function in ROUTES.items():
        recorded.clear()
        try:
            with contextlib.redirect_stderr(sys.stdout):
                function()
            outcome = "computed"
        except Exception as error:  # noqa: BLE001 - what happened is the result
            outcome = "refused" if "own version" in str(error) else f"failed: {error}"[:300]
        outcomes[route] = {"outcome": outcome, "recorded": sorted(set(recorded))}
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main(sys.argv[1:])
