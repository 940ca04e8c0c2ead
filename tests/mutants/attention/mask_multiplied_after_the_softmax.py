"""A learner who zeroes the masked weights after the softmax, so rows no longer sum to 1."""

REPLACE = {
    'scores = scores.masked_fill(~mask, float("-inf"))': "pass",
    "weights = torch.softmax(scores, dim=-1)": "weights = torch.softmax(scores, dim=-1) * (1 if mask is None else mask)",
}
LOSES = [
    "test_masked_keys_get_exactly_zero_weight_and_the_rest_match_torch",
    "test_a_causal_mask_never_looks_ahead",
    "test_attention_gradients_match_torch_for_q_k_and_v",
    "test_multi_head_attention_applies_causal_and_padding_masks_like_torch",
]
