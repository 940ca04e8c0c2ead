"""The learner's projection shortcut is a bare 1x1 convolution, without its BatchNorm."""

REPLACE = {"""                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
""": """                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
"""}
LOSES = ["test_layers_and_parameter_count_follow_the_contract", "test_projection_blocks_match_the_reference"]
