"""A learner who returns (c, h) from forward instead of PyTorch's (h, c)."""

REPLACE = {"        return h, c\n": "        return c, h\n"}
LOSES = ["test_h_and_c_match_torch_lstm_cell_with_the_same_weights", "test_lstm_forward_matches_torch_lstm_over_a_sequence"]
MESSAGES = {
    'test_h_and_c_match_torch_lstm_cell_with_the_same_weights': 'forward returns (c, h)',
}
