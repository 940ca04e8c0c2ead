"""A learner whose lstm_forward makes its zero state with zeros_like of a slice of x: (N, min(I, H))."""

REPLACE = {
    "    state = hx\n": (
        "    if hx is None:\n"
        "        zeros = torch.zeros_like(x[:, 0, : cell.hidden_size])\n"
        "        hx = (zeros, zeros)\n"
        "    state = hx\n"
    ),
}
LOSES = ["test_lstm_forward_matches_torch_lstm_over_a_sequence"]
