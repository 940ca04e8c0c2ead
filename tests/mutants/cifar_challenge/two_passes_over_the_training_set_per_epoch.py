"""The learner runs two passes over train_loader per recorded epoch, doubling the 30-epoch budget."""

REPLACE = {
    "    steps = epochs * len(train_loader)": "    steps = 2 * epochs * len(train_loader)",
    "        train_loss, train_acc = run_epoch(model, train_loader, device, optimizer, scheduler)": "        for _ in range(2):\n            train_loss, train_acc = run_epoch(model, train_loader, device, optimizer, scheduler)",
}
LOSES = ["test_validation_runs_in_eval_mode_without_gradients_and_never_trains"]
