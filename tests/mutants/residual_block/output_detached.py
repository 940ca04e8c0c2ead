"""A learner who returns the block's output detached (to "save memory"), so no gradient flows back."""

REPLACE = {"return torch.relu(out + self.shortcut(x))": "return torch.relu(out + self.shortcut(x)).detach()"}
LOSES = ["test_gradients_match_the_reference_for_input_and_every_parameter", "test_skip_carries_signal_and_gradient_when_the_branch_is_silenced", "test_deep_stack_keeps_the_input_gradient_healthy"]
MESSAGES = {
    "test_gradients_match_the_reference_for_input_and_every_parameter": "No gradient reached any input or parameter: your block's output has no graph",
    "test_skip_carries_signal_and_gradient_when_the_branch_is_silenced": "No gradient reached x with a silenced residual branch",
    "test_deep_stack_keeps_the_input_gradient_healthy": "No gradient reached the input of 24 of your blocks",
}
