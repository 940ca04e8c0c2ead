"""A learner who skips float(value), so best is the caller's tensor, which the loop refills in place."""

REPLACE = {"        value = float(value)\n": ""}
LOSES = ["test_stops_after_patience_epochs_without_improvement_on_a_loss_curve"]
MESSAGES = {
    'test_stops_after_patience_epochs_without_improvement_on_a_loss_curve': 'value = float(value)',
}
