"""A learner coming from Keras who gives every BatchNorm eps=1e-3."""

REPLACE = {
    "self.bn1 = nn.BatchNorm2d(out_channels)": "self.bn1 = nn.BatchNorm2d(out_channels, eps=1e-3)",
    "self.bn2 = nn.BatchNorm2d(out_channels)": "self.bn2 = nn.BatchNorm2d(out_channels, eps=1e-3)",
    "                nn.BatchNorm2d(out_channels),\n": "                nn.BatchNorm2d(out_channels, eps=1e-3),\n",
}
LOSES = ["test_identity_block_matches_the_reference_in_train_mode", "test_identity_block_matches_the_reference_in_eval_mode"]
MESSAGES = {
    'test_identity_block_matches_the_reference_in_train_mode': 'eps=1e-5 and momentum=0.1',
}
