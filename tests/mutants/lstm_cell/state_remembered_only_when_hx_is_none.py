"""A learner whose cell continues from its last hx=None call's state, 'like a stateful RNN'."""

REPLACE = {
    "        if hx is None:\n            zeros = input.new_zeros(input.shape[0], self.hidden_size)\n            hx = (zeros, zeros)\n": (
        "        remember = hx is None\n"
        "        if hx is None:\n"
        "            zeros = input.new_zeros(input.shape[0], self.hidden_size)\n"
        '            hx = getattr(self, "_last", None) or (zeros, zeros)\n'
    ),
    "        if unbatched:\n            return h.squeeze(0)": (
        "        if remember:\n"
        "            self._last = (h.detach(), c.detach())\n"
        "        if unbatched:\n"
        "            return h.squeeze(0)"
    ),
}
LOSES = ["test_hx_none_means_a_zero_state"]
