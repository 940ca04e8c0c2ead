"""A learner who swaps the documented Uniform init for xavier_uniform_ weights and zero biases."""

REPLACE = {"            nn.init.uniform_(parameter, -bound, bound)": "            if parameter.dim() > 1:\n                nn.init.xavier_uniform_(parameter)\n            else:\n                nn.init.zeros_(parameter)"}
LOSES = ["test_parameters_follow_torch_init_and_bias_false_matches_torch"]
MESSAGES = {
    'test_parameters_follow_torch_init_and_bias_false_matches_torch': 'xavier_uniform_',
}
