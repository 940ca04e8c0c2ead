"""A learner who puts all four gates through sigmoid, the candidate g included."""

REPLACE = {
    "candidate, output_gate = torch.tanh(g), torch.sigmoid(o)": "candidate, output_gate = torch.sigmoid(g), torch.sigmoid(o)"
}
LOSES = ["test_h_and_c_match_torch_lstm_cell_with_the_same_weights"]
