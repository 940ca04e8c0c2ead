"""The learner stores min_delta but compares with the best value alone."""

REPLACE = {
    "improves = value < self.best - self.min_delta  # False for NaN": "improves = value < self.best",
    "improves = value > self.best + self.min_delta": "improves = value > self.best",
}
LOSES = ["test_min_delta_demands_a_real_improvement"]
