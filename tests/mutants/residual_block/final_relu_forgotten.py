"""The learner returns main + shortcut without the ReLU that follows the addition."""

REPLACE = {"return torch.relu(out + self.shortcut(x))": "return out + self.shortcut(x)"}
LOSES = [
    "test_identity_block_matches_the_reference_in_train_mode",
    "test_skip_carries_signal_and_gradient_when_the_branch_is_silenced",
]
