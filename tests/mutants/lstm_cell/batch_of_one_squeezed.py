"""A learner who always squeezes dim 0 at the end, so a batched (1, I) input gives (H,)."""

REPLACE = {"        if unbatched:\n            return h.squeeze(0), c.squeeze(0)\n        return h, c\n": "        return h.squeeze(0), c.squeeze(0)\n"}
LOSES = ["test_batched_step_returns_h_and_c_of_shape_N_H"]
MESSAGES = {
    'test_batched_step_returns_h_and_c_of_shape_N_H': 'N = 1',
}
