"""The learner sets a patience of 20, above the contract's maximum of 10."""

REPLACE = {
    'PATIENCE = 5': 'PATIENCE = 20',
}
LOSES = ['test_early_stopping_ends_a_worsening_run_and_restores_the_best_weights']
