"""A learner who computes h from tanh of the previous cell state instead of the new one."""

REPLACE = {"h = output_gate * torch.tanh(c)": "h = output_gate * torch.tanh(c_prev)"}
LOSES = ["test_h_and_c_match_torch_lstm_cell_with_the_same_weights"]
