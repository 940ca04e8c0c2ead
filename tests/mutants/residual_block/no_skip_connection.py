"""The learner builds the shortcut but never adds it: a plain conv block."""

REPLACE = {"return torch.relu(out + self.shortcut(x))": "return torch.relu(out)"}
LOSES = [
    "test_identity_block_matches_the_reference_in_train_mode",
    "test_deep_stack_keeps_the_input_gradient_healthy",
    "test_skip_carries_signal_and_gradient_when_the_branch_is_silenced",
]
