"""A learner who returns h and c detached from the graph ("the state should not carry gradients")."""

REPLACE = {"        return h, c\n": "        return h.detach(), c.detach()\n"}
LOSES = ["test_gradients_match_torch_for_inputs_state_and_every_parameter", "test_gradients_agree_with_finite_differences_in_float64"]
MESSAGES = {
    "test_gradients_match_torch_for_inputs_state_and_every_parameter": "No gradient reached `input`",
    "test_gradients_agree_with_finite_differences_in_float64": "No gradient reached the input or the state (h0, c0)",
}
