"""Schedules the rate but records the constant it was configured with (MAX_LR) instead of the optimizer's current rate."""

REPLACE = {'"lr": scheduler.get_last_lr()[0]': '"lr": MAX_LR'}
LOSES = ["test_learning_rate_follows_a_schedule"]
MESSAGES = {"test_learning_rate_follows_a_schedule": "not the rate the optimizer had at each epoch's end"}
