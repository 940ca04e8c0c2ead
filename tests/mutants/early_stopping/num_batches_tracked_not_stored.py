"""The learner stores only the floating-point entries of the state_dict, so num_batches_tracked is not restored."""

REPLACE = {
    "self._best_state = copy.deepcopy(model.state_dict())": "self._best_state = {k: v.detach().clone() for k, v in model.state_dict().items() if v.is_floating_point()}",
    "model.load_state_dict(self._best_state)": "model.load_state_dict(self._best_state, strict=False)",
}
LOSES = ["test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors"]
