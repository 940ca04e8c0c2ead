"""The learner stores the weights of a bad epoch when nothing was stored yet."""

REPLACE = {
    "            self.should_stop = self.num_bad_epochs >= self.patience\n": "            self.should_stop = self.num_bad_epochs >= self.patience\n            if model is not None and self.restore_best_weights and self._best_state is None:\n                self._best_state = copy.deepcopy(model.state_dict())\n",
}
LOSES = ["test_without_restore_best_weights_the_model_is_left_alone"]
