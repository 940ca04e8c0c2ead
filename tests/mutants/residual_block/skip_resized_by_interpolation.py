"""A learner who resizes the skip to the output's size with F.interpolate instead of a strided 1x1 conv."""

REPLACE = {
    "nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)": "nn.Conv2d(in_channels, out_channels, 1, stride=1, bias=False)",
    "return torch.relu(out + self.shortcut(x))": "skip = x if x.shape[-2:] == out.shape[-2:] else torch.nn.functional.interpolate(x, size=out.shape[-2:])\n        return torch.relu(out + self.shortcut(skip))",
}
LOSES = ["test_projection_blocks_match_the_reference", "test_layers_and_parameter_count_follow_the_contract"]
MESSAGES = {
    'test_projection_blocks_match_the_reference': '(4, 3, 9, 9)',
}
