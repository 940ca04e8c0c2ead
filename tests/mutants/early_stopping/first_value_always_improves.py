"""The learner takes the first non-NaN value as the best, even when it ties the starting best (inf)."""

REPLACE = {
    "        if improves:\n": "        if self.best_epoch == -1 and not math.isnan(value):\n            improves = True\n        if improves:\n",
}
LOSES = ["test_a_tie_with_the_best_is_not_an_improvement"]
