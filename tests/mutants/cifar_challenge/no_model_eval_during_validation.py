"""The learner validates under no_grad but forgets model.eval(): dropout stays on, BatchNorm uses batch statistics."""

REPLACE = {"        model.eval()\n        with torch.no_grad():": "        with torch.no_grad():"}
LOSES = ["test_validation_runs_in_eval_mode_without_gradients_and_never_trains"]
