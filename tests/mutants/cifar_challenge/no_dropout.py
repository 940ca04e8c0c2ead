"""The learner relies on BatchNorm alone and leaves out the Dropout the challenge asks for."""

REPLACE = {"        nn.Dropout(DROPOUT),\n": ""}
LOSES = ["test_model_has_batchnorm_and_dropout_that_is_off_in_eval_mode"]
