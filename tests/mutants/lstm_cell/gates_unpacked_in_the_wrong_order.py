"""A learner who unpacks the stacked gates as f, i, g, o instead of PyTorch's i, f, g, o."""

REPLACE = {"i, f, g, o = gates.chunk(4, dim=1)": "f, i, g, o = gates.chunk(4, dim=1)"}
LOSES = ["test_h_and_c_match_torch_lstm_cell_with_the_same_weights"]
