"""The learner restores the best weights only when early stopping fires, not when the epochs run out."""

REPLACE = {
    '        if stopper.step(val_acc, model):\n            break\n    stopper.restore(model)\n': '        if stopper.step(val_acc, model):\n            stopper.restore(model)\n            break\n',
}
LOSES = ['test_early_stopping_ends_a_worsening_run_and_restores_the_best_weights']
