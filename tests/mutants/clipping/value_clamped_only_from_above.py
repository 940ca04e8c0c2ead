"""A learner who clamps the gradient entries to at most clip_value but forgets the lower bound."""

REPLACE = {
    "parameter.grad.clamp_(-clip_value, clip_value)": "parameter.grad.clamp_(max=clip_value)"
}
LOSES = [
    "test_value_clipping_matches_torch",
    "test_norm_clipping_keeps_the_direction_and_value_clipping_does_not",
]
