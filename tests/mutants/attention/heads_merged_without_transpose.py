"""A learner who reshapes the heads (N, heads, Lq, d_k) straight back to (N, Lq, d_model)."""

REPLACE = {
    "heads.transpose(1, 2).reshape(batch, length_q, self.d_model)": "heads.reshape(batch, length_q, self.d_model)"
}
LOSES = [
    "test_multi_head_attention_matches_torch_multihead_attention",
    "test_multi_head_gradients_match_torch_for_inputs_and_every_parameter",
]
