"""The learner records accuracies as percentages (0-100) instead of fractions."""

REPLACE = {
    '    return total_loss / seen, correct / seen': '    return total_loss / seen, 100.0 * correct / seen',
}
LOSES = ['test_training_returns_one_record_per_epoch_and_learns']
