"""A learner who fills masked scores with -1e20, 'far below any score', instead of -inf."""

REPLACE = {
    'scores = scores.masked_fill(~mask, float("-inf"))': "scores = scores.masked_fill(~mask, -1e20)"
}
LOSES = ["test_masking_holds_for_scores_of_any_size"]
