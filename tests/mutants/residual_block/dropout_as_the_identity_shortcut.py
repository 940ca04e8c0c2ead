"""A learner who regularises the skip path with nn.Dropout(), a parameter-free shortcut that scales x in train mode."""

REPLACE = {"self.shortcut = nn.Identity()": "self.shortcut = nn.Dropout(0.1)"}
LOSES = ["test_layers_and_parameter_count_follow_the_contract", "test_identity_block_matches_the_reference_in_train_mode"]
MESSAGES = {"test_layers_and_parameter_count_follow_the_contract": "the shortcut computes something"}
