"""A learner who projects the values from the key input (identical in self-attention)."""

REPLACE = {"v = split_heads(self.w_v(value))": "v = split_heads(self.w_v(key))"}
LOSES = ["test_multi_head_attention_matches_torch_multihead_attention"]
