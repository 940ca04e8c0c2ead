"""The learner accepts Keras' mode="auto" and treats it as "min"."""

REPLACE = {
    'if mode not in ("min", "max"):': 'if mode not in ("min", "max", "auto"):',
    'self.best = math.inf if mode == "min" else -math.inf': 'self.best = -math.inf if mode == "max" else math.inf',
    'if self.mode == "min":': 'if self.mode != "max":',
}
LOSES = ["test_invalid_mode_or_negative_patience_raise_value_error"]
