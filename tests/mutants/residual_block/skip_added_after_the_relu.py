"""The learner applies the final ReLU to the main path and then adds the skip."""

REPLACE = {"return torch.relu(out + self.shortcut(x))": "return torch.relu(out) + self.shortcut(x)"}
LOSES = ["test_identity_block_matches_the_reference_in_train_mode", "test_projection_blocks_match_the_reference"]
