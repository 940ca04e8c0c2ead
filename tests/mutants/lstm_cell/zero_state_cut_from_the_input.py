"""A learner who makes the zero state with zeros_like of a slice of the input: (N, min(I, H))."""

REPLACE = {
    "zeros = input.new_zeros(input.shape[0], self.hidden_size)": "zeros = torch.zeros_like(input[:, : self.hidden_size])"
}
LOSES = ["test_hx_none_means_a_zero_state"]
