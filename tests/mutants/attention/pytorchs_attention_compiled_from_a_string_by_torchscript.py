"""A learner who hides PyTorch's own attention in TorchScript compiled from a string."""

REPLACE = {
    "    return weights @ v, weights  # (..., Lq, d_v), (..., Lq, Lk)": (
        "    unit = torch.jit.CompilationUnit(\n"
        '        "def attend(q: Tensor, k: Tensor, v: Tensor, mask: Optional[Tensor]):\\n"\n'
        '        "    return torch.ops.aten.scaled_dot_product_attention(q, k, v, mask)\\n"\n'
        "    )\n"
        "    output = unit.attend(q, k, v, mask)\n"
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
    "test_attention_matches_torch_scaled_dot_product_attention": "torch.jit.CompilationUnit",
    "test_attention_gradients_match_torch_for_q_k_and_v": "torch.jit.CompilationUnit",
    "test_multi_head_attention_matches_torch_multihead_attention": "torch.jit.CompilationUnit",
}
