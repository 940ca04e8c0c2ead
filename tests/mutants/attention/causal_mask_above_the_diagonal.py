"""A learner who keeps the upper triangle (triu) for the causal mask, letting positions look ahead."""

REPLACE = {
    "torch.ones(length, length, dtype=torch.bool).tril()": "torch.ones(length, length, dtype=torch.bool).triu()"
}
LOSES = [
    "test_causal_mask_is_true_on_and_below_the_diagonal",
    "test_a_causal_mask_never_looks_ahead",
]
