"""The learner reuses bn1 after conv2, leaving bn2 unused."""

REPLACE = {"out = self.bn2(self.conv2(out))": "out = self.bn1(self.conv2(out))"}
LOSES = [
    "test_identity_block_matches_the_reference_in_train_mode",
    "test_gradients_match_the_reference_for_input_and_every_parameter",
]
