"""A learner whose lstm_forward detaches every step's result, outputs included: no gradient at all."""

REPLACE = {"state = cell(x[:, step], state)  # (h, c), each (N, H)": "state = tuple(s.detach() for s in cell(x[:, step], state))"}
LOSES = ["test_lstm_forward_matches_torch_lstm_over_a_sequence"]
