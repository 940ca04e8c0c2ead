"""A learner who unpacks the stacked gates as f, i, g, o instead of PyTorch's i, f, g, o."""

REPLACE = {"i, f, g, o = gates.chunk(4, dim=1)": "f, i, g, o = gates.chunk(4, dim=1)"}
LOSES = [
    "test_h_and_c_match_torch_lstm_cell_with_the_same_weights",
    "test_hx_none_means_a_zero_state",
    "test_lstm_forward_matches_torch_lstm_over_a_sequence",
]
MESSAGES = {
    "test_hx_none_means_a_zero_state": "A call with hx=None builds on your cell, which does not yet match nn.LSTMCell on one step from a given state (it looks like: the gates are unpacked in the wrong order",
    "test_lstm_forward_matches_torch_lstm_over_a_sequence": "lstm_forward builds on your cell, which does not yet match nn.LSTMCell on one step from a given state (it looks like: the gates are unpacked in the wrong order",
}
