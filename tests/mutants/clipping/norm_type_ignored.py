"""A learner who always computes the 2-norm with .norm(), whatever norm_type says."""

REPLACE = {
    "torch.linalg.vector_norm(grad, norm_type)": "grad.norm()",
    "torch.linalg.vector_norm(norms, norm_type)": "norms.norm()",
}
LOSES = [
    "test_infinity_norm_is_the_largest_absolute_gradient_entry",
    "test_other_p_norms_match_torch",
]
