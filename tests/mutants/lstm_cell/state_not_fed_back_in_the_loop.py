"""A learner whose lstm_forward passes the initial state to every step instead of the last one."""

REPLACE = {"state = cell(x[:, step], state)": "state = cell(x[:, step], hx)"}
LOSES = ["test_lstm_forward_matches_torch_lstm_over_a_sequence"]
