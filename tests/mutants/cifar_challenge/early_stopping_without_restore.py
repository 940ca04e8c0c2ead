"""The learner stops early but returns with the last epoch's weights instead of the best ones."""

REPLACE = {"    stopper.restore(model)\n    return history": "    return history"}
LOSES = ["test_early_stopping_ends_a_worsening_run_and_restores_the_best_weights"]
