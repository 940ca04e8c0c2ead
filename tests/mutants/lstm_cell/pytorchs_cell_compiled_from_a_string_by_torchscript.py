"""A learner who hides PyTorch's own LSTM cell in TorchScript compiled from a string."""

REPLACE = {
    "        gates = input @ self.weight_ih.T + h_prev @ self.weight_hh.T  # (N, 4H)\n": (
        "        unit = torch.jit.CompilationUnit(\n"
        '            "def cell(x: Tensor, h: Tensor, c: Tensor, w_ih: Tensor, w_hh: Tensor, "\n'
        '            "b_ih: Optional[Tensor], b_hh: Optional[Tensor]):\\n"\n'
        '            "    return torch.ops.aten.lstm_cell(x, [h, c], w_ih, w_hh, b_ih, b_hh)\\n"\n'
        "        )\n"
        "        h, c = unit.cell(input, h_prev, c_prev, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)\n"
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
    "test_h_and_c_match_torch_lstm_cell_with_the_same_weights": "torch.jit.CompilationUnit",
    "test_gradients_match_torch_for_inputs_state_and_every_parameter": "torch.jit.CompilationUnit",
    "test_lstm_forward_matches_torch_lstm_over_a_sequence": "torch.jit.CompilationUnit",
}
