"""A learner who looks PyTorch's own attention up by a name built at run time."""

REPLACE = {
    "    return weights @ v, weights  # (..., Lq, d_v), (..., Lq, Lk)": (
        '    attend = getattr(torch.nn.functional, "scaled_dot_product_" + "attention")\n'
        "    output = attend(q, k, v, attn_mask=mask)\n"
        "    return output, weights\n"
        "    return weights @ v, weights  # (..., Lq, d_v), (..., Lq, Lk)"
    ),
}
LOSES = [
    "test_attention_matches_torch_scaled_dot_product_attention",
    "test_attention_gradients_match_torch_for_q_k_and_v",
    "test_multi_head_attention_matches_torch_multihead_attention",
]
MESSAGES = {
    "test_attention_matches_torch_scaled_dot_product_attention": "getattr(torch.nn.functional",
    "test_attention_gradients_match_torch_for_q_k_and_v": "getattr(torch.nn.functional",
    "test_multi_head_attention_matches_torch_multihead_attention": "getattr(torch.nn.functional",
}
