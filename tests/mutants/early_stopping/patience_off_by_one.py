"""The learner waits one epoch too many: stops when num_bad_epochs > patience."""

REPLACE = {
    "self.should_stop = self.num_bad_epochs >= self.patience": "self.should_stop = self.num_bad_epochs > self.patience"
}
LOSES = [
    "test_stops_after_patience_epochs_without_improvement_on_a_loss_curve",
    "test_a_training_loop_stops_early_and_keeps_the_best_validation_weights",
]
MESSAGES = {
    'test_a_training_loop_stops_early_and_keeps_the_best_validation_weights': 'should stop after epoch',
    'test_stops_after_patience_epochs_without_improvement_on_a_loss_curve': 'num_bad_epochs >= patience',
}
