"""The learner starts best at 0.0 in mode "max", so negative values never improve."""

REPLACE = {
    'self.best = math.inf if mode == "min" else -math.inf': 'self.best = math.inf if mode == "min" else 0.0',
}
LOSES = ["test_mode_max_follows_an_accuracy_curve"]
