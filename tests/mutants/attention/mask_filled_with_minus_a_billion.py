"""A learner who fills masked scores with -1e9, 'surely small enough', instead of -inf."""

REPLACE = {
    'scores = scores.masked_fill(~mask, float("-inf"))': "scores = scores.masked_fill(~mask, -1e9)"
}
LOSES = ["test_masking_holds_for_scores_of_any_size"]
