"""The learner returns True for good once stopped, without recording later epochs."""

REPLACE = {
    "        value = float(value)\n": "        value = float(value)\n        if self.should_stop:\n            return True\n",
}
LOSES = ["test_stops_after_patience_epochs_without_improvement_on_a_loss_curve"]
MESSAGES = {
    'test_stops_after_patience_epochs_without_improvement_on_a_loss_curve': 'stopped recording',
}
