"""The learner always treats lower as better, so accuracies never improve after the first."""

REPLACE = {
    '        if self.mode == "min":\n            improves': "        if True:\n            improves"
}
LOSES = ["test_mode_max_follows_an_accuracy_curve"]
MESSAGES = {
    'test_mode_max_follows_an_accuracy_curve': "in mode 'max' a higher value is better",
}
