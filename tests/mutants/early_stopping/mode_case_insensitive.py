"""The learner lower-cases mode, so "MIN" and "Max" are accepted."""

REPLACE = {
    '        if mode not in ("min", "max"):': '        mode = mode.lower()\n        if mode not in ("min", "max"):',
}
LOSES = ["test_invalid_mode_or_negative_patience_raise_value_error"]
