"""A learner who zeroes every gradient in place ("any in-place change counts as clipping")."""

REPLACE = {"parameter.grad.clamp_(-clip_value, clip_value)": "parameter.grad.zero_()"}
LOSES = ["test_value_clipping_matches_torch", "test_both_functions_change_the_gradient_tensors_in_place"]
MESSAGES = {"test_both_functions_change_the_gradient_tensors_in_place": "torch.nn.utils.clip_grad_value_"}
