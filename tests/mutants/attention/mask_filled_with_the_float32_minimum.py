"""A learner who fills masked scores with float32's smallest number, which bfloat16 cannot hold."""

REPLACE = {
    'scores = scores.masked_fill(~mask, float("-inf"))': "scores = scores.masked_fill(~mask, torch.finfo(torch.float32).min)"
}
LOSES = ["test_attention_returns_output_and_weights_of_the_documented_shapes"]
