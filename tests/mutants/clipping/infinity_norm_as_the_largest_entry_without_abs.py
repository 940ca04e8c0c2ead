"""A learner who takes the inf-norm as the largest entry, max g, forgetting the absolute value."""

REPLACE = {
    "norms = torch.stack([torch.linalg.vector_norm(grad, norm_type) for grad in grads])": (
        "norms = torch.stack([grad.max() if norm_type == float('inf') else "
        "torch.linalg.vector_norm(grad, norm_type) for grad in grads])"
    ),
    "total_norm = torch.linalg.vector_norm(norms, norm_type)": (
        "total_norm = norms.max() if norm_type == float('inf') else "
        "torch.linalg.vector_norm(norms, norm_type)"
    ),
}
LOSES = ["test_infinity_norm_is_the_largest_absolute_gradient_entry"]
MESSAGES = {
    'test_infinity_norm_is_the_largest_absolute_gradient_entry': 'not the largest ABSOLUTE entry',
}
