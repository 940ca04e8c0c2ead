"""A learner who views (N, L, d_model) straight as (N, heads, L, d_k), mixing positions between heads."""

REPLACE = {
    "return x.view(batch, x.shape[1], self.num_heads, self.d_k).transpose(1, 2)": "return x.view(batch, self.num_heads, x.shape[1], self.d_k)"
}
LOSES = [
    "test_multi_head_attention_matches_torch_multihead_attention",
    "test_multi_head_attention_applies_causal_and_padding_masks_like_torch",
    "test_multi_head_gradients_match_torch_for_inputs_and_every_parameter",
]
