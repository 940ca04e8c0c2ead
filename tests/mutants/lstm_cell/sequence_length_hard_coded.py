"""A learner whose lstm_forward loops over the length of the example sequence, range(6)."""

REPLACE = {"for step in range(x.shape[1]):": "for step in range(6):"}
LOSES = ["test_lstm_forward_matches_torch_lstm_over_a_sequence"]
