"""A learner who pads the skip with zero channels (ResNet option A) when only the channels change."""

REPLACE = {
    "super().__init__()\n": "super().__init__()\n        self.stride = stride\n",
    "return torch.relu(out + self.shortcut(x))": "if self.stride == 1 and x.shape[1] != out.shape[1]:\n            skip = torch.nn.functional.pad(x, (0, 0, 0, 0, 0, out.shape[1] - x.shape[1]))\n        else:\n            skip = self.shortcut(x)\n        return torch.relu(out + skip)",
}
LOSES = ["test_projection_blocks_match_the_reference"]
MESSAGES = {
    'test_projection_blocks_match_the_reference': 'look at the shortcut',
}
