"""A learner who clamps the weights too, 'to keep everything in range'."""

REPLACE = {
    "            parameter.grad.clamp_(-clip_value, clip_value)": (
        "            parameter.grad.clamp_(-clip_value, clip_value)\n"
        "            parameter.data.clamp_(-clip_value, clip_value)"
    ),
}
LOSES = ["test_value_clipping_matches_torch"]
