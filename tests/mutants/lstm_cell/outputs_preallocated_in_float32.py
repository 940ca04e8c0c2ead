"""A learner who preallocates outputs with torch.zeros(N, T, H): float32 for a float64 input."""

REPLACE = {"    outputs = []\n    state = hx\n    for step in range(x.shape[1]):\n        state = cell(x[:, step], state)  # (h, c), each (N, H)\n        outputs.append(state[0])\n    return torch.stack(outputs, dim=1), state": "    outputs = torch.zeros(x.shape[0], x.shape[1], cell.hidden_size)\n    state = hx\n    for step in range(x.shape[1]):\n        state = cell(x[:, step], state)\n        outputs[:, step] = state[0]\n    return outputs, state"}
LOSES = ["test_lstm_forward_matches_torch_lstm_over_a_sequence"]
