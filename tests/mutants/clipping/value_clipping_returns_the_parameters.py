"""A learner who returns something from clip_grad_value_, which returns None."""

REPLACE = {
    "            parameter.grad.clamp_(-clip_value, clip_value)\n    ### END SOLUTION": (
        "            parameter.grad.clamp_(-clip_value, clip_value)\n"
        "    return [p.grad for p in parameters]\n"
        "    ### END SOLUTION"
    ),
}
LOSES = ["test_value_clipping_matches_torch"]
