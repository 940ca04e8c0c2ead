"""The learner compares with <= : a value equal to the best resets the patience."""

REPLACE = {
    "improves = value < self.best - self.min_delta  # False for NaN": "improves = value <= self.best - self.min_delta"
}
LOSES = ["test_a_tie_with_the_best_is_not_an_improvement"]
MESSAGES = {
    'test_a_tie_with_the_best_is_not_an_improvement': 'compare with <, not <=',
}
