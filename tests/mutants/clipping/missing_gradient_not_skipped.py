"""A learner who collects every p.grad, None included, and crashes on a frozen parameter."""

REPLACE = {
    "grads = [p.grad for p in parameters if p.grad is not None]": "grads = [p.grad for p in parameters]"
}
LOSES = ["test_parameters_without_a_gradient_are_skipped"]
