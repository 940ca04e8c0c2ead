"""A learner who reshapes every mask to (N, 1, Lq, Lk), as if no mask could differ per head."""

REPLACE = {
    "        heads, weights = scaled_dot_product_attention(q, k, v, mask)  # (N, h, Lq, d_k)": (
        "        if mask is not None:\n"
        "            mask = mask.expand(batch, 1, length_q, k.shape[-2])\n"
        "        heads, weights = scaled_dot_product_attention(q, k, v, mask)"
    ),
}
LOSES = ["test_multi_head_attention_applies_causal_and_padding_masks_like_torch"]
