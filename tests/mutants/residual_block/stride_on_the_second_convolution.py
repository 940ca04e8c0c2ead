"""The learner puts the stride on conv2 instead of conv1."""

REPLACE = {
    "self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)": "self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=1, padding=1, bias=False)",
    "self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)": "self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=stride, padding=1, bias=False)",
}
LOSES = [
    "test_projection_blocks_match_the_reference",
    "test_gradients_match_the_reference_for_input_and_every_parameter",
]
