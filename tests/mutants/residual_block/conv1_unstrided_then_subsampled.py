"""A learner who runs conv1 at stride 1 and keeps every stride-th pixel: same numbers, not the contract's conv1."""

REPLACE = {
    "self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)": "self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=1, padding=1, bias=False)\n        self.stride = stride",
    "out = torch.relu(self.bn1(self.conv1(x)))": "out = torch.relu(self.bn1(self.conv1(x)[:, :, :: self.stride, :: self.stride]))",
}
LOSES = ["test_layers_and_parameter_count_follow_the_contract"]
MESSAGES = {
    'test_layers_and_parameter_count_follow_the_contract': 'conv1 should have stride=(2, 2)',
}
