"""A learner who concatenates the heads and returns them without applying w_o."""

REPLACE = {"return self.w_o(concatenated), weights": "return concatenated, weights"}
LOSES = [
    "test_multi_head_attention_matches_torch_multihead_attention",
    "test_multi_head_gradients_match_torch_for_inputs_and_every_parameter",
]
