"""A learner who takes any parameter-free module for the identity shortcut and picks nn.ReLU(), which computes something."""

REPLACE = {"self.shortcut = nn.Identity()": "self.shortcut = nn.ReLU()"}
LOSES = ["test_layers_and_parameter_count_follow_the_contract", "test_identity_block_matches_the_reference_in_train_mode"]
MESSAGES = {"test_layers_and_parameter_count_follow_the_contract": "changes x in train mode"}
