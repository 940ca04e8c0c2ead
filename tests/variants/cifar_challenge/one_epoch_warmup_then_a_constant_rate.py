"""The reference with another schedule: a linear warm-up over the first epoch's batches, then
a constant learning rate (LinearLR stepped per batch). Every epoch then ends at the same rate,
yet the rate did follow a schedule."""

REPLACE = {
    """    scheduler = torch.optim.lr_scheduler.OneCycleLR(  # +1: the last step stays on the schedule
        optimizer, max_lr=MAX_LR, total_steps=steps + 1, pct_start=0.25, anneal_strategy="linear"
    )
""": """    scheduler = torch.optim.lr_scheduler.LinearLR(  # warm up in epoch 1, then constant
        optimizer, start_factor=0.1, end_factor=1.0, total_iters=len(train_loader)
    )
""",
    "    steps = epochs * len(train_loader)\n": "",
}
