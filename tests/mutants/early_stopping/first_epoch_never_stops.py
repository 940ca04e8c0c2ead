"""A learner who copies Keras' EarlyStopping, which only stops when `epoch > 0`, so a bad first epoch never stops."""

REPLACE = {
    "self.should_stop = self.num_bad_epochs >= self.patience": "self.should_stop = self.num_bad_epochs >= self.patience and self._epoch > 0",
}
LOSES = ["test_patience_zero_stops_at_the_first_epoch_that_does_not_improve"]
MESSAGES = {"test_patience_zero_stops_at_the_first_epoch_that_does_not_improve": "Do not guard the stop with `epoch > 0`"}
