"""A learner who iterates over `parameters` even when it is one tensor (which yields its rows)."""

REPLACE = {
    "    if isinstance(parameters, torch.Tensor):  # one tensor: clip its own gradient\n        parameters = [parameters]\n": ""
}
LOSES = ["test_a_single_tensor_is_accepted_by_both_functions"]
