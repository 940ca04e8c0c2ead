"""The learner reads min_delta as a fraction of the best value (Keras-style relative threshold)."""

REPLACE = {
    "improves = value < self.best - self.min_delta  # False for NaN": "improves = value < self.best * (1 - self.min_delta)",
    "improves = value > self.best + self.min_delta": "improves = value > self.best * (1 + self.min_delta)",
}
LOSES = ["test_min_delta_demands_a_real_improvement"]
MESSAGES = {
    'test_min_delta_demands_a_real_improvement': 'not a fraction of best',
}
