"""A learner who inverts the mask with logical_not_(), in place, flipping the caller's mask at every call."""

REPLACE = {
    'scores = scores.masked_fill(~mask, float("-inf"))': 'scores = scores.masked_fill(mask.logical_not_(), float("-inf"))'
}
LOSES = ["test_masked_keys_get_exactly_zero_weight_and_the_rest_match_torch"]
