"""The learner adds min_delta as a tolerance, so values slightly WORSE than the best still improve."""

REPLACE = {
    "improves = value < self.best - self.min_delta  # False for NaN": "improves = value < self.best + self.min_delta",
    "improves = value > self.best + self.min_delta": "improves = value > self.best - self.min_delta",
}
LOSES = ["test_min_delta_demands_a_real_improvement"]
MESSAGES = {
    'test_min_delta_demands_a_real_improvement': 'by MORE than min_delta',
}
