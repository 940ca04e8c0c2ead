"""The learner accepts any mode and any patience."""

REPLACE = {
    """        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', not {mode!r}")
        if patience < 0:
            raise ValueError(f"patience must be 0 or more, not {patience}")
""": ""
}
LOSES = ["test_invalid_mode_or_negative_patience_raise_value_error"]
