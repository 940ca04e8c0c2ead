"""The learner creates the LR scheduler but never calls scheduler.step(): the rate never changes."""

REPLACE = {
    "            optimizer.step()\n            scheduler.step()": "            optimizer.step()"
}
LOSES = ["test_learning_rate_follows_a_schedule"]
