"""Early stopping in the style of Lightning's callback, adapted to the contract: a mode_dict of
torch.lt / torch.gt, the best score kept as a 0-dim float64 tensor, a wait_count, a
stopping criterion that returns (should_stop, reason), and the best weights cloned tensor by
tensor. Unlike Lightning: a non-finite value is a bad epoch, not an immediate stop."""

import torch


class EarlyStopping:
    mode_dict = {"min": torch.lt, "max": torch.gt}
    order_dict = {"min": "<", "max": ">"}

    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best_weights=True):
        if mode not in self.mode_dict:
            raise ValueError(f"`mode` can be {', '.join(self.mode_dict)}, got {mode}")
        if patience < 0:
            raise ValueError(f"`patience` must be >= 0, got {patience}")
        self.mode = mode
        self.patience = patience
        self.min_delta = min_delta if mode == "max" else -min_delta
        self.restore_best_weights = restore_best_weights
        self.wait_count = 0
        self.best_score = torch.tensor(
            torch.inf if mode == "min" else -torch.inf, dtype=torch.float64
        )
        self.best_epoch = -1
        self.should_stop = False
        self.stopping_reason = None
        self._calls = 0
        self._state = {}

    @property
    def monitor_op(self):
        return self.mode_dict[self.mode]

    @property
    def best(self):
        return self.best_score

    @property
    def num_bad_epochs(self):
        return self.wait_count

    def _evaluate_stopping_criteria(self, current):
        if self.monitor_op(current - self.min_delta, self.best_score):
            self.best_score = current
            self.wait_count = 0
            return False, f"improved: {float(current):.3f} {self.order_dict[self.mode]} before"
        self.wait_count += 1
        if self.wait_count >= self.patience:
            return True, f"no improvement in the last {self.wait_count} epochs"
        return False, None

    def step(self, value, model=None):
        current = torch.tensor(float(value), dtype=torch.float64)  # a copy, never the caller's
        epoch, self._calls = self._calls, self._calls + 1
        improved_before = self.best_score
        self.should_stop, self.stopping_reason = self._evaluate_stopping_criteria(current)
        if self.best_score is not improved_before:
            self.best_epoch = epoch
            if self.restore_best_weights and model is not None:
                self._state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        return self.should_stop

    def restore(self, model):
        if self._state:
            model.load_state_dict(self._state)
