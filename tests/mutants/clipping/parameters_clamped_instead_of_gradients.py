"""A learner who clamps the parameters' values (p.data) instead of their gradients (p.grad)."""

REPLACE = {
    "parameter.grad.clamp_(-clip_value, clip_value)": "parameter.data.clamp_(-clip_value, clip_value)"
}
LOSES = [
    "test_value_clipping_matches_torch",
    "test_value_clipping_skips_missing_gradients_and_accepts_a_generator",
]
