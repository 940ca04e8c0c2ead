"""The learner restores by setting tensor.data = stored: the model then shares the stored tensors."""

REPLACE = {
    "            model.load_state_dict(self._best_state)\n": "            for name, tensor in model.state_dict(keep_vars=True).items():\n                tensor.data = self._best_state[name]\n",
}
LOSES = ["test_restore_loads_a_copy_of_the_best_weights_not_the_live_tensors"]
