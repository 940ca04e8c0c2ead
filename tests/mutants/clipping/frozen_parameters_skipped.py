"""A learner who skips parameters with requires_grad=False even when they have a .grad."""

REPLACE = {
    "grads = [p.grad for p in parameters if p.grad is not None]": (
        "grads = [p.grad for p in parameters if p.requires_grad and p.grad is not None]"
    ),
}
LOSES = ["test_parameters_without_a_gradient_are_skipped"]
