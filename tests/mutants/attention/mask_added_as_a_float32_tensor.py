"""A learner who turns the mask into an additive float32 tensor of 0 / -inf, whatever q's dtype."""

REPLACE = {
    'scores = scores.masked_fill(~mask, float("-inf"))': 'scores = scores + torch.zeros(mask.shape).masked_fill(~mask, float("-inf"))'
}
LOSES = ["test_attention_returns_output_and_weights_of_the_documented_shapes"]
