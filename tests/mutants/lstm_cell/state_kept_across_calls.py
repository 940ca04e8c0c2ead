"""A learner whose cell remembers its last state and reuses it when hx=None (a stateful cell)."""

REPLACE = {
    "        if hx is None:\n            zeros": "        if hx is None and getattr(self, '_last', None) is not None and self._last[0].shape == (input.shape[0], self.hidden_size):\n            hx = self._last\n        if hx is None:\n            zeros",
    "        if unbatched:\n            return h.squeeze(0)": "        self._last = (h.detach(), c.detach())\n        if unbatched:\n            return h.squeeze(0)",
}
LOSES = ["test_hx_none_means_a_zero_state"]
MESSAGES = {
    'test_hx_none_means_a_zero_state': 'keeps the state of its previous call',
}
