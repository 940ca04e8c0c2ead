"""The reference, plus one last validation pass after the loop that measures the restored best
weights and prints their numbers (in eval mode, without gradients). That pass measures; it is
not an epoch of training, and costs no points."""

REPLACE = {
    "    stopper.restore(model)\n    return history\n": (
        "    stopper.restore(model)\n"
        "    model.eval()\n"
        "    with torch.no_grad():  # one last look at the restored weights, for the log\n"
        "        best_loss, best_acc = run_epoch(model, val_loader, device)\n"
        '    print(f"restored weights: val_loss {best_loss:.4f}, val_acc {best_acc:.2%}")\n'
        "    return history\n"
    ),
}
