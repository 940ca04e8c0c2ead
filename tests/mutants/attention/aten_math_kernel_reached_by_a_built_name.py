"""A learner who hides PyTorch's own attention kernel behind names built at run time."""

REPLACE = {
    "    return weights @ v, weights  # (..., Lq, d_v), (..., Lq, Lk)": (
        '    kernel = getattr(getattr(torch.ops, "at" + "en"), "_scaled_dot_product_" + "attention_math")\n'
        "    return kernel(q, k, v, attn_mask=mask)[0], weights"
    ),
}
LOSES = ["test_attention_matches_torch_scaled_dot_product_attention"]
