"""The learner keeps the residual blocks in a ModuleList that forward never calls: a plain conv net runs."""

REPLACE = {
    "def build_model(num_classes: int = 10) -> nn.Module:": "class PlainNet(nn.Module):\n    def __init__(self, layers, blocks):\n        super().__init__()\n        self.layers = nn.Sequential(*layers)\n        self.blocks = nn.ModuleList(blocks)\n\n    def forward(self, x):\n        return self.layers(x)\n\n\ndef build_model(num_classes: int = 10) -> nn.Module:",
    "    in_channels = WIDTHS[0]\n": "    in_channels = WIDTHS[0]\n    blocks = []\n",
    "        layers.append(ResidualBlock(in_channels, width, stride=1 if index == 0 else 2))": "        blocks.append(ResidualBlock(in_channels, width, stride=1 if index == 0 else 2))\n        layers += [nn.Conv2d(in_channels, width, 3, 1 if index == 0 else 2, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]",
    "    return nn.Sequential(*layers)": "    return PlainNet(layers, blocks)",
}
LOSES = ["test_model_is_built_from_your_residual_blocks_with_working_skips"]
