"""A learner who never checks that d_model splits evenly into num_heads."""

REPLACE = {"if d_model % num_heads != 0:": "if False:"}
LOSES = ["test_d_model_not_divisible_by_num_heads_raises_value_error"]
