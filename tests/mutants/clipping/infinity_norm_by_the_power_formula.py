"""A learner who writes the p-norm as (sum |g|^p)^(1/p) for every p, inf included (it gives 1)."""

REPLACE = {
    "norms = torch.stack([torch.linalg.vector_norm(grad, norm_type) for grad in grads])": "norms = torch.stack([(grad.abs() ** norm_type).sum() for grad in grads])",
    "total_norm = torch.linalg.vector_norm(norms, norm_type)": "total_norm = norms.sum() ** (1.0 / norm_type)",
}
LOSES = ["test_infinity_norm_is_the_largest_absolute_gradient_entry"]
MESSAGES = {
    'test_infinity_norm_is_the_largest_absolute_gradient_entry': '(sum |g|^p)^(1/p)',
}
