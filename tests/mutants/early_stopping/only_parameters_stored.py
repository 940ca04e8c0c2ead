"""The learner copies model.named_parameters() only, so BatchNorm's running statistics are not restored."""

REPLACE = {
    "self._best_state = copy.deepcopy(model.state_dict())": "self._best_state = {name: p.detach().clone() for name, p in model.named_parameters()}",
    "model.load_state_dict(self._best_state)": "model.load_state_dict(self._best_state, strict=False)",
}
LOSES = ["test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors"]
MESSAGES = {
    'test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors': 'running statistics',
}
