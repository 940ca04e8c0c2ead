"""The plots `course train` saves beside the run: curves, confusion matrix, first-layer filters.

matplotlib's object API: no pyplot state, no display needed.
"""

import math
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from torch import nn

from course.graders.cifar import data as cifar_data

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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
    figures = (curves_figure(history, goal), confusion_figure(confusion), filters_figure(filters))
    for figure, name in zip(figures, PLOT_FILES):
        figure.savefig(folder / name, dpi=110)


def curves_figure(history: list[dict], goal: float) -> "Figure":
    """Loss, accuracy (with the goal line, labelled) and learning rate per whole epoch."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    epochs = [record["epoch"] for record in history]
    figure = Figure(figsize=(13, 3.6), layout="constrained")
    loss, accuracy, rate = figure.subplots(1, 3)
    accuracy.axhline(goal, color="grey", linestyle=":", label=f"goal: {goal:.0%}")
    for axes, key, title in ((loss, "loss", "loss"), (accuracy, "acc", "accuracy")):
        axes.plot(epochs, [r[f"train_{key}"] for r in history], "o-", label="train")
        axes.plot(epochs, [r[f"val_{key}"] for r in history], "o-", label="validation")
        axes.set(title=title, xlabel="epoch")
        axes.legend()
    accuracy.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))  # as printed
    accuracy.set_ylim(top=max(accuracy.get_ylim()[1], goal + 0.03))  # the goal line in view
    rate.plot(epochs, [r["lr"] for r in history], "o-", color="tab:green")
    rate.set(title="learning rate (end of epoch)", xlabel="epoch")
    for axes in (loss, accuracy, rate):  # epochs are whole numbers: no tick at 1.2
        axes.set_xlim(epochs[0] - 0.5, epochs[-1] + 0.5)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    return figure


def confusion_figure(confusion: torch.Tensor) -> "Figure":
    """The (10, 10) confusion matrix: counts, coloured by the fraction of the true class."""
    from matplotlib.figure import Figure

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
    return figure


def filters_figure(filters: torch.Tensor | None) -> "Figure":
    """The first layer's filters (C_out, 3, k, k): square, 8 to a row, one pixel apart."""
    from matplotlib.figure import Figure

    if filters is None:
        figure = Figure(figsize=(8, 4), layout="constrained")
        figure.text(0.5, 0.5, "no Conv2d reads the image", ha="center")
        return figure
    count, _, height, width = filters.shape
    columns = min(count, 8)
    rows = math.ceil(count / columns)
    figure = Figure(figsize=(0.8 * columns + 0.4, 0.8 * rows + 0.6), layout="constrained")
    axes = figure.subplots()
    axes.imshow(filter_mosaic(filters, columns).numpy(), interpolation="nearest")
    axes.set_axis_off()
    axes.set_title(f"first-layer filters: {count} of {height}x{width} pixels, RGB")
    return figure


def filter_mosaic(filters: torch.Tensor, columns: int, gap: int = 1) -> torch.Tensor:
    """filters (C_out, 3, k, k) as one image (H, W, 3) in [0, 1]: each filter stretched to
    its own full range, square, in a grid of `columns` with `gap` white pixels between."""
    count, channels, height, width = filters.shape
    rows = math.ceil(count / columns)
    mosaic = torch.ones(rows * (height + gap) - gap, columns * (width + gap) - gap, channels)
    for index, kernel in enumerate(filters):
        kernel = (kernel - kernel.min()) / (kernel.max() - kernel.min() + 1e-8)
        top, left = (index // columns) * (height + gap), (index % columns) * (width + gap)
        mosaic[top : top + height, left : left + width] = kernel.permute(1, 2, 0)  # (k, k, 3)
    return mosaic
