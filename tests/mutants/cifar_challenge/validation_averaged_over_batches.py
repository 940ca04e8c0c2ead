"""The learner sums each batch's mean loss and divides by len(loader): a short last batch weighs as much as a full one."""

REPLACE = {
    "        total_loss += loss.item() * len(labels)": "        total_loss += loss.item()",
    "    return total_loss / seen, correct / seen": "    return total_loss / len(loader), correct / seen",
}
LOSES = ["test_training_returns_one_record_per_epoch_and_learns"]
