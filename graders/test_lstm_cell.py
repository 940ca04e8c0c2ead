"""Grader for exercises/lstm_cell.py: LSTMCell and lstm_forward (course notes §5).

Probes (the plain functions below whose first argument is `impl`) run in the learner
process and only return tensors; every check compares them here with PyTorch's own
nn.LSTMCell / nn.LSTM loaded with the same weights.
"""

import functools

import torch
from torch import nn

from course.graders.engine.checks import check
from course.graders.engine.compare import (
    CheckFailed,
    expect_close,
    expect_finite_difference_agrees,
    expect_gradients,
    expect_pair,
    expect_shape,
    expect_tensor,
)
from course.graders.engine.learner.process import LearnerRaised

INPUT_SIZE, HIDDEN_SIZE, BATCH = 5, 4, 3


# -- probes: run in the learner process, sent as source: they use only their arguments ----
def run_cell(impl, state_dict, input, hx, bias=True):
    cell = impl.LSTMCell(input.shape[-1], state_dict["weight_hh"].shape[1], bias=bias)
    cell = cell.to(input.dtype)
    cell.load_state_dict(state_dict)
    return cell(input, hx)


def run_cell_after_a_call_with_a_state(impl, state_dict, input, first_hx):
    """One cell: a call with a state, then hx=None on the whole batch, then on its first row."""
    cell = impl.LSTMCell(input.shape[-1], state_dict["weight_hh"].shape[1]).to(input.dtype)
    cell.load_state_dict(state_dict)
    cell(input, first_hx)
    return cell(input, None), cell(input[:1], None)


def fresh_parameters(impl, input_size, hidden_size):
    torch.manual_seed(0)
    cell = impl.LSTMCell(input_size, hidden_size)
    return {name: parameter.detach().clone() for name, parameter in cell.named_parameters()}


def cell_gradients(impl, state_dict, input, hx, grad_h, grad_c):
    cell = impl.LSTMCell(input.shape[-1], state_dict["weight_hh"].shape[1]).to(input.dtype)
    cell.load_state_dict(state_dict)
    leaves = [
        input.clone().requires_grad_(),
        hx[0].clone().requires_grad_(),
        hx[1].clone().requires_grad_(),
    ]
    h, c = cell(leaves[0], (leaves[1], leaves[2]))
    with_graph = [
        (t, g) for t, g in ((h, grad_h), (c, grad_c)) if getattr(t, "requires_grad", False)
    ]
    # none with a graph: every gradient stays None, and the grader says what was detached
    if with_graph and all(t.shape == g.shape for t, g in with_graph):
        sum((t * g).sum() for t, g in with_graph).backward()  # = backward(h, c; grads), no sympy
    elif with_graph:
        torch.autograd.backward(*zip(*with_graph))  # torch's own error for the wrong shape
    grads = {"input": leaves[0].grad, "h0": leaves[1].grad, "c0": leaves[2].grad}
    grads.update({name: parameter.grad for name, parameter in cell.named_parameters()})
    return grads


def directional_derivative(impl, state_dict, inputs, direction, weights, step):
    cell = impl.LSTMCell(inputs[0].shape[-1], state_dict["weight_hh"].shape[1])
    cell = cell.to(torch.float64)
    cell.load_state_dict(state_dict)

    def scalar(x, h0, c0):
        h, c = cell(x, (h0, c0))
        return (h * weights[0]).sum() + (c * weights[1]).sum()

    leaves = [tensor.clone().requires_grad_() for tensor in inputs]
    value = scalar(*leaves)
    if not value.requires_grad:
        return "no graph"
    value.backward()
    if any(leaf.grad is None for leaf in leaves):
        return "no graph"
    analytic = sum((leaf.grad * d).sum() for leaf, d in zip(leaves, direction))
    with torch.no_grad():
        plus = scalar(*[t + step * d for t, d in zip(inputs, direction)])
        minus = scalar(*[t - step * d for t, d in zip(inputs, direction)])
    return float(analytic), float(plus), float(minus)


def run_sequence(impl, state_dict, x, hx):
    cell = impl.LSTMCell(x.shape[-1], state_dict["weight_hh"].shape[1]).to(x.dtype)
    cell.load_state_dict(state_dict)
    return impl.lstm_forward(cell, x, hx)


def sequence_gradients(impl, state_dict, x, hx, grad_outputs, grad_h, grad_c):
    cell = impl.LSTMCell(x.shape[-1], state_dict["weight_hh"].shape[1]).to(x.dtype)
    cell.load_state_dict(state_dict)
    leaves = {"x": x.clone().requires_grad_(), "h_0": hx[0].clone().requires_grad_(),
              "c_0": hx[1].clone().requires_grad_()}  # fmt: skip
    outputs, (h, c) = impl.lstm_forward(cell, leaves["x"], (leaves["h_0"], leaves["c_0"]))
    loss = (outputs * grad_outputs).sum() + (h * grad_h).sum() + (c * grad_c).sum()
    if loss.requires_grad:  # a fully detached lstm_forward: no gradient reaches anything
        loss.backward()
    grads = {name: leaf.grad for name, leaf in leaves.items()}
    grads.update({name: parameter.grad for name, parameter in cell.named_parameters()})
    return grads


def train_recall(impl, cell_state, head_state, inputs, labels, learning_rate):
    torch.manual_seed(0)
    cell = impl.LSTMCell(inputs.shape[-1], cell_state["weight_hh"].shape[1])
    cell.load_state_dict(cell_state)
    head = nn.Linear(cell.hidden_size, head_state["weight"].shape[0])
    head.load_state_dict(head_state)
    parameters = [*cell.parameters(), *head.parameters()]
    # Adam written out (torch.optim would first import torch._dynamo: 0.75 s of start-up)
    first = [torch.zeros_like(p) for p in parameters]
    second = [torch.zeros_like(p) for p in parameters]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for number, (batch_inputs, batch_labels) in enumerate(zip(inputs, labels), start=1):
        state = None  # batch_inputs (B, T, I), batch_labels (B,)
        for step in range(batch_inputs.shape[1]):
            state = cell(batch_inputs[:, step], state)
        loss = nn.functional.cross_entropy(head(state[0]), batch_labels)
        grads = torch.autograd.grad(loss, parameters)
        with torch.no_grad():
            for p, g, m, v in zip(parameters, grads, first, second):
                m.mul_(beta1).add_(g, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                m_hat, v_hat = m / (1 - beta1**number), v / (1 - beta2**number)
                p.sub_(learning_rate * m_hat / (v_hat.sqrt() + eps))
    return cell.state_dict(), head.state_dict()


# -- references and known mistakes, computed here ---------------------------------------
def reference_cell(state_dict: dict, bias: bool = True, dtype=torch.float32) -> nn.LSTMCell:
    cell = nn.LSTMCell(state_dict["weight_ih"].shape[1], HIDDEN_SIZE, bias=bias).to(dtype)
    cell.load_state_dict(state_dict)
    return cell


def fresh_weights(
    seed: int, bias: bool = True, dtype=torch.float32, input_size: int = INPUT_SIZE
) -> dict:
    torch.manual_seed(seed)
    cell = nn.LSTMCell(input_size, HIDDEN_SIZE, bias=bias).to(dtype)
    return {name: tensor.clone() for name, tensor in cell.state_dict().items()}


def mistaken_step(state_dict: dict, x, hx) -> dict[str, tuple]:
    """What (h, c) would be for the mistakes learners make most often."""
    h_prev, c_prev = hx
    gates = x @ state_dict["weight_ih"].T + h_prev @ state_dict["weight_hh"].T
    only_one_bias = gates + state_dict["bias_ih"]
    gates = gates + state_dict["bias_ih"] + state_dict["bias_hh"]
    i, f, g, o = gates.chunk(4, dim=1)
    sig, tanh = torch.sigmoid, torch.tanh

    def step(i, f, g, o, g_act=tanh, h_of=lambda c_new, c_old: tanh(c_new)):
        c = sig(f) * c_prev + sig(i) * g_act(g)
        return sig(o) * h_of(c, c_prev), c

    return {
        "the gates are unpacked in the wrong order (PyTorch's order is i, f, g, o)": step(
            f, i, g, o
        ),
        "the candidate g goes through sigmoid instead of tanh": step(i, f, g, o, g_act=sig),
        "h uses tanh of the OLD cell state; it should be tanh of the new c": step(
            i, f, g, o, h_of=lambda c_new, c_old: tanh(c_old)
        ),
        "h = o * c is missing the tanh: h = o * tanh(c)": step(i, f, g, o, h_of=lambda c, _: c),
        "only one of the two biases is added (both bias_ih and bias_hh belong in the gates)": step(
            *only_one_bias.chunk(4, dim=1)
        ),
    }


SWAPPED_RESULT = "forward returns (c, h); it must return (h, c), in that order"
SWAPPED_STATE = "hx is unpacked as (c, h); it comes as (h, c), in that order"


def cell_mismatch(learner, what: str) -> str | None:
    """None when one step of the learner's cell from a given state matches nn.LSTMCell (as
    test_h_and_c_match_torch_lstm_cell_with_the_same_weights compares them, decided here);
    otherwise the likely cause a downstream check gives: its failure follows from the cell's.
    """
    weights = fresh_weights(2)
    x, hx = random_state(seed=3)
    expected = tuple(t.detach() for t in reference_cell(weights)(x, hx))
    got = None
    try:
        got = unpack_state(learner.run(run_cell, weights, x, hx), expected[0].shape, "the result")
        if all(same_values(*pair) for pair in zip(got, expected)):
            return None
    except (CheckFailed, LearnerRaised):
        pass
    mistakes = mistaken_step(weights, x, hx)
    mistakes[SWAPPED_RESULT] = expected[::-1]
    mistakes[SWAPPED_STATE] = tuple(t.detach() for t in reference_cell(weights)(x, hx[::-1]))
    known = [
        cause
        for cause, pair in mistakes.items()
        if got is not None and all(same_values(*both) for both in zip(got, pair))
    ]
    which = f" (it looks like: {known[0]})" if known else ""
    return (
        f"{what} builds on your cell, which does not yet match nn.LSTMCell on one step from a "
        f"given state{which}: fix the cell first (the check of h and c against nn.LSTMCell "
        "says what differs); this failure follows from it"
    )


def expect_close_on_the_cell(learner, what: str, got, expected, name, **how) -> None:
    """expect_close for a check that builds on the cell: when it fails and the cell itself
    does not match nn.LSTMCell, the likely cause is the cell, not the check's own causes."""
    try:
        expect_close(got, expected, name, **how)
        return
    except CheckFailed as failure:
        first = failure
    cause = cell_mismatch(learner, what)
    if cause is None:
        raise first
    how.pop("likely_causes", None)
    expect_close(got, expected, name, **{**how, "hint": cause})
    raise first  # the same comparison: not reached


def same_values(got: torch.Tensor, expected: torch.Tensor) -> bool:
    """Equal within expect_close's default tolerance, shape and dtype included."""
    return (
        got.shape == expected.shape
        and got.dtype == expected.dtype
        and torch.allclose(got, expected, atol=1e-5, rtol=1e-4)
    )


def random_state(
    batch: int = BATCH, dtype=torch.float32, seed: int = 1, input_size: int = INPUT_SIZE
):
    generator = torch.Generator().manual_seed(seed)

    def draw(*shape):
        return torch.randn(*shape, generator=generator, dtype=dtype)

    return draw(batch, input_size), (draw(batch, HIDDEN_SIZE), draw(batch, HIDDEN_SIZE))


def unpack_state(got: object, shape: tuple, what: str) -> tuple[torch.Tensor, torch.Tensor]:
    h, c = expect_pair(got, what)
    return expect_shape(h, shape, "h"), expect_shape(c, shape, "c")


# -- checks ----------------------------------------------------------------------------
@check(points=2)
def test_batched_step_returns_h_and_c_of_shape_N_H(learner):
    """forward on input (N, I) returns (h, c), each (N, H), a batch of one (1, I) included."""
    for batch in (BATCH, 1):
        x, hx = random_state(batch=batch)
        got = learner.run(run_cell, fresh_weights(0), x, hx)
        for name, tensor in zip(("h", "c"), expect_pair(got, "LSTMCell.forward's result")):
            if batch == 1 and getattr(tensor, "shape", None) == (HIDDEN_SIZE,):
                raise CheckFailed(
                    f"For a batched input of shape (1, {INPUT_SIZE}), `{name}` should have shape "
                    f"(1, {HIDDEN_SIZE}), but it has shape ({HIDDEN_SIZE},). Likely cause: the "
                    "batch dimension is squeezed away whenever N = 1 (squeeze() or [0]); remove "
                    "it only when the input itself was unbatched, of shape (I,)."
                )
        unpack_state(got, (batch, HIDDEN_SIZE), "LSTMCell.forward's result")


@check(points=1)
def test_unbatched_step_returns_h_and_c_of_shape_H(learner):
    """forward on a single example (I,), with a state (H,) or hx=None, returns (h, c), each (H,) and of the input's dtype (float32 and float64), like nn.LSTMCell."""
    x, (h0, c0) = random_state(batch=1)
    cases = [(torch.float32, (h0[0], c0[0]), "a state (H,)"), (torch.float32, None, "hx=None"),
             (torch.float64, None, "hx=None")]  # fmt: skip
    for dtype, state, given in cases:
        weights = fresh_weights(0, dtype=dtype)
        what = f"LSTMCell.forward on a single {dtype} example (I,) with {given}"
        try:
            got = learner.run(run_cell, weights, x[0].to(dtype), state)
        except LearnerRaised as error:
            if dtype != torch.float64:
                raise
            raise CheckFailed(
                f"{what} failed. {error}\nLikely cause: the zero state of a single example is "
                "made with torch.zeros(...), which is float32 whatever the input; make it with "
                "input.new_zeros(...), which has the input's dtype and device."
            ) from None
        h, c = unpack_state(got, (HIDDEN_SIZE,), f"the result of {what}")
        reference = reference_cell(weights, dtype=dtype)
        expected_h, expected_c = (t.detach() for t in reference(x[0].to(dtype), state))
        against = f"nn.LSTMCell on the same single {dtype} example (I,) with {given}"
        on_a_single_example = "A single example (I,)"
        expect_close_on_the_cell(learner, on_a_single_example, h, expected_h, "h", against=against)
        expect_close_on_the_cell(learner, on_a_single_example, c, expected_c, "c", against=against)


@check(points=4)
def test_h_and_c_match_torch_lstm_cell_with_the_same_weights(learner):
    """One step with a given state matches nn.LSTMCell loaded with the same weights."""
    weights = fresh_weights(2)
    x, hx = random_state(seed=3)
    got_h, got_c = unpack_state(
        learner.run(run_cell, weights, x, hx), (BATCH, HIDDEN_SIZE), "the result"
    )
    expected_h, expected_c = (t.detach() for t in reference_cell(weights)(x, hx))
    mistakes = mistaken_step(weights, x, hx)
    mistakes[SWAPPED_RESULT] = (expected_c, expected_h)
    mistakes[SWAPPED_STATE] = tuple(t.detach() for t in reference_cell(weights)(x, hx[::-1]))
    expect_close(got_c, expected_c, "c", against="nn.LSTMCell",
                 likely_causes={cause: pair[1] for cause, pair in mistakes.items()},
                 hint="check the cell update c = sigmoid(f) * c_prev + sigmoid(i) * tanh(g)")  # fmt: skip
    expect_close(got_h, expected_h, "h", against="nn.LSTMCell",
                 likely_causes={cause: pair[0] for cause, pair in mistakes.items()},
                 hint="check h = sigmoid(o) * tanh(c) with the new c")  # fmt: skip


ZERO_STATE_CASES = [(torch.float32, INPUT_SIZE), (torch.float64, INPUT_SIZE),
                    (torch.float32, HIDDEN_SIZE - 1)]  # fmt: skip
"""(dtype, I) of the hx=None calls: I < H too, where a zero state cut from the input is too narrow."""


@check(points=2)
def test_hx_none_means_a_zero_state(learner):
    """hx=None starts from h = c = 0, of shape (N, H) and the input's dtype (float32 and float64), even after a call with a state or on another batch size."""
    for dtype, input_size in ZERO_STATE_CASES:
        weights = fresh_weights(4, dtype=dtype, input_size=input_size)
        x, first_hx = random_state(dtype=dtype, seed=5, input_size=input_size)
        what = f"LSTMCell.forward(input, None) on a {dtype} input of shape {tuple(x.shape)}"
        what_first_row = (
            f"LSTMCell.forward(input[:1], None) on its first row, of shape (1, {input_size})"
        )
        try:
            got = learner.run(run_cell_after_a_call_with_a_state, weights, x, first_hx)
        except LearnerRaised as error:
            if dtype == torch.float64:
                cause = (
                    "the zero state is made with torch.zeros(...), which is float32 whatever "
                    "the input; make it with input.new_zeros(N, H), which has the input's "
                    "dtype and device."
                )
            elif input_size != INPUT_SIZE:
                cause = (
                    f"the zero state is not of shape (N, H) = ({BATCH}, {HIDDEN_SIZE}) when the "
                    f"input has {input_size} features (fewer than H); make it with "
                    "input.new_zeros(N, H), not from a slice or copy of the input."
                )
            else:
                raise
            raise CheckFailed(f"{what} failed. {error}\nLikely cause: {cause}") from None
        reference = reference_cell(weights, dtype=dtype)
        after_the_state = tuple(t.detach() for t in reference(x, first_hx))
        whole_batch = tuple(t.detach() for t in reference(x))
        got_batch, got_first_row = expect_pair(got, "the probe's results")
        expect_zero_state(
            learner, got_batch, reference, x, after_the_state, f"{what}, after a call with a state"
        )
        expect_zero_state(
            learner, got_first_row, reference, x[:1], whole_batch, f"{what_first_row}, next"
        )


KEEPS_SOMETHING = (
    "the cell keeps the state of its previous call (or zeros made once, for the first batch "
    "size); hx=None must mean new zeros of shape (N, H) at every call"
)


def expect_zero_state(
    learner, got, reference: nn.LSTMCell, x, previous_state: tuple, what: str
) -> None:
    """(h, c) of a hx=None call equal nn.LSTMCell's from zeros, not from `previous_state`, the
    (h, c) that the call before returned."""
    try:
        h, c = unpack_state(got, (x.shape[0], HIDDEN_SIZE), what)
    except CheckFailed as failure:
        shapes = [getattr(t, "shape", None) for t in got] if isinstance(got, (tuple, list)) else []
        if (len(previous_state[0]), HIDDEN_SIZE) not in shapes:
            raise
        raise CheckFailed(f"For {what}: {failure} That is the batch size of the previous call. Likely cause: {KEEPS_SOMETHING}.") from None  # fmt: skip
    previous_call = tuple(t.detach() for t in reference(x, tuple(t[: len(x)] for t in previous_state)))  # fmt: skip
    expected_h, expected_c = (t.detach() for t in reference(x))
    mistakes = {KEEPS_SOMETHING: previous_call, SWAPPED_RESULT: (expected_c, expected_h)}
    hint = "with hx=None, h and c start as zeros of shape (N, H) and the input's dtype (input.new_zeros)"
    against = f"nn.LSTMCell with no state ({x.dtype})"
    call = "A call with hx=None"
    expect_close_on_the_cell(learner, call, h, expected_h, "h", against=against, hint=hint,
                             likely_causes={cause: pair[0] for cause, pair in mistakes.items()})  # fmt: skip
    expect_close_on_the_cell(learner, call, c, expected_c, "c", against=against, hint=hint,
                             likely_causes={cause: pair[1] for cause, pair in mistakes.items()})  # fmt: skip


@check(points=1)
def test_parameters_follow_torch_init_and_bias_false_matches_torch(learner):
    """A fresh cell's parameters are drawn from Uniform(-1/sqrt(H), 1/sqrt(H)), biases included; LSTMCell(..., bias=False) has no bias parameters and matches nn.LSTMCell(bias=False)."""
    weights = fresh_weights(6, bias=False)
    x, hx = random_state(seed=7)
    got = learner.run(run_cell, weights, x, hx, bias=False)
    h, c = unpack_state(got, (BATCH, HIDDEN_SIZE), "the result")
    expected_h, expected_c = (t.detach() for t in reference_cell(weights, bias=False)(x, hx))
    without_bias, against = "LSTMCell(..., bias=False)", "nn.LSTMCell(bias=False)"
    expect_close_on_the_cell(learner, without_bias, h, expected_h, "h", against=against)
    expect_close_on_the_cell(learner, without_bias, c, expected_c, "c", against=against)
    expect_uniform_initialisation(learner)


INIT_INPUT_SIZE, INIT_HIDDEN_SIZE = 32, 64


def expect_uniform_initialisation(learner) -> None:
    """A fresh LSTMCell's weights and biases are spread like Uniform(-1/sqrt(H), 1/sqrt(H))."""
    got = learner.run(fresh_parameters, INIT_INPUT_SIZE, INIT_HIDDEN_SIZE)
    if not isinstance(got, dict):
        raise CheckFailed("The probe did not get the parameters of a fresh LSTMCell back.")
    bound = 1 / INIT_HIDDEN_SIZE**0.5
    call = f"LSTMCell({INIT_INPUT_SIZE}, {INIT_HIDDEN_SIZE})"
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        values = expect_tensor(got.get(name), f"{call}.{name}").double()
        largest, spread = float(values.abs().max()), float(values.std())
        uniform_spread = bound / 3**0.5
        if (
            largest <= bound * (1 + 1e-6)
            and largest > 0.9 * bound
            and abs(spread / uniform_spread - 1) < 0.2
        ):
            continue
        if largest == 0:
            cause = (
                "it is set to zeros; PyTorch draws the biases from the same Uniform as the weights"
            )
        elif largest > bound * (1 + 1e-6):
            cause = "another initialisation (xavier_uniform_, kaiming_uniform_, normal_) replaced the Uniform of reset_parameters"
        else:
            cause = "another initialisation replaced the Uniform of reset_parameters, or a different bound is used"
        raise CheckFailed(
            f"A fresh {call}'s `{name}` should be drawn from Uniform(-1/sqrt(H), 1/sqrt(H)) = "
            f"Uniform(-{bound:.4g}, {bound:.4g}): all values within the bound, the largest near it, "
            f"and a standard deviation near {uniform_spread:.4g}. It has values up to {largest:.4g} "
            f"in size with a standard deviation of {spread:.4g}. Likely cause: {cause}."
        )


@check(points=3)
def test_gradients_match_torch_for_inputs_state_and_every_parameter(learner):
    """Backward gives the same gradients as nn.LSTMCell for input, h0, c0 and all four parameters (float64)."""
    weights = fresh_weights(8, dtype=torch.float64)
    x, hx = random_state(dtype=torch.float64, seed=9)
    grad_h, grad_c = random_state(dtype=torch.float64, seed=10)[1]
    got = learner.run(cell_gradients, weights, x, hx, grad_h, grad_c)
    if not isinstance(got, dict):
        raise CheckFailed("The gradient probe did not get gradients back from your cell.")

    reference = reference_cell(weights, dtype=torch.float64)
    leaves = [
        x.clone().requires_grad_(),
        hx[0].clone().requires_grad_(),
        hx[1].clone().requires_grad_(),
    ]
    h, c = reference(leaves[0], (leaves[1], leaves[2]))
    ((h * grad_h).sum() + (c * grad_c).sum()).backward()  # = backward with (grad_h, grad_c)
    expected = {"input": leaves[0].grad, "h0": leaves[1].grad, "c0": leaves[2].grad}
    expected.update({name: p.grad for name, p in reference.named_parameters()})
    expect_gradients(got, expected, against="nn.LSTMCell's gradient",
                     close=functools.partial(expect_close_on_the_cell, learner, "The backward pass"))  # fmt: skip


FINITE_DIFFERENCE_STEP = 1e-6


@check(points=2)
def test_gradients_agree_with_finite_differences_in_float64(learner):
    """Autograd through the cell agrees with central finite differences along random directions, those of your cell and those of nn.LSTMCell (float64)."""
    weights = fresh_weights(11, dtype=torch.float64)
    reference = reference_cell(weights, dtype=torch.float64)
    for seed in (12, 13):
        x, (h0, c0) = random_state(dtype=torch.float64, seed=seed)
        direction = [t for t in (random_state(dtype=torch.float64, seed=seed + 100)[0], *random_state(dtype=torch.float64, seed=seed + 200)[1])]  # fmt: skip
        output_weights = random_state(dtype=torch.float64, seed=seed + 300)[1]
        got = learner.run(
            directional_derivative, weights, [x, h0, c0], direction, output_weights,
            FINITE_DIFFERENCE_STEP,
        )  # fmt: skip
        if got == "no graph":
            raise CheckFailed(
                "No gradient reached the input or the state (h0, c0) through your cell, so "
                "autograd cannot be compared with finite differences. Likely cause: part of the "
                "computation is detached (.detach(), .data, torch.no_grad, or a new tensor made "
                "from its values)."
            )
        if not (isinstance(got, (tuple, list)) and len(got) == 3):
            raise CheckFailed(
                "The finite-difference probe did not get numbers back from your cell."
            )
        expect_finite_difference_agrees(*got, step=FINITE_DIFFERENCE_STEP, name="(h, c)")
        expected = reference_directional_derivative(
            reference, [x, h0, c0], direction, output_weights, FINITE_DIFFERENCE_STEP
        )
        if abs(got[0] - expected) > 1e-5 * max(1.0, abs(expected)):
            cause = cell_mismatch(learner, "The gradient along a random direction") or (
                "the backward pass computes the gradient of another function than the forward"
            )
            raise CheckFailed(
                f"Along a random direction autograd through your cell says {got[0]:.8g}, but "
                f"nn.LSTMCell with the same weights changes at {expected:.8g} there (central "
                f"finite differences, float64): the gradient is not the LSTM's. {cause}."
            )


def reference_directional_derivative(
    reference: nn.LSTMCell, inputs: list, direction: list, weights: tuple, step: float
) -> float:
    """d/dt of (h * weights[0] + c * weights[1]).sum() at inputs + t * direction, t = 0, by
    central finite differences of nn.LSTMCell; inputs and direction are [x (N, I), h0 (N, H),
    c0 (N, H)]."""

    def scalar(x, h0, c0) -> float:
        h, c = reference(x, (h0, c0))
        return float((h * weights[0]).sum() + (c * weights[1]).sum())

    with torch.no_grad():
        plus = scalar(*[t + step * d for t, d in zip(inputs, direction)])
        minus = scalar(*[t - step * d for t, d in zip(inputs, direction)])
    return (plus - minus) / (2 * step)


SEQUENCE_CASES = [(BATCH, 6, torch.float32, True, INPUT_SIZE),
                  (BATCH, 6, torch.float32, False, INPUT_SIZE), (1, 1, torch.float32, False, INPUT_SIZE),
                  (2, 9, torch.float64, True, INPUT_SIZE), (2, 5, torch.float64, False, INPUT_SIZE),
                  (2, 4, torch.float32, False, HIDDEN_SIZE - 1)]  # fmt: skip
"""(N, T, dtype, whether (h_0, c_0) is given, I) of the sequences lstm_forward runs over: I < H
too, where a zero state cut from x is too narrow."""


@check(points=3)
def test_lstm_forward_matches_torch_lstm_over_a_sequence(learner):
    """lstm_forward over x (N, T, I) returns outputs (N, T, H) and (h_T, c_T) equal to nn.LSTM(batch_first=True), for any N, T and dtype, and backpropagates through every step like it (float64)."""
    for seed, (batch, steps, dtype, with_state, input_size) in enumerate(SEQUENCE_CASES, start=15):
        weights = fresh_weights(14, dtype=dtype, input_size=input_size)
        generator = torch.Generator().manual_seed(seed)
        x = torch.randn(batch, steps, input_size, generator=generator, dtype=dtype)
        hx = tuple(
            torch.randn(batch, HIDDEN_SIZE, generator=generator, dtype=dtype) for _ in range(2)
        )
        state = hx if with_state else None
        try:
            got = learner.run(run_sequence, weights, x, state)
        except LearnerRaised as error:
            if with_state or input_size >= HIDDEN_SIZE:
                raise
            raise CheckFailed(
                f"lstm_forward(cell, x, None) on x of shape {tuple(x.shape)} failed. {error}\n"
                f"Likely cause: the zero state is not of shape (N, H) = ({batch}, {HIDDEN_SIZE}) "
                f"when x has {input_size} features (fewer than H); make it with "
                "x.new_zeros(N, H), not from a slice or copy of x, or pass hx=None on to the cell."
            ) from None
        outputs, final = expect_pair(got, "lstm_forward's result (outputs, (h_T, c_T))")
        h_last, c_last = unpack_state(final, (batch, HIDDEN_SIZE), "the final state (h_T, c_T)")
        expected_outputs, (expected_h, expected_c) = torch_lstm(weights, x, state)
        where = f"nn.LSTM on x of shape {tuple(x.shape)} ({dtype}) " + (
            "from the given (h_0, c_0)" if state else "from a zero state"
        )
        expect_close_on_the_cell(learner, "lstm_forward", outputs, expected_outputs, "outputs", against=where,
                                 hint="outputs[:, t] must be h after step t, for every t in range(T) with T = x.shape[1], stacked on dim 1")  # fmt: skip
        expect_close_on_the_cell(learner, "lstm_forward", h_last, expected_h, "h_T", against=where)
        expect_close_on_the_cell(learner, "lstm_forward", c_last, expected_c, "c_T", against=where)
    expect_gradients_through_time(learner)


def torch_lstm(weights: dict, x: torch.Tensor, hx) -> tuple:
    lstm = nn.LSTM(x.shape[-1], HIDDEN_SIZE, batch_first=True).to(x.dtype)
    lstm.load_state_dict({f"{name}_l0": tensor for name, tensor in weights.items()})
    state = None if hx is None else (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
    with torch.no_grad():
        outputs, (h, c) = lstm(x, state)
    return outputs, (h[0], c[0])


def expect_gradients_through_time(learner) -> None:
    """Gradients of lstm_forward equal nn.LSTM's for x, (h_0, c_0) and every parameter."""
    weights = fresh_weights(20, dtype=torch.float64)
    generator = torch.Generator().manual_seed(21)

    def draw(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64)

    x, hx = draw(2, 5, INPUT_SIZE), (draw(2, HIDDEN_SIZE), draw(2, HIDDEN_SIZE))
    grad_outputs, grad_h, grad_c = (
        draw(2, 5, HIDDEN_SIZE),
        draw(2, HIDDEN_SIZE),
        draw(2, HIDDEN_SIZE),
    )
    got = learner.run(sequence_gradients, weights, x, hx, grad_outputs, grad_h, grad_c)
    if not isinstance(got, dict):
        raise CheckFailed("The gradient probe did not get gradients back from lstm_forward.")
    expected = gradients_through_time(
        weights, x, hx, (grad_outputs, grad_h, grad_c), truncated=False
    )
    truncated = gradients_through_time(
        weights, x, hx, (grad_outputs, grad_h, grad_c), truncated=True
    )
    expect_gradients(
        got, expected, against="nn.LSTM's gradient (float64, T = 5)", through=" through lstm_forward",
        why_missing="the outputs or the state are detached (.detach(), .data, torch.no_grad, or a "
        "new tensor made from their values). Backpropagation through time needs the graph of every step.",
        likely_causes={"the state is detached between steps, so gradients stop after one step": truncated},
        hint="every step must use the (h, c) the previous step returned, with its graph",
        close=functools.partial(expect_close_on_the_cell, learner, "lstm_forward"),
    )  # fmt: skip


def gradients_through_time(weights: dict, x, hx, grads: tuple, truncated: bool) -> dict:
    """d loss / d (x, h_0, c_0, parameters) for loss = outputs, h_T, c_T weighted by `grads`."""
    leaves = {"x": x.clone().requires_grad_(), "h_0": hx[0].clone().requires_grad_(),
              "c_0": hx[1].clone().requires_grad_()}  # fmt: skip
    if truncated:  # the mistake: PyTorch's own cell, with the state detached after every step
        cell = reference_cell(weights, dtype=x.dtype)
        state, outputs = (leaves["h_0"], leaves["c_0"]), []
        for step in range(x.shape[1]):
            h, c = cell(leaves["x"][:, step], state)
            outputs.append(h)
            state = (h.detach(), c.detach())
        outputs, (h, c) = torch.stack(outputs, dim=1), state  # the final state detached too
        parameters = dict(cell.named_parameters())
    else:
        lstm = nn.LSTM(x.shape[-1], HIDDEN_SIZE, batch_first=True).to(x.dtype)
        lstm.load_state_dict({f"{name}_l0": tensor for name, tensor in weights.items()})
        outputs, (h, c) = lstm(leaves["x"], (leaves["h_0"][None], leaves["c_0"][None]))
        h, c = h[0], c[0]
        parameters = {name.removesuffix("_l0"): p for name, p in lstm.named_parameters()}
    ((outputs * grads[0]).sum() + (h * grads[1]).sum() + (c * grads[2]).sum()).backward()
    return {name: leaf.grad for name, leaf in {**leaves, **parameters}.items()}


# -- learning: remember a token seen 30 steps earlier ----------------------------------
RECALL_CLASSES, RECALL_NOISE_CHANNELS, RECALL_LENGTH, RECALL_HIDDEN = 4, 4, 30, 16
RECALL_STEPS, RECALL_BATCH, RECALL_LEARNING_RATE, RECALL_FORGET_BIAS = 80, 256, 0.01, 3.0
RECALL_ACCURACY = 0.9


def recall_batch(generator: torch.Generator, size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Sequences (size, T, K + D): a one-hot token at t=0, then noise; the label is that token."""
    labels = torch.randint(0, RECALL_CLASSES, (size,), generator=generator)
    inputs = torch.zeros(size, RECALL_LENGTH, RECALL_CLASSES + RECALL_NOISE_CHANNELS)
    inputs[torch.arange(size), 0, labels] = 1.0
    noise = torch.randn(size, RECALL_LENGTH - 1, RECALL_NOISE_CHANNELS, generator=generator)
    inputs[:, 1:, RECALL_CLASSES:] = 0.3 * noise
    return inputs, labels


def recall_accuracy(cell_state: dict, head_state: dict, seed: int) -> float:
    """Accuracy of trained weights on fresh sequences, evaluated with PyTorch's own nn.LSTM."""
    inputs, labels = recall_batch(torch.Generator().manual_seed(seed), 1000)
    lstm = nn.LSTM(inputs.shape[-1], RECALL_HIDDEN, batch_first=True)
    lstm.load_state_dict({f"{name}_l0": tensor for name, tensor in cell_state.items()})
    head = nn.Linear(RECALL_HIDDEN, RECALL_CLASSES)
    head.load_state_dict(head_state)
    with torch.no_grad():
        _, (h_last, _) = lstm(inputs)
        return float((head(h_last[0]).argmax(dim=1) == labels).float().mean())


def recall_training_run(seed: int) -> tuple[dict, dict, torch.Tensor, torch.Tensor]:
    """Initial weights (forget gate biased open, as is usual for LSTMs) and training batches."""
    torch.manual_seed(seed)
    cell = nn.LSTMCell(RECALL_CLASSES + RECALL_NOISE_CHANNELS, RECALL_HIDDEN)
    with torch.no_grad():
        cell.bias_ih[RECALL_HIDDEN : 2 * RECALL_HIDDEN] += RECALL_FORGET_BIAS
    head = nn.Linear(RECALL_HIDDEN, RECALL_CLASSES)
    generator = torch.Generator().manual_seed(seed + 1)
    batches = [recall_batch(generator, RECALL_BATCH) for _ in range(RECALL_STEPS)]
    inputs = torch.stack([inputs for inputs, _ in batches])  # (steps, B, T, K + D)
    labels = torch.stack([labels for _, labels in batches])  # (steps, B)
    return cell.state_dict(), head.state_dict(), inputs, labels


@check(points=4, timeout=30)
def test_learns_to_recall_a_token_seen_30_steps_earlier(learner):
    """A model on your cell learns to recall the first token of a 30-step noisy sequence (>= 90% accuracy; a tanh RNN stays near chance)."""
    accuracy = 0.0
    for seed in (0, 1):  # a second, independent run in case the first lands in a rare plateau
        cell_state, head_state, inputs, labels = recall_training_run(seed)
        got = learner.run(
            train_recall, cell_state, head_state, inputs, labels, RECALL_LEARNING_RATE
        )
        trained_cell, trained_head = expect_pair(got, "the trained weights")
        try:
            accuracy = max(accuracy, recall_accuracy(trained_cell, trained_head, seed=100 + seed))
        except (RuntimeError, KeyError, TypeError) as error:
            raise CheckFailed(
                f"The trained weights of your cell do not load into nn.LSTM: {error}"
            ) from None
        if accuracy >= RECALL_ACCURACY:
            return
    raise CheckFailed(
        f"After {RECALL_STEPS} training steps, a model built on your cell recalls the first token "
        f"with {accuracy:.0%} accuracy (evaluated by PyTorch's nn.LSTM with your trained weights); "
        f"at least {RECALL_ACCURACY:.0%} was expected (chance is {1 / RECALL_CLASSES:.0%}). "
        "Likely cause: the cell state update or its gradient is wrong, so the memory does not "
        "carry the token across the sequence."
    )
