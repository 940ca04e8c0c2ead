"""The learner averages each batch's accuracy over len(loader): a short last batch weighs as much as a full one."""

REPLACE = {
    "        correct += (logits.argmax(dim=1) == labels).sum().item()": "        correct += (logits.argmax(dim=1) == labels).float().mean().item()",
    "    return total_loss / seen, correct / seen": "    return total_loss / seen, correct / len(loader)",
}
LOSES = ["test_training_returns_one_record_per_epoch_and_learns"]
