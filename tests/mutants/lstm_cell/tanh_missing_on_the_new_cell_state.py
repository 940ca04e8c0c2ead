"""A learner who writes h = o * c, forgetting the tanh of the new cell state."""

REPLACE = {"h = output_gate * torch.tanh(c)": "h = output_gate * c"}
LOSES = [
    "test_h_and_c_match_torch_lstm_cell_with_the_same_weights",
    "test_hx_none_means_a_zero_state",
    "test_lstm_forward_matches_torch_lstm_over_a_sequence",
]
MESSAGES = {
    "test_hx_none_means_a_zero_state": "A call with hx=None builds on your cell, which does not yet match nn.LSTMCell on one step from a given state (it looks like: h = o * c is missing the tanh",
    "test_lstm_forward_matches_torch_lstm_over_a_sequence": "lstm_forward builds on your cell, which does not yet match nn.LSTMCell on one step from a given state (it looks like: h = o * c is missing the tanh",
}
