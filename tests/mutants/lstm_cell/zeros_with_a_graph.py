"""A learner whose cell returns zeros that still carry a graph ("the gradient checks only need a backward that runs")."""

REPLACE = {"        return h, c\n": "        return h * 0, c * 0\n"}
LOSES = ["test_h_and_c_match_torch_lstm_cell_with_the_same_weights", "test_gradients_match_torch_for_inputs_state_and_every_parameter", "test_gradients_agree_with_finite_differences_in_float64"]
MESSAGES = {"test_gradients_agree_with_finite_differences_in_float64": "nn.LSTMCell with the same weights changes at"}
