"""A learner who takes the softmax over dim=-2 (the queries) instead of the keys."""

REPLACE = {"weights = torch.softmax(scores, dim=-1)": "weights = torch.softmax(scores, dim=-2)"}
LOSES = [
    "test_attention_matches_torch_scaled_dot_product_attention",
    "test_weights_sum_to_one_over_the_keys",
    "test_multi_head_attention_matches_torch_multihead_attention",
]
