"""A learner who clips each parameter's gradient by its own norm instead of one norm over all of them."""

REPLACE = {
    "grad.mul_(scale)": "grad.mul_(min(1.0, max_norm / (float(torch.linalg.vector_norm(grad, norm_type)) + 1e-6)))"
}
LOSES = [
    "test_norm_clipping_scales_all_gradients_by_one_common_factor_like_torch",
    "test_norm_clipping_keeps_the_direction_and_value_clipping_does_not",
]
MESSAGES = {
    'test_norm_clipping_scales_all_gradients_by_one_common_factor_like_torch': 'OWN norm',
}
