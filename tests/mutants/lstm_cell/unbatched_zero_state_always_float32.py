"""A learner who makes the zero state of a single example with torch.zeros(H): float32 for a float64 input."""

REPLACE = {
    "            hx = None if hx is None else (hx[0].unsqueeze(0), hx[1].unsqueeze(0))\n": (
        "            if hx is None:\n"
        "                hx = (torch.zeros(self.hidden_size), torch.zeros(self.hidden_size))\n"
        "            hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0))\n"
    ),
}
LOSES = ["test_unbatched_step_returns_h_and_c_of_shape_H"]
