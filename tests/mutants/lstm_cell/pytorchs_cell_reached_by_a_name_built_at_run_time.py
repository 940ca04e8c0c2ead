"""A learner who looks PyTorch's own LSTM cell up by a name built at run time."""

REPLACE = {
    "        gates = input @ self.weight_ih.T + h_prev @ self.weight_hh.T  # (N, 4H)\n": (
        '        cell = getattr(torch._VF, "lstm" + "_cell")\n'
        "        h, c = cell(input, (h_prev, c_prev), self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)\n"
        "        if unbatched:\n"
        "            return h.squeeze(0), c.squeeze(0)\n"
        "        return h, c\n"
        "        gates = input @ self.weight_ih.T + h_prev @ self.weight_hh.T  # (N, 4H)\n"
    ),
}
LOSES = [
    "test_h_and_c_match_torch_lstm_cell_with_the_same_weights",
    "test_gradients_match_torch_for_inputs_state_and_every_parameter",
    "test_lstm_forward_matches_torch_lstm_over_a_sequence",
]
MESSAGES = {
    "test_h_and_c_match_torch_lstm_cell_with_the_same_weights": "getattr(torch._VF",
    "test_gradients_match_torch_for_inputs_state_and_every_parameter": "getattr(torch._VF",
    "test_lstm_forward_matches_torch_lstm_over_a_sequence": "getattr(torch._VF",
}
