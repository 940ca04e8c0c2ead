"""The learner's restore loads whatever is stored, None included, when no epoch improved."""

REPLACE = {
    "        if self._best_state is not None:\n": "        if self.restore_best_weights:\n",
}
LOSES = ["test_without_restore_best_weights_the_model_is_left_alone"]
MESSAGES = {
    'test_without_restore_best_weights_the_model_is_left_alone': 'must do nothing',
}
