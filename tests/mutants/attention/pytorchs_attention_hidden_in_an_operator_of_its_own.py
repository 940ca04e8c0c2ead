"""A learner who registers an operator of their own whose kernel calls PyTorch's attention."""

REPLACE = {
    "def scaled_dot_product_attention(": (
        '_forge = torch.library.Library("forge_attention", "DEF")\n'
        '_forge.define("attend(Tensor q, Tensor k, Tensor v, Tensor? mask) -> Tensor")\n'
        '_forge.impl("attend", lambda q, k, v, mask: torch.ops.aten.scaled_dot_product_attention(q, k, v, mask), "CompositeImplicitAutograd")\n'
        "\n"
        "\n"
        "def scaled_dot_product_attention("
    ),
    "    return weights @ v, weights  # (..., Lq, d_v), (..., Lq, Lk)": (
        "    output = torch.ops.forge_attention.attend(q, k, v, mask)\n"
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
    "test_attention_matches_torch_scaled_dot_product_attention": "torch.library",
    "test_attention_gradients_match_torch_for_q_k_and_v": "torch.library",
    "test_multi_head_attention_matches_torch_multihead_attention": "torch.library",
}
