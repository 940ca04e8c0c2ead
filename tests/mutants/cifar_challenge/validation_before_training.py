"""Validates at the start of each epoch, before training: every record measures the weights of the epoch before."""

REPLACE = {
    "        model.train()\n"
    "        train_loss, train_acc = run_epoch(model, train_loader, device, optimizer, scheduler)\n"
    "        model.eval()\n"
    "        with torch.no_grad():\n"
    "            val_loss, val_acc = run_epoch(model, val_loader, device)\n": (
        "        model.eval()\n"
        "        with torch.no_grad():\n"
        "            val_loss, val_acc = run_epoch(model, val_loader, device)\n"
        "        model.train()\n"
        "        train_loss, train_acc = run_epoch(model, train_loader, device, optimizer, scheduler)\n"
    ),
}
LOSES = [
    "test_validation_runs_in_eval_mode_without_gradients_and_never_trains",
    "test_early_stopping_ends_a_worsening_run_and_restores_the_best_weights",
]
