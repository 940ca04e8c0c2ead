"""The reference, plus one validation pass before the first epoch that measures the untrained
weights and prints them (in eval mode, without gradients), as Lightning's sanity check and many
training scripts do. It measures; it is not an epoch, and costs no points."""

REPLACE = {
    "    history = []\n": (
        "    model.eval()\n"
        "    with torch.no_grad():  # a baseline: what the untrained weights score\n"
        "        base_loss, base_acc = run_epoch(model, val_loader, device)\n"
        '    print(f"before training: val_loss {base_loss:.4f}, val_acc {base_acc:.2%}")\n'
        "    history = []\n"
    ),
}
