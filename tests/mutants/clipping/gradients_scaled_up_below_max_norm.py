"""A learner who always multiplies by max_norm / total_norm, so small gradients are scaled up."""

REPLACE = {
    "scale = min(1.0, max_norm / (float(total_norm) + 1e-6))": "scale = max_norm / (float(total_norm) + 1e-6)"
}
LOSES = ["test_gradients_below_max_norm_are_left_as_they_were"]
