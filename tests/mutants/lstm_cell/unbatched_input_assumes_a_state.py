"""A learner who adds the batch dimension to hx for an unbatched input without checking hx=None."""

REPLACE = {"hx = None if hx is None else (hx[0].unsqueeze(0), hx[1].unsqueeze(0))": "hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0))"}
LOSES = ["test_unbatched_step_returns_h_and_c_of_shape_H"]
