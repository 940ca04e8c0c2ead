"""The plots `course train` saves beside the run: curves, confusion matrix, first-layer filters.

matplotlib's object API: no pyplot state, no display needed.
"""

import math
from pathlib import Path

import torch
from torch import nn

from course.graders.cifar import data as cifar_data

PLOT_FILES = ("curves.png", "confusion.png", "filters.png")


def first_convolution(model: nn.Module) -> torch.Tensor | None:
    """The weight (C_out, 3, k, k) of the first Conv2d that reads the image, if any."""
    for module in model.modules():
        if isinstance(module, nn.Conv2d) and module.in_channels == 3:
            return module.weight.detach().float().cpu()
    return None


def save_plots(
    history: list[dict],
    confusion: torch.Tensor,
    filters: torch.Tensor | None,
    folder: Path,
    goal: float,
) -> None:
    """curves.png (loss, accuracy with the goal line, learning rate), confusion.png, filters.png."""
    from matplotlib.figure import Figure

    epochs = [record["epoch"] for record in history]
    figure = Figure(figsize=(13, 3.6), layout="constrained")
    loss, accuracy, rate = figure.subplots(1, 3)
    for axes, key, title in ((loss, "loss", "loss"), (accuracy, "acc", "accuracy")):
        axes.plot(epochs, [r[f"train_{key}"] for r in history], "o-", label="train")
        axes.plot(epochs, [r[f"val_{key}"] for r in history], "o-", label="validation")
        axes.set(title=title, xlabel="epoch")
        axes.legend()
    accuracy.axhline(goal, color="grey", linestyle=":", label="goal")
    rate.plot(epochs, [r["lr"] for r in history], "o-", color="tab:green")
    rate.set(title="learning rate (end of epoch)", xlabel="epoch")
    figure.savefig(folder / PLOT_FILES[0], dpi=110)

    figure = Figure(figsize=(7, 6), layout="constrained")
    axes = figure.subplots()
    rows = confusion.float() / confusion.sum(dim=1, keepdim=True).clamp(min=1)
    image = axes.imshow(rows.numpy(), cmap="Blues", vmin=0, vmax=1)
    for true in range(len(rows)):
        for predicted in range(len(rows)):
            count = int(confusion[true, predicted])
            colour = "white" if rows[true, predicted] > 0.5 else "black"
            axes.text(
                predicted, true, str(count), ha="center", va="center", fontsize=7, color=colour
            )
    ticks = range(len(cifar_data.CLASSES))
    axes.set_xticks(ticks, cifar_data.CLASSES, rotation=45, ha="right")
    axes.set_yticks(ticks, cifar_data.CLASSES)
    axes.set(xlabel="predicted", ylabel="true", title="confusion matrix (validation set)")
    figure.colorbar(image, ax=axes, label="fraction of the true class")
    figure.savefig(folder / PLOT_FILES[1], dpi=110)

    figure = Figure(figsize=(8, 4), layout="constrained")
    if filters is None:
        figure.text(0.5, 0.5, "no Conv2d reads the image", ha="center")
    else:
        count = len(filters)
        columns = min(count, 8)
        grid = figure.subplots(math.ceil(count / columns), columns, squeeze=False)
        for index, axes in enumerate(grid.flat):
            axes.axis("off")
            if index < count:
                kernel = filters[index]
                kernel = (kernel - kernel.min()) / (kernel.max() - kernel.min() + 1e-8)
                axes.imshow(kernel.permute(1, 2, 0).numpy(), interpolation="nearest")
        figure.suptitle(f"first-layer filters ({count} x {tuple(filters.shape[1:])})")
    figure.savefig(folder / PLOT_FILES[2], dpi=110)
