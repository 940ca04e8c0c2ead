"""A learner who detaches the incoming state 'to save memory', cutting backprop through time."""

REPLACE = {"h_prev, c_prev = hx  # (N, H) each": "h_prev, c_prev = hx[0].detach(), hx[1].detach()"}
LOSES = ["test_gradients_match_torch_for_inputs_state_and_every_parameter"]
