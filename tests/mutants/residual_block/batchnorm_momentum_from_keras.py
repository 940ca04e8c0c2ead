"""A learner coming from Keras who gives every BatchNorm momentum=0.99 (PyTorch's 0.01)."""

REPLACE = {
    "self.bn1 = nn.BatchNorm2d(out_channels)": "self.bn1 = nn.BatchNorm2d(out_channels, momentum=0.99)",
    "self.bn2 = nn.BatchNorm2d(out_channels)": "self.bn2 = nn.BatchNorm2d(out_channels, momentum=0.99)",
    "                nn.BatchNorm2d(out_channels),\n": "                nn.BatchNorm2d(out_channels, momentum=0.99),\n",
}
LOSES = ["test_identity_block_matches_the_reference_in_train_mode", "test_projection_blocks_match_the_reference"]
MESSAGES = {
    'test_identity_block_matches_the_reference_in_train_mode': 'momentum=0.99',
}
