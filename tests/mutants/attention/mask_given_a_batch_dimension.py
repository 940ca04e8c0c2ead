"""A learner who adds a batch dimension to an (Lq, Lk) mask, so unbatched q, k, v get (1, Lq, d_v)."""

REPLACE = {
    '        scores = scores.masked_fill(~mask, float("-inf"))': (
        "        if mask.dim() == 2:\n"
        "            mask = mask.unsqueeze(0)\n"
        '        scores = scores.masked_fill(~mask, float("-inf"))'
    ),
}
LOSES = ["test_attention_returns_output_and_weights_of_the_documented_shapes"]
