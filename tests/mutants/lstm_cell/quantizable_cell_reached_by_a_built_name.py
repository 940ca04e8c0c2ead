"""A learner who hides PyTorch's float LSTM cell of its quantizable package behind built names."""

REPLACE = {
    "        gates = input @ self.weight_ih.T + h_prev @ self.weight_hh.T  # (N, 4H)\n": (
        '        package = __import__("importlib").import_module("torch.ao.nn." + "quantiz" + "able")\n'
        '        other = getattr(package, "LSTM" + "Cell")(self.input_size, self.hidden_size, bias=self.bias)\n'
        "        other = other.to(input.dtype)\n"
        "        other.igates.weight, other.hgates.weight = self.weight_ih, self.weight_hh\n"
        "        if self.bias:\n"
        "            other.igates.bias, other.hgates.bias = self.bias_ih, self.bias_hh\n"
        "        h, c = other(input, (h_prev, c_prev))\n"
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
