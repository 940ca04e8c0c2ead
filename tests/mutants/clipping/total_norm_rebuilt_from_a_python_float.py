"""A learner who turns the total norm into a Python float and back, losing float64."""

REPLACE = {
    "total_norm = torch.linalg.vector_norm(norms, norm_type)  # the norm of one long vector": (
        "total_norm = torch.tensor(float(torch.linalg.vector_norm(norms, norm_type)))"
    ),
}
LOSES = ["test_float64_gradients_give_a_float64_total_norm_like_torch"]
