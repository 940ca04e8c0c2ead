"""A learner who never thought of a model in which no parameter has a gradient yet."""

REPLACE = {"    if not grads:\n        return torch.tensor(0.0)\n": ""}
LOSES = ["test_parameters_without_a_gradient_are_skipped"]
