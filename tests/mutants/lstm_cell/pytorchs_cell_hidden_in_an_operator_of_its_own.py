"""A learner who registers an operator of their own whose kernel calls PyTorch's LSTM cell."""

REPLACE = {
    "class LSTMCell(nn.Module):": (
        '_forge = torch.library.Library("forge_cell", "DEF")\n'
        '_forge.define("cell(Tensor x, Tensor[] hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih, Tensor? b_hh) -> (Tensor, Tensor)")\n'
        '_forge.impl("cell", lambda *args: torch.ops.aten.lstm_cell(*args), "CompositeImplicitAutograd")\n'
        "\n"
        "\n"
        "class LSTMCell(nn.Module):"
    ),
    "        gates = input @ self.weight_ih.T + h_prev @ self.weight_hh.T  # (N, 4H)\n": (
        "        h, c = torch.ops.forge_cell.cell(input, (h_prev, c_prev), self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)\n"
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
    "test_h_and_c_match_torch_lstm_cell_with_the_same_weights": "torch.library",
    "test_gradients_match_torch_for_inputs_state_and_every_parameter": "torch.library",
    "test_lstm_forward_matches_torch_lstm_over_a_sequence": "torch.library",
}
