"""Exercise: early stopping that restores the best weights (course notes §7 Optimization Tricks).

Training longer is not always better: once the validation loss starts to rise, the model
is memorising the training set. Early stopping watches a validation number once per epoch,
remembers the best epoch (and a copy of the weights it had then), and says "stop" after
`patience` epochs in a row without improvement. At the end, `restore(model)` puts the best
weights back, so what you keep is the model of the best epoch, not of the last one.

    for epoch in range(max_epochs):
        train_one_epoch(model)
        val_loss = evaluate(model)
        if stopper.step(val_loss, model):
            break
    stopper.restore(model)
"""

import copy
import math

from torch import nn


class EarlyStopping:
    """Stop training when a validation number stops improving; keep the best weights.

    EarlyStopping(patience=5, min_delta=0.0, mode="min", restore_best_weights=True)

    patience: how many epochs in a row may fail to improve; once `patience` epochs in a row
        have not improved, `step` returns True. patience=0 stops at the first epoch that
        does not improve (so does patience=1), the very first epoch included: with patience
        0 or 1, a first value of NaN, or one equal to the starting best, returns True.
        Negative patience raises ValueError.
        `step` says whether to stop NOW: it keeps recording after returning True, and an
        epoch that improves returns False, even after an earlier True.
    min_delta: how much better than the best value an epoch must be to count as improving,
        an absolute amount in the units of the value (not a fraction of the best).
    mode: exactly "min" (a loss: lower is better) or "max" (an accuracy: higher is better);
        any other value ("auto", "MIN", ...) raises ValueError.
        An epoch improves when value < best - min_delta ("min") or value > best + min_delta
        ("max"). Equal to the best (a tie) is not an improvement. NaN never improves.
    restore_best_weights: if True, `step(value, model)` stores a COPY of model.state_dict()
        (parameters and buffers) whenever the epoch improves, and `restore(model)` loads it.
        A copy, not a reference: training after the best epoch changes the live tensors in
        place, and must not change what `restore` loads. Likewise, training a model after
        `restore` must not change the stored copy (restore copies into the model's own
        tensors), so every later `restore`, into any model, loads the best weights again.
        A non-improving epoch stores nothing. If False, nothing is stored and `restore`
        does nothing.

    Attributes (read by the grader after every call of `step`, as numbers: float(best),
    int(best_epoch), int(num_bad_epochs), bool(should_stop); from __init__ on, never None):
        best: the best value so far (math.inf in mode "min", -math.inf in mode "max",
            before any epoch improved).
        best_epoch: the 0-based index of the `step` call that set `best` (-1 before any).
        num_bad_epochs: how many epochs in a row have not improved (0 after an improvement).
        should_stop: what the last `step` returned.
    """

    def __init__(
        self,
        patience: int = 5,
        min_delta: float = 0.0,
        mode: str = "min",
        restore_best_weights: bool = True,
    ):
        ### BEGIN SOLUTION
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', not {mode!r}")
        if patience < 0:
            raise ValueError(f"patience must be 0 or more, not {patience}")
        self.patience = patience
        self.min_delta = min_delta
        self.mode = mode
        self.restore_best_weights = restore_best_weights
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = -1
        self.num_bad_epochs = 0
        self.should_stop = False
        self._epoch = -1
        self._best_state = None
        ### END SOLUTION

    def step(self, value: float, model: nn.Module | None = None) -> bool:
        """Record one epoch's validation `value`; return True when training should stop.

        value: a Python number or a 0-dim tensor (use float(value)).
        model: if given and restore_best_weights is True, a copy of its state_dict is kept
            when this epoch improves.
        """
        ### BEGIN SOLUTION
        value = float(value)
        self._epoch += 1
        if self.mode == "min":
            improves = value < self.best - self.min_delta  # False for NaN
        else:
            improves = value > self.best + self.min_delta
        if improves:
            self.best, self.best_epoch, self.num_bad_epochs = value, self._epoch, 0
            if model is not None and self.restore_best_weights:
                self._best_state = copy.deepcopy(model.state_dict())
            self.should_stop = False
        else:
            self.num_bad_epochs += 1
            self.should_stop = self.num_bad_epochs >= self.patience
        return self.should_stop
        ### END SOLUTION

    def restore(self, model: nn.Module) -> None:
        """Load the stored best weights into `model` (nothing stored: nothing changes, no error)."""
        ### BEGIN SOLUTION
        if self._best_state is not None:
            model.load_state_dict(self._best_state)
        ### END SOLUTION
