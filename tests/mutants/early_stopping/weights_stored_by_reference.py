"""The learner keeps model.state_dict() itself: its tensors ARE the live weights."""

REPLACE = {
    "self._best_state = copy.deepcopy(model.state_dict())": "self._best_state = model.state_dict()"
}
LOSES = [
    "test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors",
    "test_a_training_loop_stops_early_and_keeps_the_best_validation_weights",
]
MESSAGES = {
    'test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors': 'reference to the live tensors',
}
