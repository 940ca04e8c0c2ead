"""A learner whose lstm_forward makes its own zero state with torch.zeros: float32 for a float64 x."""

REPLACE = {
    "    state = hx\n": (
        "    if hx is None:\n"
        "        zeros = torch.zeros(x.shape[0], cell.hidden_size)\n"
        "        hx = (zeros, zeros)\n"
        "    state = hx\n"
    ),
}
LOSES = ["test_lstm_forward_matches_torch_lstm_over_a_sequence"]
