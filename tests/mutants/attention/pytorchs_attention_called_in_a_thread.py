"""A learner who calls PyTorch's own attention in a thread, where torch function modes do not reach."""

REPLACE = {
    "    return weights @ v, weights  # (..., Lq, d_v), (..., Lq, Lk)": (
        "    import threading\n"
        "\n"
        "    results = []\n"
        "    worker = threading.Thread(target=lambda: results.append(torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)))\n"
        "    worker.start()\n"
        "    worker.join()\n"
        "    output = results[0]\n"
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
    "test_attention_matches_torch_scaled_dot_product_attention": "threading",
    "test_attention_gradients_match_torch_for_q_k_and_v": "threading",
    "test_multi_head_attention_matches_torch_multihead_attention": "threading",
}
