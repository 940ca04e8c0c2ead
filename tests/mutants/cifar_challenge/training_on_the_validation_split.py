"""The learner's training pass iterates over val_loader: the model trains on the images meant to measure it."""

REPLACE = {
    "run_epoch(model, train_loader, device, optimizer, scheduler)": "run_epoch(model, val_loader, device, optimizer, scheduler)"
}
LOSES = ["test_validation_runs_in_eval_mode_without_gradients_and_never_trains"]
