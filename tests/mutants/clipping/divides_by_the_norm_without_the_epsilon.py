"""A learner who drops the 1e-6 and divides by the total norm itself."""

REPLACE = {
    "scale = min(1.0, max_norm / (float(total_norm) + 1e-6))": "scale = min(1.0, max_norm / float(total_norm))"
}
LOSES = ["test_all_zero_gradients_stay_zero_without_dividing_by_zero"]
