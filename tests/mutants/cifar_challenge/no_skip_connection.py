"""The learner stacks plain conv-BN-ReLU stages instead of residual blocks: no skip connection anywhere."""

REPLACE = {
    "        layers.append(ResidualBlock(in_channels, width, stride=1 if index == 0 else 2))": "        stride = 1 if index == 0 else 2\n        layers += [nn.Conv2d(in_channels, width, 3, stride, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True)]"
}
LOSES = ["test_model_is_built_from_your_residual_blocks_with_working_skips"]
