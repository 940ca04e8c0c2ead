"""A learner who makes the hx=None zero state with torch.zeros, float32 whatever the input."""

REPLACE = {"zeros = input.new_zeros(input.shape[0], self.hidden_size)": "zeros = torch.zeros(input.shape[0], self.hidden_size)"}
LOSES = ["test_hx_none_means_a_zero_state"]
MESSAGES = {
    'test_hx_none_means_a_zero_state': 'input.new_zeros',
}
