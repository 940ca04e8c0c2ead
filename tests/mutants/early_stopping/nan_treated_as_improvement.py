"""The learner writes `not value >= best` to mean `value < best`, which is True for NaN."""

REPLACE = {
    "improves = value < self.best - self.min_delta  # False for NaN": "improves = not value >= self.best - self.min_delta"
}
LOSES = ["test_nan_never_counts_as_an_improvement"]
MESSAGES = {
    'test_nan_never_counts_as_an_improvement': 'NaN value must never count as an improvement',
}
