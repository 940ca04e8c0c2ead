"""The learner stores the best weights in step but never writes restore's body to load them."""

REPLACE = {"            model.load_state_dict(self._best_state)\n": "            pass\n"}
LOSES = [
    "test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors",
    "test_a_training_loop_stops_early_and_keeps_the_best_validation_weights",
]
MESSAGES = {
    'test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors': 'restore did not load the stored weights',
}
