"""The learner early-stops on the training loss instead of a validation number."""

REPLACE = {
    '        if stopper.step(val_acc, model):': '        if stopper.step(-train_loss, model):',
}
LOSES = ['test_early_stopping_ends_a_worsening_run_and_restores_the_best_weights']
