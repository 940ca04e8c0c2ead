"""Validates every epoch but records only the epochs before the last ("it is in the log")."""

REPLACE = {
    "        history.append({\n": "        if epoch < epochs:\n            history.append({\n",
}
LOSES = ["test_early_stopping_ends_a_worsening_run_and_restores_the_best_weights"]
