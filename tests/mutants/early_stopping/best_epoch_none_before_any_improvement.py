"""A learner who starts best_epoch at None ("no epoch yet") instead of the contract's -1."""

REPLACE = {"        self.best_epoch = -1\n": "        self.best_epoch = None\n"}
LOSES = ["test_nan_never_counts_as_an_improvement", "test_a_tie_with_the_best_is_not_an_improvement"]
MESSAGES = {
    "test_nan_never_counts_as_an_improvement": "best_epoch should be -1 before any epoch improved; it is None",
    "test_a_tie_with_the_best_is_not_an_improvement": "best_epoch should be -1 before any epoch improved; it is None",
}
