"""A learner who unpacks hx as (c, h) although it comes as (h, c)."""

REPLACE = {"h_prev, c_prev = hx  # (N, H) each": "c_prev, h_prev = hx"}
LOSES = ["test_h_and_c_match_torch_lstm_cell_with_the_same_weights", "test_lstm_forward_matches_torch_lstm_over_a_sequence"]
MESSAGES = {
    'test_h_and_c_match_torch_lstm_cell_with_the_same_weights': 'hx is unpacked as (c, h)',
}
