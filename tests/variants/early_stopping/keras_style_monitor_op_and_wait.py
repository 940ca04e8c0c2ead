"""Early stopping in the style of the Keras callback, adapted to the contract: a monitor_op
chosen from the mode, min_delta given the sign of the direction and compared as
monitor_op(current - min_delta, best), a `wait` counter (num_bad_epochs reads it), the best
weights kept with copy.deepcopy. Unlike Keras: no `epoch > 0` guard and no stop on an
improving epoch, as the contract says."""

import copy
import math
import operator


class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best_weights=True):
        if mode == "min":
            self.monitor_op = operator.lt
        elif mode == "max":
            self.monitor_op = operator.gt
        else:
            raise ValueError(f"EarlyStopping mode {mode!r} is unknown: use 'min' or 'max'")
        if patience < 0:
            raise ValueError("patience must be >= 0")
        self.patience = patience
        self.min_delta = abs(min_delta) if self.monitor_op is operator.gt else -abs(min_delta)
        self.restore_best_weights = restore_best_weights
        self.wait = 0
        self.stopped = False
        self.best = math.inf if self.monitor_op is operator.lt else -math.inf
        self.best_epoch = -1
        self.best_weights = None
        self.epoch = 0

    @property
    def num_bad_epochs(self):
        return self.wait

    @property
    def should_stop(self):
        return self.stopped

    def _is_improvement(self, monitor_value, reference_value):
        return self.monitor_op(monitor_value - self.min_delta, reference_value)

    def step(self, value, model=None):
        current = float(value)
        epoch, self.epoch = self.epoch, self.epoch + 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            self.wait = 0
            if self.restore_best_weights and model is not None:
                self.best_weights = copy.deepcopy(model.state_dict())
            self.stopped = False
        else:
            self.wait += 1
            self.stopped = self.wait >= self.patience
        return self.stopped

    def restore(self, model):
        if self.restore_best_weights and self.best_weights is not None:
            model.load_state_dict(self.best_weights)
