"""The learner counts every bad epoch since the start, not the bad epochs in a row."""

REPLACE = {
    "self.best, self.best_epoch, self.num_bad_epochs = value, self._epoch, 0": "self.best, self.best_epoch = value, self._epoch"
}
LOSES = [
    "test_stops_after_patience_epochs_without_improvement_on_a_loss_curve",
    "test_mode_max_follows_an_accuracy_curve",
]
