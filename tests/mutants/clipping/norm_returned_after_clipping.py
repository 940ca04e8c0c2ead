"""A learner who returns the norm measured after scaling (always about max_norm) instead of before."""

REPLACE = {
    "    return total_norm\n": "    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(grad, norm_type) for grad in grads]), norm_type)\n"
}
LOSES = ["test_returns_the_total_norm_computed_before_clipping"]
MESSAGES = {
    'test_returns_the_total_norm_computed_before_clipping': 'AFTER clipping',
}
