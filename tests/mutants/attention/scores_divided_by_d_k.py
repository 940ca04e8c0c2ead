"""A learner who divides the scores by d_k instead of sqrt(d_k)."""

REPLACE = {"/ math.sqrt(d_k)": "/ d_k"}
LOSES = [
    "test_attention_matches_torch_scaled_dot_product_attention",
    "test_scores_are_scaled_by_one_over_sqrt_d_k",
    "test_multi_head_attention_matches_torch_multihead_attention",
]
