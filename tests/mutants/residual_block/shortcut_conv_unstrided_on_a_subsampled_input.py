"""A learner whose shortcut conv has stride 1 and who subsamples x before it: not the contract's layer."""

REPLACE = {
    "nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)": "nn.Conv2d(in_channels, out_channels, 1, stride=1, bias=False)",
    "super().__init__()\n": "super().__init__()\n        self.stride = stride\n",
    "return torch.relu(out + self.shortcut(x))": "return torch.relu(out + self.shortcut(x[:, :, :: self.stride, :: self.stride]))",
}
LOSES = ["test_layers_and_parameter_count_follow_the_contract"]
