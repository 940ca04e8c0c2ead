"""A learner who thinks a projection is needed only when the block widens (C_out > C_in)."""

REPLACE = {"if stride == 1 and in_channels == out_channels:": "if stride == 1 and in_channels >= out_channels:"}
LOSES = [
    "test_output_shapes_for_identity_and_downsampling_blocks",
    "test_layers_and_parameter_count_follow_the_contract",
    "test_projection_blocks_match_the_reference",
]
