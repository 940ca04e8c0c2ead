"""A learner who writes softmax as exp(s) / sum(exp(s)), which overflows for large scores."""

REPLACE = {
    "weights = torch.softmax(scores, dim=-1)": "weights = scores.exp() / scores.exp().sum(dim=-1, keepdim=True)"
}
LOSES = ["test_large_scores_give_finite_weights_without_overflow"]
