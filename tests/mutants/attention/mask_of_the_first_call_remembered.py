"""A learner who caches the mask on the module the first time, and reuses it ever after."""

REPLACE = {
    "        heads, weights = scaled_dot_product_attention(q, k, v, mask)  # (N, h, Lq, d_k)": (
        '        if not hasattr(self, "_mask"):\n'
        "            self._mask = mask\n"
        "        heads, weights = scaled_dot_product_attention(q, k, v, self._mask)"
    ),
}
LOSES = ["test_multi_head_attention_applies_causal_and_padding_masks_like_torch"]
