"""A learner who thinks clipping normalises: above max_norm, every gradient is divided by the total norm."""

REPLACE = {
    "scale = min(1.0, max_norm / (float(total_norm) + 1e-6))": (
        "scale = 1.0 / (float(total_norm) + 1e-6) if float(total_norm) > max_norm else 1.0"
    ),
}
LOSES = [
    "test_norm_clipping_scales_all_gradients_by_one_common_factor_like_torch",
    "test_infinity_norm_is_the_largest_absolute_gradient_entry",
]
MESSAGES = {
    'test_norm_clipping_scales_all_gradients_by_one_common_factor_like_torch': 'whatever max_norm',
}
