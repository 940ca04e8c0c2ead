"""A learner who reaches PyTorch's own attention through a name bound to torch."""

REPLACE = {
    "    return weights @ v, weights  # (..., Lq, d_v), (..., Lq, Lk)": (
        "    T = torch\n"
        "    output = T.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)\n"
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
    "test_attention_matches_torch_scaled_dot_product_attention": "torch.nn.functional.scaled_dot_product_attention",
    "test_attention_gradients_match_torch_for_q_k_and_v": "torch.nn.functional.scaled_dot_product_attention",
    "test_multi_head_attention_matches_torch_multihead_attention": "torch.nn.functional.scaled_dot_product_attention",
}
