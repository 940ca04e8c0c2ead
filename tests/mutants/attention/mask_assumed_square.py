"""A learner who expands every mask to (N, heads, Lq, Lq), forgetting cross-attention."""

REPLACE = {
    "        heads, weights = scaled_dot_product_attention(q, k, v, mask)  # (N, h, Lq, d_k)": (
        "        if mask is not None:\n"
        "            mask = mask.expand(batch, self.num_heads, length_q, length_q)\n"
        "        heads, weights = scaled_dot_product_attention(q, k, v, mask)"
    ),
}
LOSES = ["test_multi_head_attention_applies_causal_and_padding_masks_like_torch"]
