"""Grader for exercises/early_stopping.py: EarlyStopping (course notes §7).

Probes (the plain functions whose first argument is `impl`) run in the learner process and
return what the learner's class said and held after each call; the expected behaviour is
computed here by `expected_trace`, which is the contract of the stub's docstring. The use
check trains in the learner process and replays the same loop here with a stopper that
never stops, to know the best epoch and judge the restored weights.
"""

import math
from types import SimpleNamespace

import torch
from torch import nn

from course.graders.engine.checks import check
from course.graders.engine.compare import CheckFailed, expect_close, expect_pair


# -- probes: run in the learner process, sent as source: they use only their arguments ----
def trace(impl, values, kwargs, as_tensor=False):
    def read(name, convert):
        """The attribute as `convert` reads it; what it is when that fails (or it is missing)."""
        if not hasattr(stopper, name):
            return {"unreadable": "missing"}
        held = getattr(stopper, name)
        try:
            return convert(held)
        except Exception:  # noqa: BLE001 - the grader says what it found instead
            return {"unreadable": f"{held!r:.80} (a {type(held).__name__})"}

    stopper = impl.EarlyStopping(**kwargs)
    running_total = torch.zeros((), dtype=torch.float64)  # as_tensor: one tensor, refilled
    rows = []
    for value in values:
        said = stopper.step(running_total.fill_(value) if as_tensor else value)
        rows.append([bool(said) if isinstance(said, bool) else repr(said), read("best", float),
                     read("best_epoch", int), read("num_bad_epochs", int), read("should_stop", bool)])  # fmt: skip
    return rows


def rejects(impl, kwargs):
    try:
        impl.EarlyStopping(**kwargs)
    except NotImplementedError:
        raise
    except ValueError:
        return "ValueError"
    except Exception as error:  # noqa: BLE001 - any other exception is the wrong answer
        return type(error).__name__
    return "accepted"


def copy_then_train_on(impl, restore_best_weights):
    def batch_norm_model():
        model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
        model(torch.randn(8, 3))  # running statistics away from their initial values
        return model

    def snapshot(model):
        return {name: tensor.clone() for name, tensor in model.state_dict().items()}

    torch.manual_seed(0)
    model = batch_norm_model()
    states = {"best": snapshot(model)}
    stopper = impl.EarlyStopping(patience=3, restore_best_weights=restore_best_weights)
    stopper.step(1.0, model)
    with torch.no_grad():  # training after the best epoch changes the live tensors in place
        for tensor in model.state_dict().values():
            tensor.add_(1)
    stopper.step(2.0, model)
    states["later"] = snapshot(model)
    other = batch_norm_model()  # a second model with weights of its own
    states["other_before"] = snapshot(other)
    stopper.restore(other)
    states["other_restored"] = snapshot(other)
    held = {**dict(model.named_parameters()), **dict(model.named_buffers())}  # as optimizers do
    stopper.restore(model)
    states["restored"] = snapshot(model)
    states["held_restored"] = {name: tensor.detach().clone() for name, tensor in held.items()}
    with torch.no_grad():  # training goes on after restore, in place, as an optimizer would
        for tensor in model.state_dict().values():
            tensor.add_(1)
    states["restored_then_trained"] = snapshot(model)
    states["other_after_training_model"] = snapshot(other)  # two restored models, own storage
    stopper.restore(model)
    states["restored_again"] = snapshot(model)
    third = batch_norm_model()
    states["third_before"] = snapshot(third)
    stopper.restore(third)
    states["third_restored"] = snapshot(third)
    return states


def restore_after_no_improvement(impl):
    def snapshot(model):
        return {name: tensor.clone() for name, tensor in model.state_dict().items()}

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    stopper = impl.EarlyStopping(patience=3)
    for _ in range(2):  # no epoch improves: nothing may be stored
        stopper.step(float("nan"), model)
        with torch.no_grad():
            for tensor in model.state_dict().values():
                tensor.add_(1)
    before = snapshot(model)
    try:
        stopper.restore(model)
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - restore must not raise: report what it raised
        return {"before": before, "after": None, "error": f"{type(error).__name__}: {error}"}
    return {"before": before, "after": snapshot(model), "error": None}


def train_with_early_stopping(impl, inputs, targets, val_inputs, val_targets, patience, epochs, lr):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(inputs.shape[1], 64), nn.Tanh(), nn.Linear(64, 1))
    stopper = impl.EarlyStopping(patience=patience)
    history = []
    for _ in range(epochs):
        loss = ((model(inputs) - targets) ** 2).mean()
        grads = torch.autograd.grad(loss, list(model.parameters()))
        with torch.no_grad():
            for parameter, grad in zip(model.parameters(), grads):
                parameter -= lr * grad
            history.append(float(((model(val_inputs) - val_targets) ** 2).mean()))
        if stopper.step(history[-1], model):
            break
    stopper.restore(model)
    return history, model.state_dict()


# -- the contract, computed here -------------------------------------------------------
def expected_trace(values, patience=5, min_delta=0.0, mode="min"):
    """[said, best, best_epoch, num_bad_epochs, should_stop] after each step, per the contract."""
    best, best_epoch, bad, rows = (math.inf if mode == "min" else -math.inf), -1, 0, []
    for epoch, value in enumerate(values):
        better = value < best - min_delta if mode == "min" else value > best + min_delta
        if better:  # False for NaN
            best, best_epoch, bad, stop = value, epoch, 0, False
        else:
            bad += 1
            stop = bad >= patience
        rows.append([stop, best, best_epoch, bad, stop])
    return rows


FIELDS = ("step's return value", "best", "best_epoch", "num_bad_epochs", "should_stop")
LIKELY_CAUSES = {
    "step's return value": "stop once num_bad_epochs >= patience, and never on an improving "
    "epoch; step must return a bool.",
    "should_stop": "should_stop must hold what the last step returned.",
    "best": "an epoch improves only when value < best - min_delta (mode 'min') or "
    "value > best + min_delta (mode 'max'); a tie or NaN is not an improvement.",
    "best_epoch": "best_epoch is the 0-based index of the step call that set best.",
    "num_bad_epochs": "count the epochs in a row without improvement, and reset to 0 on an "
    "improvement.",
}
"""What to look at when a field of the trace differs, in the learner's words."""


WHAT_IT_MEANS = {
    "best": lambda best: " before any epoch improved" if math.isinf(best) else "",
    "best_epoch": lambda epoch: " before any epoch improved" if epoch == -1 else "",
    "num_bad_epochs": lambda count: "",
    "should_stop": lambda stop: ", what the last step returned",
}
"""Why the expected value of a field is what it is, after it in a message."""
UNREADABLE = {
    "best": "best is a number from the start: math.inf in mode 'min', -math.inf in mode "
    "'max', then the best value (float(value)).",
    "best_epoch": "best_epoch is an int from the start: -1 before any epoch improved, then "
    "the 0-based index of the step call that set best.",
    "num_bad_epochs": "num_bad_epochs is an int from the start: 0, then the number of epochs "
    "in a row without improvement.",
    "should_stop": "should_stop is a bool from the start (False), then what the last step "
    "returned.",
}
"""What each attribute must hold, when the grader cannot read it as a number."""


TENSOR_KEPT = (
    "step used the tensor it was given instead of its number. This loop passes one 0-dim "
    "tensor and refills it in place each epoch (as a running validation total is), so a best "
    "kept as that tensor changes with it. Convert first: value = float(value)."
)


def expect_trace(learner, values, as_tensor=False, **kwargs):
    """as_tensor: each value is passed as the same float64 0-dim tensor, refilled in place."""
    got = learner.run(trace, values, kwargs, as_tensor)
    expected = expected_trace(values, **kwargs)
    setting = ", ".join(f"{key}={value!r}" for key, value in kwargs.items()) or "defaults"
    given = " as one 0-dim tensor refilled in place each epoch" if as_tensor else ""
    if not isinstance(got, list) or len(got) != len(expected):
        raise CheckFailed("The probe could not read your stopper's answers after each step.")
    for epoch, (got_row, expected_row) in enumerate(zip(got, expected)):
        # best, best_epoch and num_bad_epochs as after the step before: step stopped recording
        frozen = epoch > 0 and got_row[1:4] == got[epoch - 1][1:4]
        recorded = got_row[1:4] == expected_row[1:4]  # best, best_epoch, num_bad_epochs right
        for field, got_value, expected_value in zip(FIELDS, got_row, expected_row):
            same = got_value == expected_value or (
                isinstance(got_value, float)
                and math.isnan(got_value)
                and math.isnan(expected_value)
            )
            if isinstance(got_value, dict):  # the probe could not read it as a number
                raise CheckFailed(
                    f"EarlyStopping({setting}) fed the values {values}{given}: after step "
                    f"{epoch} (value {values[epoch]}), {field} should be {expected_value!r}"
                    f"{WHAT_IT_MEANS[field](expected_value)}; it is "
                    f"{got_value.get('unreadable')}. Likely cause: {UNREADABLE[field]}"
                )
            if not same:
                cause = trace_cause(
                    field, values, epoch, kwargs, got_value, expected_value, frozen, recorded
                )
                cause = TENSOR_KEPT if as_tensor else cause  # the same curve as floats passed
                raise CheckFailed(
                    f"EarlyStopping({setting}) fed the values {values}{given}: after step "
                    f"{epoch} (value {values[epoch]}), {field} should be {expected_value!r}, but "
                    f"it is {got_value!r}. Likely cause: {cause}"
                )


def trace_cause(
    field, values, epoch, settings, got_value, expected_value, frozen=False, recorded=False
) -> str:
    """The mistake that most likely made `field` differ after step `epoch`.

    frozen: the learner's best, best_epoch and num_bad_epochs did not change in this step.
    recorded: they are what the contract says after this step (only the stop may differ).
    """
    value, mode = values[epoch], settings.get("mode", "min")
    about_the_best = field in ("best", "best_epoch", "num_bad_epochs")
    rows = expected_trace(values[: epoch + 1], **settings)
    best_before = rows[epoch - 1][1] if epoch else (math.inf if mode == "min" else -math.inf)
    if field == "best_epoch" and expected_value == epoch and got_value == epoch + 1:
        return "best_epoch counts from 0: the first call of step is epoch 0."
    stopped_before = any(row[0] for row in rows[:epoch])
    if stopped_before and frozen and rows[epoch][1:4] != rows[epoch - 1][1:4]:
        return (
            "step stopped recording after it once returned True: it must go on updating "
            "num_bad_epochs (and best, on an improvement) at every call, and return whether "
            "to stop NOW."
        )
    if rows[epoch][2] == epoch and stopped_before:
        return (
            "step must keep watching after it once returned True: step says whether to stop "
            "NOW, so an improving epoch still updates best, best_epoch and num_bad_epochs and "
            "returns False (and sets should_stop to False)."
        )
    if (
        epoch == 0
        and recorded
        and field in ("step's return value", "should_stop")
        and expected_value is True
    ):
        return (
            "the first epoch is no exception: a first value that does not improve (NaN, or a "
            "tie with the starting best) is a bad epoch, so with patience 0 or 1 step returns "
            "True at once. Do not guard the stop with `epoch > 0` (as Keras does)."
        )
    if about_the_best and isinstance(value, float) and math.isnan(value):
        return (
            "a NaN value must never count as an improvement. Every comparison with NaN is "
            "False, so write the test as value < best - min_delta (not `not value >= ...`)."
        )
    if about_the_best and value == best_before:
        return (
            "a value equal to the best (a tie) is not an improvement: compare with <, not <=. "
            "Before any improvement best is math.inf ('min') or -math.inf ('max'), so a first "
            "value equal to it is a bad epoch too (best_epoch stays -1)."
        )
    if field == "best" and mode == "max":
        return (
            "in mode 'max' a higher value is better: it improves when value > best + min_delta, "
            "and best starts at -math.inf."
        )
    if field == "best" and settings.get("min_delta"):
        return (
            "with min_delta, a value must beat the best by MORE than min_delta: value < best - "
            "min_delta in mode 'min', value > best + min_delta in mode 'max'. min_delta is an "
            "absolute amount in the units of the value, not a fraction of best."
        )
    return LIKELY_CAUSES[field]


# -- checks ----------------------------------------------------------------------------
LOSS_CURVE = [1.0, 0.8, 0.7, 0.72, 0.71, 0.69, 0.75, 0.8, 0.9, 0.95, 1.0]


@check(points=3)
def test_stops_after_patience_epochs_without_improvement_on_a_loss_curve(learner):
    """On a loss curve (mode "min"), step returns True exactly when `patience` epochs in a row did not improve; the value may be a 0-dim tensor."""
    expect_trace(learner, LOSS_CURVE, patience=3)
    expect_trace(learner, LOSS_CURVE)  # patience 5 by default: never stops here
    expect_trace(learner, [0.5, 0.4, 0.3, 0.2], patience=1)  # always improving: never stops
    expect_trace(learner, [1.0, 2.0, 0.5, 0.6], patience=1)  # True, then False on an improvement
    expect_trace(learner, LOSS_CURVE, as_tensor=True, patience=3)  # after the same curve as floats


@check(points=2)
def test_mode_max_follows_an_accuracy_curve(learner):
    """In mode "max" a higher value improves; it stops after `patience` epochs without a new maximum."""
    expect_trace(learner, [0.5, 0.6, 0.58, 0.61, 0.6, 0.59, 0.55], patience=3, mode="max")
    expect_trace(learner, [-5.0, -4.0, -6.0, -3.5, -4.5], patience=3, mode="max")  # below 0


@check(points=2)
def test_min_delta_demands_a_real_improvement(learner):
    """With min_delta, a value counts as better only when it beats the best by more than min_delta."""
    # no value sits exactly on best -/+ min_delta, where rounding would decide
    expect_trace(learner, [1.0, 0.96, 0.9, 0.88, 0.8, 0.79, 0.78], patience=2, min_delta=0.05)
    expect_trace(learner, [0.5, 0.52, 0.6, 0.61, 0.7], patience=2, min_delta=0.05, mode="max")
    # min_delta is absolute: here value < best * (1 - min_delta) would disagree
    expect_trace(learner, [10.0, 9.6, 9.3, 9.2], patience=3, min_delta=0.05)
    expect_trace(learner, [10.0, 10.4, 10.7, 10.8], patience=3, min_delta=0.05, mode="max")


@check(points=2)
def test_a_tie_with_the_best_is_not_an_improvement(learner):
    """A value equal to the best counts as a bad epoch (ties do not reset the patience)."""
    expect_trace(learner, [1.0, 0.5, 0.5, 0.5], patience=2)
    expect_trace(learner, [0.9, 0.9, 0.9], patience=2, mode="max")
    # a first value equal to the starting best (math.inf / -math.inf) is a tie as well
    expect_trace(learner, [float("inf"), 1.0, 1.0], patience=2)
    expect_trace(learner, [-float("inf"), 0.5], patience=2, mode="max")


@check(points=2)
def test_patience_zero_stops_at_the_first_epoch_that_does_not_improve(learner):
    """patience=0 (and 1) stops at the first non-improving epoch, never at an improving one; the very first epoch is no exception (a first value of NaN, or one tying the starting best inf, stops at once)."""
    expect_trace(learner, [3.0, 2.0, 1.0, 1.5], patience=0)
    nan, inf = float("nan"), float("inf")
    for patience in (0, 1):  # the first epoch is not special (as Keras' `epoch > 0` makes it)
        expect_trace(learner, [nan, 1.0, 0.5], patience=patience)
        expect_trace(learner, [inf, 1.0], patience=patience)
        expect_trace(learner, [-inf, 0.5], patience=patience, mode="max")


@check(points=2)
def test_nan_never_counts_as_an_improvement(learner):
    """A NaN validation value is a bad epoch, at the start as later, and never becomes the best."""
    expect_trace(learner, [float("nan"), 1.0, float("nan"), float("nan")], patience=2)
    expect_trace(learner, [0.2, float("nan"), 0.3], patience=3, mode="max")


@check(points=1)
def test_invalid_mode_or_negative_patience_raise_value_error(learner):
    """A mode other than exactly "min" or "max" (e.g. "avg", "auto", "MIN") and patience=-1 raise ValueError."""
    for kwargs in ({"mode": "avg"}, {"mode": "auto"}, {"mode": "MIN"}, {"mode": "Max"},
                   {"patience": -1}):  # fmt: skip
        got = learner.run(rejects, kwargs)
        if got != "ValueError":
            said = "accepted it" if got == "accepted" else f"raised {got}"
            cause = (
                "mode must be exactly 'min' or 'max': no other spelling, no upper case, no "
                "'auto' guessing the direction."
                if "mode" in kwargs
                else "a negative patience makes no sense."
            )
            raise CheckFailed(
                f"EarlyStopping({kwargs}) should raise ValueError, but your class {said}. "
                f"Likely cause: {cause}"
            )


def restored_states(learner, restore_best_weights: bool) -> dict:
    states = learner.run(copy_then_train_on, restore_best_weights)
    keys = {"best", "later", "other_before", "other_restored", "restored", "held_restored", "restored_again",
            "restored_then_trained", "other_after_training_model", "third_before", "third_restored"}  # fmt: skip
    if not (isinstance(states, dict) and keys <= set(states)):
        raise CheckFailed("The probe could not get the weights back from your stopper.")
    return states


RESTORES = (
    ("other_restored", "a second model", "other_before"),
    ("restored", "the trained model itself", "later"),
    ("other_after_training_model", "the second model, after the first trained on in place",
     "other_before"),
    ("restored_again", "the trained model, restored again after training on in place",
     "restored_then_trained"),
    ("third_restored", "a third model, restored last", "third_before"),
    ("held_restored", "the trained model's tensors held from before restore, as an optimizer "
     "holds them", "later"),
)  # fmt: skip
"""(snapshot, which model it shows, its snapshot before that restore): each must be the best."""


def restore_mistakes(states: dict, name: str, snapshot: str, before: str) -> dict:
    """What `name` would hold in `snapshot` for the usual mistakes."""
    by_reference = (
        "step kept a reference to the live tensors (model.state_dict() without copying), so "
        "training after the best epoch changed them; store copy.deepcopy(model.state_dict()) "
        "or clone each tensor"
    )
    aliased = (
        "restore made the model's tensors share memory with the stored copy "
        "(load_state_dict(..., assign=True), or tensor.data = stored), so training after "
        "restore changed the stored weights, and every model restored from them; "
        "model.load_state_dict(stored) copies into the model's own tensors"
    )
    nothing = "restore did not load the stored weights into the model it was given"
    replaced = (
        "restore gave the model new tensors (load_state_dict(..., assign=True), setattr, a new "
        "module) instead of copying into its own ones, so an optimizer made before restore "
        "still holds tensors with the last epoch's weights; model.load_state_dict(stored) "
        "copies into the model's own tensors"
    )
    if "running_" in name or "num_batches" in name:
        nothing = (
            f"restore did not load the buffer `{name}`: store and load the whole state_dict "
            "(parameters AND buffers such as BatchNorm's running statistics and "
            "num_batches_tracked)"
        )
    if snapshot == "held_restored":
        return {replaced: states["later"][name]}
    if snapshot in ("other_restored", "restored"):
        causes = {by_reference: states["later"][name], nothing: states[before][name]}
    else:
        causes = {aliased: states["restored_then_trained"][name], nothing: states[before][name]}
    if "running_" in name or "num_batches" in name:  # a buffer left alone is the likelier cause
        causes = dict(reversed(causes.items()))
    return causes


@check(points=3)
def test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors(learner):
    """Weights (and BatchNorm buffers) changed in place after the best epoch, or after a restore, do not leak into what restore loads."""
    states = restored_states(learner, True)
    for snapshot, what, before in RESTORES:
        restored = states[snapshot]
        for name, expected in states["best"].items():
            got = restored.get(name) if isinstance(restored, dict) else None
            expect_close(got, expected, f"{name} of {what}",
                         against="the weights at the best epoch",
                         likely_causes=restore_mistakes(states, name, snapshot, before),
                         hint="restore must load the state_dict stored at the best epoch")  # fmt: skip


@check(points=1)
def test_without_restore_best_weights_the_model_is_left_alone(learner):
    """With restore_best_weights=False, or when no epoch improved, nothing is stored and restore leaves the model as it is."""
    states = restored_states(learner, False)
    for before, after in (("other_before", "other_restored"), ("later", "restored")):
        for name, expected in states[before].items():
            got = states[after].get(name) if isinstance(states[after], dict) else None
            expect_close(got, expected, name, against="the model's weights before restore",
                         hint="with restore_best_weights=False, restore must not change the model")  # fmt: skip
    got = learner.run(restore_after_no_improvement)
    if not isinstance(got, dict) or got.get("error"):
        raise CheckFailed(
            "After two steps that did not improve (NaN), restore(model) raised "
            f"{got.get('error') if isinstance(got, dict) else got!r}; with nothing stored it "
            "must do nothing. Likely cause: restore loads the stored state without checking "
            "that one was stored (test `if self._best_state is not None`, not the setting)."
        )
    for name, expected in got["before"].items():
        after = got["after"].get(name) if isinstance(got["after"], dict) else None
        expect_close(after, expected, f"{name} after restore when no epoch improved",
                     against="the model's weights before restore",
                     hint="step stores weights only on an improving epoch; with none stored, "
                     "restore must not change the model")  # fmt: skip


# -- use: an overfitting regression stops early and keeps its best validation weights -----
PATIENCE, MAX_EPOCHS, LEARNING_RATE = 5, 150, 0.05


def overfitting_data(seed: int = 0):
    """20 noisy training points in 30 dimensions: the validation loss bottoms out, then rises."""
    generator = torch.Generator().manual_seed(seed)
    weights = torch.randn(30, 1, generator=generator)

    def sample(count):
        inputs = torch.randn(count, 30, generator=generator)
        return inputs, inputs @ weights * 0.3 + torch.randn(count, 1, generator=generator)

    return (*sample(20), *sample(200))


def validation_loss(state: dict, val_inputs, val_targets) -> float:
    model = nn.Sequential(nn.Linear(val_inputs.shape[1], 64), nn.Tanh(), nn.Linear(64, 1))
    model.load_state_dict(state)
    with torch.no_grad():
        return float(((model(val_inputs) - val_targets) ** 2).mean())


class NeverStops:
    """A stopper of our own that never stops: the same loop, replayed here to the end."""

    def __init__(self, **settings):
        pass

    def step(self, value: float, model: nn.Module | None = None) -> bool:
        return False

    def restore(self, model: nn.Module) -> None:
        pass


def full_validation_history(data: tuple) -> list[float]:
    """The validation loss after each of the MAX_EPOCHS epochs, computed here."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as in the learner process: 0.05 s, where 2 busy threads take 1-3 s
    try:
        history, _ = train_with_early_stopping(
            SimpleNamespace(EarlyStopping=NeverStops), *data, PATIENCE, MAX_EPOCHS, LEARNING_RATE
        )
    finally:
        torch.set_num_threads(threads)
    return history


@check(points=4)
def test_a_training_loop_stops_early_and_keeps_the_best_validation_weights(learner):
    """A loop that overfits stops `patience` epochs after its best validation loss and ends with the best weights."""
    data = overfitting_data()
    got = learner.run(train_with_early_stopping, *data, PATIENCE, MAX_EPOCHS, LEARNING_RATE)
    history, state = expect_pair(got, "the training loop's result")
    if not (isinstance(history, list) and history and isinstance(state, dict)):
        raise CheckFailed("The training loop did not return a loss history and weights.")
    full = full_validation_history(data)
    best_epoch = min(range(len(full)), key=lambda epoch: full[epoch])
    expected_epochs = min(best_epoch + PATIENCE + 1, MAX_EPOCHS)
    if len(history) != expected_epochs:
        raise CheckFailed(
            f"The validation loss was lowest at epoch {best_epoch} (0-based), so with patience "
            f"{PATIENCE} training should stop after epoch {expected_epochs - 1} "
            f"({expected_epochs} epochs), but it ran {len(history)} epochs. Likely cause: "
            + LIKELY_CAUSES["step's return value"]
        )
    if not all(math.isclose(a, b, rel_tol=1e-4) for a, b in zip(history, full)):
        raise CheckFailed(
            "The validation losses of the training loop differ from the same loop run here "
            "without early stopping. Likely cause: step changed the model it was given; it "
            "may only read (and copy) its weights."
        )
    try:
        final = validation_loss(state, *data[2:])
    except (RuntimeError, KeyError, TypeError) as error:
        raise CheckFailed(
            f"The weights after restore do not load into the model: {error}"
        ) from None
    if not math.isclose(final, full[best_epoch], rel_tol=1e-4, abs_tol=1e-6):
        raise CheckFailed(
            f"After restore, the model's validation loss is {final:.5f} (computed here from its "
            f"weights), but the best epoch had {full[best_epoch]:.5f} and the last "
            f"{history[-1]:.5f}. Likely cause: restore did not load the best epoch's weights, "
            "or they were stored by reference and changed by later training."
        )
