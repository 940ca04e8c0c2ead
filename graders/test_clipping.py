"""Grader for exercises/clipping.py: clip_grad_norm_ and clip_grad_value_ (course notes §7).

Probes (the plain functions below whose first argument is `impl`) run in the learner
process: they give fresh parameters the gradients sent from here, call the learner's
function, and return the gradients afterwards. Every check compares them here with
PyTorch's own torch.nn.utils.clip_grad_norm_ / clip_grad_value_ on the same gradients.
The training check trains a ReLU RNN whose gradients explode, clipped by the learner's
function, and evaluates the trained weights here with PyTorch's own nn.RNN.
"""

import math

import torch
from torch import nn

from course.graders.engine.checks import check
from course.graders.engine.compare import CheckFailed, expect_close, expect_shape, expect_tensor

CLIPPED_MAX_NORM, LOOSE_MAX_NORM = 1.0, 50.0  # the model's gradients have a total norm near 20
GENERATOR_READ_TWICE = (
    "a generator (like model.parameters()) can be iterated only once: your code reads "
    "`parameters` a second time and finds nothing to clip (a list of the same parameters is "
    "clipped right). Make a list of the gradients first"
)
NOTHING_CLIPPED = "nothing was clipped: the gradients are exactly as they were before the call"
SINGLE_TENSOR_AS_ROWS = (
    "nothing was clipped, although a list holding the same tensor is: looping over one tensor "
    "gives its rows, not the tensor. Wrap it first: "
    "`if isinstance(parameters, torch.Tensor): parameters = [parameters]`"
)
NOT_IN_PLACE = (
    "change the gradient tensors themselves, in place (grad.mul_(...), grad.clamp_(...)): "
    "`p.grad = ...` makes a new tensor, and anything holding the old one (a hook, an "
    "optimizer's state) still sees the unclipped values"
)


# -- probes: run in the learner process, sent as source: they use only their arguments ----
def clip(impl, function_name, grads, arguments, pass_as="list", frozen=()):
    """grads {name: tensor or None} become the .grad of fresh parameters, then get clipped.
    Returns (result, .grad after the call, the .grad tensors held from before, the names of
    parameters whose values changed)."""
    parameters = {
        name: nn.Parameter(
            torch.linspace(-0.7, 0.9, 2 if grad is None else grad.numel())
            .to(torch.float32 if grad is None else grad.dtype)
            .view(2 if grad is None else grad.shape)
        )
        for name, grad in grads.items()
    }
    values = {name: parameter.detach().clone() for name, parameter in parameters.items()}
    for name in frozen:  # requires_grad=False, but a .grad is set: it is clipped all the same
        parameters[name].requires_grad_(False)
    for name, grad in grads.items():
        parameters[name].grad = None if grad is None else grad.clone()
    held = {name: parameter.grad for name, parameter in parameters.items()}  # before the call
    listed = list(parameters.values())
    if pass_as == "tensor":
        argument = listed[0]
    elif pass_as == "generator":
        argument = (parameter for parameter in listed)
    else:
        argument = listed
    result = getattr(impl, function_name)(argument, *arguments)
    changed = [name for name, p in parameters.items() if not torch.equal(p.detach(), values[name])]
    return result, {name: parameter.grad for name, parameter in parameters.items()}, held, changed


def train_exploding_rnn(impl, rnn_state, head_state, inputs, targets, learning_rate, max_norm):
    hidden_size, input_size = rnn_state["weight_ih_l0"].shape
    rnn = nn.RNN(input_size, hidden_size, nonlinearity="relu", batch_first=True)
    rnn.load_state_dict(rnn_state)
    head = nn.Linear(hidden_size, head_state["weight"].shape[0])
    head.load_state_dict(head_state)
    model = nn.ModuleList([rnn, head])
    losses = []
    for batch_inputs, batch_targets in zip(inputs, targets):  # (B, T, I), (B, 1)
        _, h_last = rnn(batch_inputs)  # (1, B, H)
        loss = nn.functional.mse_loss(head(h_last[0]), batch_targets)
        model.zero_grad()
        loss.backward()
        impl.clip_grad_norm_(model.parameters(), max_norm)
        with torch.no_grad():  # plain SGD, written out (torch.optim is slow to import)
            for parameter in model.parameters():
                parameter.sub_(learning_rate * parameter.grad)
        losses.append(loss.detach())
    return torch.stack(losses), rnn.state_dict(), head.state_dict()


# -- references and known mistakes, computed here ---------------------------------------
def model_gradients(seed: int = 0) -> dict[str, torch.Tensor]:
    """The gradients of a small RNN + linear model on random data (total 2-norm near 20)."""
    torch.manual_seed(seed)
    model = nn.ModuleDict({"rnn": nn.RNN(3, 5, batch_first=True), "head": nn.Linear(5, 2)})
    outputs, _ = model["rnn"](torch.randn(4, 6, 3))  # (N, T, H)
    loss = model["head"](outputs).pow(2).sum()
    grads = torch.autograd.grad(loss, list(model.parameters()))
    return {name: grad for (name, _), grad in zip(model.named_parameters(), grads)}


def torch_clip(function_name: str, grads: dict, *arguments, frozen=()) -> tuple[object, dict]:
    """What PyTorch's own function returns and leaves in .grad; None gradients stay None."""
    parameters = {name: nn.Parameter(torch.ones(2)) for name in grads}
    for name, grad in grads.items():
        if grad is not None:
            parameters[name] = nn.Parameter(torch.ones_like(grad))
            parameters[name].grad = grad.clone()
    for name in frozen:
        parameters[name].requires_grad_(False)
    result = getattr(torch.nn.utils, function_name)(list(parameters.values()), *arguments)
    return result, {name: parameter.grad for name, parameter in parameters.items()}


def norm_mistakes(grads: dict, max_norm: float) -> dict[str, dict]:
    """What each gradient would be after the norm-clipping mistakes learners make most often."""
    total = float(torch.nn.utils.get_total_norm(list(grads.values())))

    def own_norm_clipped(grad):
        return grad * min(1.0, max_norm / (float(grad.norm()) + 1e-6))

    return {
        "each gradient was clipped by its OWN norm; clip_grad_norm_ computes one norm over all "
        "gradients together and scales them all by the same factor": {
            name: own_norm_clipped(grad) for name, grad in grads.items()
        },
        "the gradients were scaled UP to max_norm; the factor max_norm / total_norm may only "
        "shrink them (use min(1, ...))": {
            name: grad * max_norm / (total + 1e-6) for name, grad in grads.items()
        },
        "the gradients were divided by total_norm, which gives them norm 1 whatever max_norm "
        "is; multiply them by max_norm / (total_norm + 1e-6)": {
            name: grad / (total + 1e-6) for name, grad in grads.items()
        },
        NOTHING_CLIPPED: grads,
    }


def run_clip(learner, function_name: str, grads: dict, *arguments, pass_as="list", frozen=()):
    """The learner's (result, grads after the call, the .grad tensors held from before);
    CheckFailed if the call changed the parameters themselves."""
    got = learner.run(clip, function_name, grads, arguments, pass_as=pass_as, frozen=frozen)
    if not (isinstance(got, (tuple, list)) and len(got) == 4):
        raise CheckFailed(f"The probe did not get {function_name}'s results back from your code.")
    result, after, held, changed = got
    if changed:
        raise CheckFailed(
            f"{function_name} changed the parameters themselves ({', '.join(changed)}): "
            "clipping changes only their gradients, p.grad, never p or p.data."
        )
    return result, after, held


def expect_gradients(
    got: dict,
    expected: dict,
    against: str,
    likely_causes: dict[str, dict] | None = None,
    hint: str | None = None,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> None:
    """Every gradient equals PyTorch's; a gradient that was None must still be None."""
    for name, expected_grad in expected.items():
        if expected_grad is None:
            if got[name] is not None:
                raise CheckFailed(
                    f"`{name}` had no gradient (.grad is None) and must be skipped, but after "
                    "your call its .grad is a tensor."
                )
            continue
        if got[name] is None:
            raise CheckFailed(f"After your call the .grad of `{name}` is None; it must be kept.")
        causes = {cause: would_give[name] for cause, would_give in (likely_causes or {}).items()}
        expect_close(got[name], expected_grad, f"gradient of {name}", against=against,
                     atol=atol, rtol=rtol, likely_causes=causes, hint=hint)  # fmt: skip


def expect_total_norm(
    got: object,
    expected: torch.Tensor,
    against: str,
    max_norm: float,
    likely_causes: dict[str, torch.Tensor] | None = None,
) -> None:
    """The returned total norm is a 0-dim tensor equal to `expected`, the norm before clipping."""
    if isinstance(got, (int, float)):
        raise CheckFailed(
            f"clip_grad_norm_ should return total_norm as a 0-dim tensor, like PyTorch's, but it "
            f"returned a Python {type(got).__name__}: return the tensor, not .item() or float()."
        )
    expect_shape(expect_tensor(got, "total_norm"), (), "total_norm")
    causes = {
        "this is the norm AFTER clipping (about max_norm); return the one computed before "
        "scaling": torch.tensor(max_norm),
        **(likely_causes or {}),
    }
    expect_close(got, expected, "total_norm", against=against, likely_causes=causes)


def expect_clipped_when_passed_as(
    learner, function_name: str, grads: dict, limit: float, pass_as: str, mistake: str
) -> tuple[object, object]:
    """Parameters passed as `pass_as` are clipped as PyTorch clips a list. `mistake` is named
    when the same gradients passed as a list come out right but these stay untouched.
    Returns the learner's result and PyTorch's."""
    expected_result, expected = torch_clip(function_name, grads, limit)
    against = f"torch.nn.utils.{function_name}"
    expect_gradients(run_clip(learner, function_name, grads, limit)[1], expected, against)
    result, after, _ = run_clip(learner, function_name, grads, limit, pass_as=pass_as)
    given = {"generator": "a generator", "tensor": "a single tensor"}[pass_as]
    expect_gradients(after, expected, f"{against} given {given}",
                     likely_causes={mistake: grads})  # fmt: skip
    return result, expected_result


# -- checks: clip_grad_norm_ -------------------------------------------------------------
@check(points=4)
def test_norm_clipping_scales_all_gradients_by_one_common_factor_like_torch(learner):
    """With a total norm above max_norm (1, then 5), every gradient equals torch.nn.utils.clip_grad_norm_'s result."""
    grads = model_gradients()
    for max_norm in (CLIPPED_MAX_NORM, 5.0):  # not only 1: dividing by total_norm gives norm 1
        _, after, _ = run_clip(learner, "clip_grad_norm_", grads, max_norm)
        _, expected = torch_clip("clip_grad_norm_", grads, max_norm)
        expect_gradients(after, expected, f"torch.nn.utils.clip_grad_norm_ with max_norm={max_norm:g}",
                         likely_causes=norm_mistakes(grads, max_norm),
                         hint="scale every gradient by max_norm / (total_norm + 1e-6), where "
                         "total_norm is the norm of all gradients together")  # fmt: skip


@check(points=2)
def test_returns_the_total_norm_computed_before_clipping(learner):
    """The returned total_norm is the 2-norm of all gradients together before clipping, as PyTorch returns."""
    grads = model_gradients()
    total_norm, _, _ = run_clip(learner, "clip_grad_norm_", grads, CLIPPED_MAX_NORM)
    expected, _ = torch_clip("clip_grad_norm_", grads, CLIPPED_MAX_NORM)
    norms = torch.stack([grad.norm() for grad in grads.values()])
    expect_total_norm(total_norm, expected, "the norm PyTorch returns", CLIPPED_MAX_NORM, {
        "this is the squared norm; take the square root of the sum of squares": expected**2,
        "this is the largest per-parameter norm, not the norm of all gradients "
        "together": norms.max(),
        "this is the sum of the per-parameter norms; the total is the norm of the vector "
        "of per-parameter norms, sqrt(sum of their squares)": norms.sum(),
    })  # fmt: skip


@check(points=2)
def test_gradients_below_max_norm_are_left_as_they_were(learner):
    """With a total norm below max_norm, the gradients are not changed (never scaled up) and the norm is returned."""
    grads = model_gradients()
    total_norm, after, _ = run_clip(learner, "clip_grad_norm_", grads, LOOSE_MAX_NORM)
    expected_norm, expected = torch_clip("clip_grad_norm_", grads, LOOSE_MAX_NORM)
    expect_gradients(after, expected, f"the unchanged gradients (total norm {float(expected_norm):.3g} < max_norm {LOOSE_MAX_NORM:g})",
                     likely_causes=norm_mistakes(grads, LOOSE_MAX_NORM), atol=1e-7, rtol=1e-6,
                     hint="below max_norm the gradients must stay as they are")  # fmt: skip
    expect_total_norm(total_norm, expected_norm, "the norm PyTorch returns", LOOSE_MAX_NORM)


@check(points=1)
def test_norm_clipping_keeps_the_direction_and_value_clipping_does_not(learner):
    """Norm clipping keeps the direction of all gradients together; value clipping clamps each entry alone (Q10)."""
    grads = {
        "weight": torch.tensor([[3.0, -0.5], [0.25, -4.0]]),
        "bias": torch.tensor([0.5, -2.0]),
    }
    original = torch.cat([grad.flatten() for grad in grads.values()])
    _, by_norm, _ = run_clip(learner, "clip_grad_norm_", grads, 1.0)
    _, by_value, _ = run_clip(learner, "clip_grad_value_", grads, 1.0)
    if any(grad is None for grad in (*by_norm.values(), *by_value.values())):
        raise CheckFailed("After your call a gradient is None; clipping must keep every .grad.")
    clipped = torch.cat([expect_tensor(grad, "gradient").flatten() for grad in by_norm.values()])
    if clipped.shape != original.shape:
        raise CheckFailed("clip_grad_norm_ changed the shape of a gradient.")
    cosine = float(torch.nn.functional.cosine_similarity(clipped, original, dim=0))
    if not (cosine > 1 - 1e-5 and abs(float(clipped.norm()) - 1.0) < 1e-4):
        raise CheckFailed(
            f"After clip_grad_norm_(parameters, 1.0) the gradients, taken together as one vector, "
            f"have norm {float(clipped.norm()):.4g} and cosine similarity {cosine:.4f} with the "
            "original (expected norm 1 and cosine similarity 1): norm clipping multiplies every "
            "entry of every gradient by the same factor, so only the length changes."
        )
    for name, grad in grads.items():
        expect_close(by_value[name], grad.clamp(-1.0, 1.0), f"gradient of {name}",
                     against="each entry clamped to [-1, 1] on its own",
                     hint="clip_grad_value_ clamps every entry independently (entries inside "
                     "the range stay as they are), so the direction may change")  # fmt: skip


@check(points=2)
def test_infinity_norm_is_the_largest_absolute_gradient_entry(learner):
    """norm_type=inf: the total norm is the largest absolute entry of any gradient (a negative one too), and clipping matches PyTorch."""
    infinity = float("inf")
    max_norm = 2.0  # not 1: a wrong inf-norm formula gives 1, the norm after clipping gives 2
    positive = model_gradients()  # its largest absolute entry is positive
    negated = {name: -grad for name, grad in positive.items()}  # ... and here negative
    for grads in (positive, negated):
        total_norm, after, _ = run_clip(learner, "clip_grad_norm_", grads, max_norm, infinity)
        expected_norm, expected = torch_clip("clip_grad_norm_", grads, max_norm, infinity)
        two_norm = torch.nn.utils.get_total_norm(list(grads.values()))
        largest_entry = torch.stack([grad.max() for grad in grads.values()]).max()
        expect_total_norm(total_norm, expected_norm, "the largest absolute gradient entry", max_norm, {
            "the formula (sum |g|^p)^(1/p) was used with p = inf, which gives 1; the inf-norm is "
            "max |g| and needs its own case (or torch.linalg.vector_norm(x, float('inf')))": torch.tensor(1.0),
            "the 2-norm was used whatever norm_type says": two_norm,
            "this is the largest entry, max g, not the largest ABSOLUTE entry, max |g|: a large "
            "negative entry counts too": largest_entry,
        })  # fmt: skip
        expect_gradients(after, expected, "torch.nn.utils.clip_grad_norm_ with norm_type=inf")


@check(points=1)
def test_other_p_norms_match_torch(learner):
    """norm_type=1.0 and 3.0 give the same total norm and clipped gradients as PyTorch."""
    grads = model_gradients(seed=1)
    two_norm = torch.nn.utils.get_total_norm(list(grads.values()))
    for norm_type in (1.0, 3.0):
        total_norm, after, _ = run_clip(
            learner, "clip_grad_norm_", grads, CLIPPED_MAX_NORM, norm_type
        )
        expected_norm, expected = torch_clip("clip_grad_norm_", grads, CLIPPED_MAX_NORM, norm_type)
        against = f"torch.nn.utils.clip_grad_norm_ with norm_type={norm_type:g}"
        expect_total_norm(total_norm, expected_norm, against, CLIPPED_MAX_NORM, {
            "the 2-norm was used whatever norm_type says": two_norm,
        })  # fmt: skip
        expect_gradients(after, expected, against)


@check(points=2)
def test_parameters_without_a_gradient_are_skipped(learner):
    """Parameters whose .grad is None keep None; the others (requires_grad or not) are clipped by the norm of the gradients that exist."""
    grads = model_gradients()
    grads = {name: None if "bias" in name else grad for name, grad in grads.items()}
    total_norm, after, _ = run_clip(learner, "clip_grad_norm_", grads, CLIPPED_MAX_NORM)
    expected_norm, expected = torch_clip("clip_grad_norm_", grads, CLIPPED_MAX_NORM)
    expect_gradients(after, expected, "PyTorch, which skips parameters without a gradient")
    expect_total_norm(
        total_norm, expected_norm, "the norm of the gradients that exist", CLIPPED_MAX_NORM
    )
    frozen = ["head.weight"]
    total_norm, after, _ = run_clip(learner, "clip_grad_norm_", model_gradients(), CLIPPED_MAX_NORM, frozen=frozen)  # fmt: skip
    expected_norm, expected = torch_clip("clip_grad_norm_", model_gradients(), CLIPPED_MAX_NORM, frozen=frozen)  # fmt: skip
    expect_gradients(after, expected, "PyTorch, which clips every .grad that is not None, "
                     "also that of a parameter with requires_grad=False")  # fmt: skip
    nothing = {name: None for name in grads}
    total_norm, after, _ = run_clip(learner, "clip_grad_norm_", nothing, CLIPPED_MAX_NORM)
    expect_gradients(after, nothing, "PyTorch, which skips parameters without a gradient")
    expect_total_norm(total_norm, torch.tensor(0.0), "PyTorch's total norm when no parameter "
                      "has a gradient", CLIPPED_MAX_NORM)  # fmt: skip


@check(points=1)
def test_all_zero_gradients_stay_zero_without_dividing_by_zero(learner):
    """Gradients that are all zero give total_norm 0 and stay zero (no division by zero, no NaN)."""
    grads = {name: torch.zeros_like(grad) for name, grad in model_gradients().items()}
    total_norm, after, _ = run_clip(learner, "clip_grad_norm_", grads, CLIPPED_MAX_NORM)
    expect_gradients(after, grads, "torch.nn.utils.clip_grad_norm_ on zero gradients",
                     hint="the gradients must stay 0: divide by (total_norm + 1e-6), never "
                     "by total_norm alone, and scale only when total_norm > max_norm")  # fmt: skip
    expect_total_norm(total_norm, torch.tensor(0.0), "the norm of zero gradients", CLIPPED_MAX_NORM)


@check(points=1)
def test_float64_gradients_give_a_float64_total_norm_like_torch(learner):
    """With float64 gradients, total_norm is a float64 0-dim tensor and the clipped gradients equal PyTorch's."""
    grads = {name: grad.double() for name, grad in model_gradients(seed=4).items()}
    total_norm, after, _ = run_clip(learner, "clip_grad_norm_", grads, CLIPPED_MAX_NORM)
    expected_norm, expected = torch_clip("clip_grad_norm_", grads, CLIPPED_MAX_NORM)
    expect_gradients(
        after, expected, "torch.nn.utils.clip_grad_norm_ on float64 gradients", atol=1e-9, rtol=1e-6
    )  # fmt: skip  (rtol: with or without the 1e-6)
    expect_total_norm(total_norm, expected_norm, "PyTorch's float64 total norm", CLIPPED_MAX_NORM)


@check(points=2)
def test_a_generator_of_parameters_is_clipped_too(learner):
    """parameters given as a generator (like model.parameters()) are clipped exactly like a list."""
    total_norm, expected_norm = expect_clipped_when_passed_as(
        learner, "clip_grad_norm_", model_gradients(), CLIPPED_MAX_NORM, "generator",
        GENERATOR_READ_TWICE,
    )  # fmt: skip
    expect_total_norm(
        total_norm, expected_norm, "the norm PyTorch returns for a generator", CLIPPED_MAX_NORM
    )


@check(points=1)
def test_a_single_tensor_is_accepted_by_both_functions(learner):
    """parameters may be one tensor instead of an iterable: both functions clip its gradient."""
    grads = {"weight": model_gradients()["head.weight"]}
    total_norm, expected_norm = expect_clipped_when_passed_as(
        learner, "clip_grad_norm_", grads, CLIPPED_MAX_NORM, "tensor", SINGLE_TENSOR_AS_ROWS
    )
    expect_total_norm(
        total_norm, expected_norm, "the norm PyTorch returns for a single tensor", CLIPPED_MAX_NORM
    )
    expect_clipped_when_passed_as(
        learner, "clip_grad_value_", grads, 0.5, "tensor", SINGLE_TENSOR_AS_ROWS
    )


@check(points=1)
def test_both_functions_change_the_gradient_tensors_in_place(learner):
    """The .grad tensors that existed before the call hold the clipped values (p.grad is not replaced)."""
    grads = model_gradients()
    for function_name, limit in (("clip_grad_norm_", CLIPPED_MAX_NORM), ("clip_grad_value_", 0.5)):
        _, after, held = run_clip(learner, function_name, grads, limit)
        for name, grad in grads.items():
            if after[name] is None or torch.equal(after[name], grad):
                raise CheckFailed(
                    f"{function_name} left the gradient of `{name}` as it was, although it is "
                    "above the limit here: nothing was clipped, in place or not."
                )
        # the clipped values, not any change: the old tensors are held against them below
        expect_gradients(after, torch_clip(function_name, grads, limit)[1],
                         f"torch.nn.utils.{function_name}")  # fmt: skip
        for name in grads:
            expect_close(held[name], after[name], f"the old .grad tensor of {name}",
                         against=f"p.grad after {function_name}", hint=NOT_IN_PLACE)  # fmt: skip


# -- checks: clip_grad_value_ ------------------------------------------------------------
@check(points=3)
def test_value_clipping_matches_torch(learner):
    """Every gradient entry is clamped to [-clip_value, clip_value], as torch.nn.utils.clip_grad_value_ does."""
    grads = model_gradients(seed=2)
    for clip_value in (0.5, 3.0):
        result, after, _ = run_clip(learner, "clip_grad_value_", grads, clip_value)
        if result is not None:
            raise CheckFailed(
                "clip_grad_value_ should return None, like PyTorch's: it changes the gradients "
                f"in place, and there is no norm to report. It returned {result!r:.80}."
            )
        _, expected = torch_clip("clip_grad_value_", grads, clip_value)
        expect_gradients(after, expected, f"torch.nn.utils.clip_grad_value_ with clip_value={clip_value:g}",
                         likely_causes={
                             "only the upper bound was applied; entries below -clip_value must "
                             "become -clip_value too": {n: g.clamp(max=clip_value) for n, g in grads.items()},
                             f"{NOTHING_CLIPPED} (were the parameters clamped, p.data, instead "
                             "of their gradients, p.grad?)": grads,
                         })  # fmt: skip


@check(points=1)
def test_value_clipping_skips_missing_gradients_and_accepts_a_generator(learner):
    """clip_grad_value_ given a generator with some .grad None clamps the others and keeps None."""
    grads = model_gradients(seed=3)
    grads = {name: None if name.endswith("hh_l0") else grad for name, grad in grads.items()}
    expect_clipped_when_passed_as(
        learner, "clip_grad_value_", grads, 0.5, "generator", GENERATOR_READ_TWICE
    )


# -- training: a ReLU RNN whose gradients explode ------------------------------------------
EXPLODING_INPUTS, EXPLODING_HIDDEN, EXPLODING_LENGTH, EXPLODING_BATCH = 2, 16, 20, 32
EXPLODING_STEPS, EXPLODING_RADIUS, EXPLODING_LEARNING_RATE, EXPLODING_MAX_NORM = 250, 1.3, 0.05, 1.0
EXPLODING_LOSS_LIMIT = 0.5  # the targets have variance 1: predicting 0 scores 1.0


def running_sum_batch(generator: torch.Generator, size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Sequences (size, T, I) of N(0, 1) noise; the target (size, 1): the sum of channel 0 / sqrt(T)."""
    inputs = torch.randn(size, EXPLODING_LENGTH, EXPLODING_INPUTS, generator=generator)
    return inputs, inputs[:, :, :1].sum(dim=1) / math.sqrt(EXPLODING_LENGTH)


def exploding_training_run(seed: int) -> tuple[dict, dict, torch.Tensor, torch.Tensor]:
    """Initial weights with recurrent matrix 1.3 I (so h grows like 1.3^t) and training batches."""
    torch.manual_seed(seed)
    rnn = nn.RNN(EXPLODING_INPUTS, EXPLODING_HIDDEN, nonlinearity="relu", batch_first=True)
    with torch.no_grad():
        noise = 0.01 * torch.randn(EXPLODING_HIDDEN, EXPLODING_HIDDEN)
        rnn.weight_hh_l0.copy_(EXPLODING_RADIUS * torch.eye(EXPLODING_HIDDEN) + noise)
    head = nn.Linear(EXPLODING_HIDDEN, 1)
    generator = torch.Generator().manual_seed(seed + 1)
    batches = [running_sum_batch(generator, EXPLODING_BATCH) for _ in range(EXPLODING_STEPS)]
    inputs = torch.stack([inputs for inputs, _ in batches])  # (steps, B, T, I)
    targets = torch.stack([targets for _, targets in batches])  # (steps, B, 1)
    return rnn.state_dict(), head.state_dict(), inputs, targets


def held_out_loss(rnn_state: dict, head_state: dict, seed: int) -> float:
    """Mean squared error of trained weights on fresh sequences, evaluated with PyTorch's nn.RNN."""
    inputs, targets = running_sum_batch(torch.Generator().manual_seed(seed), 1000)
    rnn = nn.RNN(EXPLODING_INPUTS, EXPLODING_HIDDEN, nonlinearity="relu", batch_first=True)
    rnn.load_state_dict(rnn_state)
    head = nn.Linear(EXPLODING_HIDDEN, 1)
    head.load_state_dict(head_state)
    with torch.no_grad():
        _, h_last = rnn(inputs)
        return float(nn.functional.mse_loss(head(h_last[0]), targets))


def train_with_learner_clipping(learner, seed: int) -> tuple[torch.Tensor, float]:
    """The training losses and the held-out loss of the weights trained in the learner process."""
    rnn_state, head_state, inputs, targets = exploding_training_run(seed)
    got = learner.run(
        train_exploding_rnn, rnn_state, head_state, inputs, targets,
        EXPLODING_LEARNING_RATE, EXPLODING_MAX_NORM,
    )  # fmt: skip
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        raise CheckFailed("The training probe did not get its results back from your code.")
    losses = expect_shape(got[0], (EXPLODING_STEPS,), "the training losses")
    try:
        return losses, held_out_loss(got[1], got[2], seed=100 + seed)
    except (RuntimeError, KeyError, TypeError) as error:
        raise CheckFailed(f"The trained weights do not load into nn.RNN: {error}") from None


@check(points=4, timeout=30)
def test_clipping_lets_an_rnn_with_exploding_gradients_train(learner):
    """A ReLU RNN whose loss turns NaN without clipping trains with your clip_grad_norm_ (held-out MSE < 0.5)."""
    loss = math.inf
    for seed in (0, 1):  # a second, independent run in case the first ends on a noisy step
        losses, loss = train_with_learner_clipping(learner, seed)
        diverged = (~torch.isfinite(losses)).nonzero()
        if len(diverged):
            step = int(diverged[0])
            raise CheckFailed(
                f"Training diverged: the loss was {float(losses[max(step - 1, 0)]):.3g} at step "
                f"{max(step - 1, 0)} and {float(losses[step])} at step {step}. Without clipping "
                "this happens at step 1: the first gradients have a total norm above 10,000. Your "
                f"clip_grad_norm_(model.parameters(), {EXPLODING_MAX_NORM:g}) did not bring "
                "their total norm down to max_norm. Likely causes: model.parameters() is a "
                "generator read twice, so the second loop finds nothing to scale; a factor "
                "that is not min(1, max_norm / (total_norm + 1e-6)); or a norm taken of "
                "something else than the gradients (see the other checks' messages)."
            )
        if loss < EXPLODING_LOSS_LIMIT:
            return
    raise CheckFailed(
        f"After {EXPLODING_STEPS} clipped SGD steps the model's mean squared error on fresh "
        f"sequences is {loss:.3g} (evaluated by PyTorch's nn.RNN with your trained weights); "
        f"below {EXPLODING_LOSS_LIMIT:g} was expected (predicting 0 scores 1.0). Likely cause: "
        "the gradients are not scaled as one vector to a norm of max_norm, so the steps are too "
        "small or go in another direction."
    )
