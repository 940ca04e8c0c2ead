"""A learner who adds bias_ih but forgets that PyTorch's cell also adds bias_hh."""

REPLACE = {"gates = gates + self.bias_ih + self.bias_hh": "gates = gates + self.bias_ih"}
LOSES = [
    "test_h_and_c_match_torch_lstm_cell_with_the_same_weights",
    "test_hx_none_means_a_zero_state",
]
