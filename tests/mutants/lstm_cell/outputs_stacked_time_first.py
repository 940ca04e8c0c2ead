"""A learner who stacks the per-step outputs on dim 0, giving (T, N, H) instead of (N, T, H)."""

REPLACE = {"torch.stack(outputs, dim=1)": "torch.stack(outputs, dim=0)"}
LOSES = ["test_lstm_forward_matches_torch_lstm_over_a_sequence"]
