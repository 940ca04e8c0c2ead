"""The learner restores with load_state_dict(..., assign=True): the model then shares the stored tensors."""

REPLACE = {
    "model.load_state_dict(self._best_state)": "model.load_state_dict(self._best_state, assign=True)",
}
LOSES = ["test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors"]
MESSAGES = {
    'test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors': 'share memory with the stored copy',
}
