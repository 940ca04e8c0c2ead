"""The learner applies label smoothing to the validation loss too."""

REPLACE = {
    '        smoothing = LABEL_SMOOTHING if optimizer is not None else 0.0': '        smoothing = LABEL_SMOOTHING',
}
LOSES = ['test_training_returns_one_record_per_epoch_and_learns']
