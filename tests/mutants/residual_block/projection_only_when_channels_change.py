"""The learner forgets that a stride also changes the shape: identity shortcut at stride 2."""

REPLACE = {"if stride == 1 and in_channels == out_channels:": "if in_channels == out_channels:"}
LOSES = ["test_layers_and_parameter_count_follow_the_contract"]
