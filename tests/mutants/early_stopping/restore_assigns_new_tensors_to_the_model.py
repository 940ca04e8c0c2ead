"""A learner who fixes assign=True aliasing with a deep copy: the model still gets new tensors, not its own."""

REPLACE = {
    "model.load_state_dict(self._best_state)": (
        "model.load_state_dict(copy.deepcopy(self._best_state), assign=True)"
    ),
}
LOSES = ["test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors"]
MESSAGES = {
    'test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors': 'an optimizer made before restore',
}
