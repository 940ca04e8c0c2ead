"""A learner who computes q @ k^T and forgets to divide by sqrt(d_k)."""

REPLACE = {"scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)": "scores = q @ k.transpose(-2, -1)"}
LOSES = [
    "test_attention_matches_torch_scaled_dot_product_attention",
    "test_scores_are_scaled_by_one_over_sqrt_d_k",
    "test_attention_gradients_match_torch_for_q_k_and_v",
    "test_multi_head_attention_matches_torch_multihead_attention",
]
