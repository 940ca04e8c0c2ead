"""The learner never clears should_stop, so an improvement after a stop still says stop."""

REPLACE = {
    "            self.should_stop = False\n": "",
}
LOSES = ["test_stops_after_patience_epochs_without_improvement_on_a_loss_curve"]
MESSAGES = {
    'test_stops_after_patience_epochs_without_improvement_on_a_loss_curve': 'whether to stop NOW',
}
