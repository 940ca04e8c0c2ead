"""A correct stopper written differently: one comparison through a sign factor, the best
weights kept as a dict of detached clones, and the stop rule read off the counter."""

import math


class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best_weights=True):
        signs = {"min": 1.0, "max": -1.0}
        if mode not in signs or patience < 0:
            raise ValueError("mode must be 'min' or 'max' and patience must be >= 0")
        self.sign, self.patience, self.min_delta = signs[mode], patience, min_delta
        self.keep_weights = restore_best_weights
        self.best = self.sign * math.inf
        self.best_epoch, self.num_bad_epochs, self.should_stop = -1, 0, False
        self.calls, self.saved = 0, {}

    def step(self, value, model=None):
        value = float(value)
        epoch, self.calls = self.calls, self.calls + 1
        if not math.isnan(value) and self.sign * (self.best - value) > self.min_delta:
            self.best, self.best_epoch, self.num_bad_epochs = value, epoch, 0
            if model is not None and self.keep_weights:
                self.saved = {k: v.detach().clone() for k, v in model.state_dict().items()}
            self.should_stop = False
            return False
        self.num_bad_epochs += 1
        self.should_stop = self.num_bad_epochs >= self.patience
        return self.should_stop

    def restore(self, model):
        if self.saved:
            model.load_state_dict(self.saved)
