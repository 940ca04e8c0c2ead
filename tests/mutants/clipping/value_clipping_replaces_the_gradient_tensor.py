"""A learner who assigns a new clamped tensor to p.grad instead of clamping the old one in place."""

REPLACE = {
    "parameter.grad.clamp_(-clip_value, clip_value)": "parameter.grad = parameter.grad.clamp(-clip_value, clip_value)"
}
LOSES = ["test_both_functions_change_the_gradient_tensors_in_place"]
MESSAGES = {
    'test_both_functions_change_the_gradient_tensors_in_place': '`p.grad = ...`',
}
