"""A learner who thinks 'never look ahead' means 'only look at earlier positions', not itself."""

REPLACE = {
    "torch.ones(length, length, dtype=torch.bool).tril()": "torch.ones(length, length, dtype=torch.bool).tril(-1)"
}
LOSES = ["test_causal_mask_is_true_on_and_below_the_diagonal"]
