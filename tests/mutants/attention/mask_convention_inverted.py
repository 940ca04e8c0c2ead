"""A learner who follows nn.MultiheadAttention's convention, where True means blocked."""

REPLACE = {'scores.masked_fill(~mask, float("-inf"))': 'scores.masked_fill(mask, float("-inf"))'}
LOSES = [
    "test_masked_keys_get_exactly_zero_weight_and_the_rest_match_torch",
    "test_a_causal_mask_never_looks_ahead",
    "test_multi_head_attention_applies_causal_and_padding_masks_like_torch",
]
