"""The learner numbers epochs from 1."""

REPLACE = {"self._epoch = -1\n": "self._epoch = 0\n"}
LOSES = ["test_stops_after_patience_epochs_without_improvement_on_a_loss_curve"]
MESSAGES = {
    'test_stops_after_patience_epochs_without_improvement_on_a_loss_curve': 'counts from 0',
}
