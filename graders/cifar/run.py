"""A training run of the CIFAR-10 mini challenge: what `course train` does and what it leaves.

`train_and_save` calls the learner's build_model / transforms / train on the fixed 45k/5k
split and writes into <workspace>/runs/cifar_challenge/:
    model.pt2      the best model as a torch.export program: uint8 images (B, 3, 32, 32) ->
                   logits (B, 10), eval transform included, so the grader evaluates it on the
                   test set without running any learner code
    best.pt        the same weights as a state_dict (for the learner's own use)
    history.json   the per-epoch records train() returned
    run.json       what was run: data, epochs, device, times
    curves.png, confusion.png (validation set), filters.png (first convolution)
"""

import importlib.util
import json
import math
import platform
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import torch
from torch import nn

from course.graders.cifar import data as cifar_data
from course.graders.kit.errors import UserError

EXERCISE = "cifar_challenge"
DEFAULT_EPOCHS = 10
MAX_EPOCHS = 30
TARGET_ACCURACY = 0.80
TRAIN_BATCH_SIZE = 256
EVAL_BATCH_SIZE = 1000
EXPORT_FILE, CHECKPOINT_FILE, HISTORY_FILE, RUN_FILE = (
    "model.pt2", "best.pt", "history.json", "run.json",
)  # fmt: skip
PLOT_FILES = ("curves.png", "confusion.png", "filters.png")
HISTORY_KEYS = ("epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr")


def run_folder(workspace: Path) -> Path:
    """Where `course train` saves the run and `course grade` looks for it."""
    return Path(workspace) / "runs" / EXERCISE


def workspace_of(impl: Path) -> Path:
    """The workspace of a learner file: the folder above exercises/, else the file's folder."""
    folder = Path(impl).resolve().parent
    return folder.parent if folder.name == "exercises" else folder


class Reporter:
    """What `train_and_save` tells the caller while it trains; the CLI draws it."""

    def data_ready(self, loaded: dict, train_size: int, val_size: int) -> None: ...
    def epoch_started(self, epoch: int, batches: int) -> None: ...
    def batch_done(self, images: int, loss: float, correct: int) -> None: ...
    def validating(self, batches: int) -> None: ...
    def epoch_done(self, epoch: int, val_accuracy: float) -> None: ...


@dataclass
class RunResult:
    folder: Path
    history: list[dict]
    summary: dict


def import_learner_file(path: Path) -> ModuleType:
    """The learner's exercise file as a module, its folder first on sys.path (for siblings)."""
    if not path.is_file():
        raise UserError(f"{path} does not exist: run `course init` to restore missing stubs.")
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(f"learner_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def train_and_save(
    module: ModuleType,
    data: Path | None,
    epochs: int,
    device: str,
    folder: Path,
    batch_size: int = TRAIN_BATCH_SIZE,
    reporter: Reporter | None = None,
    seed: int = 0,
) -> RunResult:
    """Train the learner's model on the train split, measure on val, save everything in `folder`."""
    reporter = reporter or Reporter()
    torch.manual_seed(seed)
    loaded = cifar_data.load_split(data, "train", download=data is None)
    train_split, val_split = cifar_data.train_val_split(loaded.split)
    reporter.data_ready({"train": loaded}, len(train_split), len(val_split))
    train_loader = cifar_data.BatchLoader(
        train_split, batch_size, module.train_transform(), shuffle=True, seed=seed
    )
    val_loader = cifar_data.BatchLoader(
        val_split, EVAL_BATCH_SIZE, module.eval_transform(), shuffle=False
    )
    model = module.build_model()
    watch = _watch_training(model, train_loader, val_loader, reporter)
    start = time.perf_counter()
    try:
        history = module.train(model, train_loader, val_loader, epochs, device)
    finally:
        watch()
    train_seconds = time.perf_counter() - start
    history = checked_history(history)
    model = model.cpu().float().eval()
    folder.mkdir(parents=True, exist_ok=True)
    export_model(model, module.eval_transform(), folder / EXPORT_FILE)
    torch.save(model.state_dict(), folder / CHECKPOINT_FILE)
    predict = load_exported(folder / EXPORT_FILE)
    val_accuracy, confusion = evaluate(predict, val_split)
    (folder / HISTORY_FILE).write_text(json.dumps(history, indent=2), encoding="utf-8")
    summary = {
        "exercise": EXERCISE,
        "data": loaded.source,
        "decode_seconds": round(loaded.seconds, 2),
        "decoded_from_cache": loaded.from_cache,
        "epochs_requested": epochs,
        "epochs_run": len(history),
        "train_seconds": round(train_seconds, 1),
        "val_accuracy_of_saved_model": val_accuracy,
        "parameters": sum(p.numel() for p in model.parameters()),
        "device": str(device),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "cpu": cpu_model(),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (folder / RUN_FILE).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    save_plots(history, confusion, first_convolution(model), folder)
    return RunResult(folder, history, summary)


def checked_history(history: object) -> list[dict]:
    """train()'s return value as plain records, or a UserError saying what the contract wants."""
    wanted = "a list with one dict per epoch holding " + ", ".join(HISTORY_KEYS)
    if not isinstance(history, list) or not history:
        raise UserError(f"train() returned {type(history).__name__}: it must return {wanted}.")
    records = []
    for number, record in enumerate(history, start=1):
        missing = [key for key in HISTORY_KEYS if not isinstance(record, dict) or key not in record]
        if missing:
            raise UserError(f"train()'s record {number} lacks {', '.join(missing)}: {wanted}.")
        try:
            records.append({key: float(record[key]) for key in HISTORY_KEYS})
        except (TypeError, ValueError):
            raise UserError(
                f"train()'s record {number} holds a value that is not a number."
            ) from None
    return records


def export_model(model: nn.Module, transform: Callable, path: Path) -> None:
    """Save `transform` + `model` as one torch.export program taking uint8 batches."""
    deployed = _Deployed(model, transform).eval()
    example = torch.zeros(4, *cifar_data.IMAGE_SHAPE, dtype=torch.uint8)
    batch = torch.export.Dim("batch", min=1, max=65536)
    try:
        with torch.no_grad():
            program = torch.export.export(deployed, (example,), dynamic_shapes=({0: batch},))
    except Exception as error:  # noqa: BLE001 - whatever torch.export cannot trace
        raise UserError(
            f"the trained model could not be saved for grading: torch.export failed on "
            f"eval_transform + model ({type(error).__name__}: {str(error)[:300]}). Keep the "
            "model's forward and the transform to plain tensor operations."
        ) from None
    with warnings.catch_warnings():  # a note about weights storage that concerns GPUs only
        warnings.simplefilter("ignore", UserWarning)
        torch.export.save(program, path)


def load_exported(path: Path) -> Callable[[torch.Tensor], torch.Tensor]:
    """The saved program as a function: uint8 images (B, 3, 32, 32) -> logits (B, classes)."""
    with warnings.catch_warnings():  # a note about weights storage that concerns GPUs only
        warnings.simplefilter("ignore", UserWarning)
        return torch.export.load(path).module()


def exported_parameter_shapes(path: Path) -> dict[str, list[int]]:
    """Names and shapes of the saved model's parameters and buffers (without the wrapper prefix)."""
    state = torch.export.load(path).state_dict
    prefix = "model."
    return {
        name[len(prefix) :]: list(tensor.shape)
        for name, tensor in state.items()
        if name.startswith(prefix)
    }


def evaluate(predict: Callable, split: cifar_data.Split) -> tuple[float, torch.Tensor]:
    """Accuracy of `predict` on uint8 images, and the (10, 10) confusion matrix (true, predicted)."""
    classes = len(cifar_data.CLASSES)
    confusion = torch.zeros(classes, classes, dtype=torch.int64)
    with torch.no_grad():
        for start in range(0, len(split), EVAL_BATCH_SIZE):
            images = split.images[start : start + EVAL_BATCH_SIZE]
            labels = split.labels[start : start + EVAL_BATCH_SIZE]
            predicted = predict(images).argmax(dim=1)
            confusion += torch.bincount(
                labels * classes + predicted, minlength=classes * classes
            ).view(classes, classes)
    return float(confusion.diagonal().sum() / max(len(split), 1)), confusion


def first_convolution(model: nn.Module) -> torch.Tensor | None:
    """The weight (C_out, 3, k, k) of the first Conv2d that reads the image, if any."""
    for module in model.modules():
        if isinstance(module, nn.Conv2d) and module.in_channels == 3:
            return module.weight.detach().float().cpu()
    return None


def cpu_model() -> str:
    """The CPU's name as /proc/cpuinfo gives it, else platform.processor()."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# -- plots (matplotlib's object API: no pyplot state, no display needed) ----------------
def save_plots(
    history: list[dict], confusion: torch.Tensor, filters: torch.Tensor | None, folder: Path
) -> None:
    from matplotlib.figure import Figure

    epochs = [record["epoch"] for record in history]
    figure = Figure(figsize=(13, 3.6), layout="constrained")
    loss, accuracy, rate = figure.subplots(1, 3)
    for axes, key, title in ((loss, "loss", "loss"), (accuracy, "acc", "accuracy")):
        axes.plot(epochs, [r[f"train_{key}"] for r in history], "o-", label="train")
        axes.plot(epochs, [r[f"val_{key}"] for r in history], "o-", label="validation")
        axes.set(title=title, xlabel="epoch")
        axes.legend()
    accuracy.axhline(TARGET_ACCURACY, color="grey", linestyle=":", label="goal")
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


# -- internals ---------------------------------------------------------------------------
class _Deployed(nn.Module):
    """eval_transform then the model: what the grader runs on raw uint8 test images."""

    def __init__(self, model: nn.Module, transform: Callable):
        super().__init__()
        self.model = model
        self.transform = transform

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.model(self.transform(images))


def _watch_training(
    model: nn.Module, train_loader, val_loader, reporter: Reporter
) -> Callable[[], None]:
    """Report epochs, batches, loss and accuracy from the outside, whatever train() prints.

    The loaders say when a pass starts and which labels go out; a forward hook sees the
    logits the model makes for them. Returns the function that stops watching.
    """
    state = {"labels": None, "phase": None, "epoch": 0, "correct": 0, "seen": 0}

    def train_batch(number: int, labels: torch.Tensor) -> None:
        if number == 0:
            state["epoch"] += 1
            reporter.epoch_started(state["epoch"], len(train_loader))
        state.update(labels=labels, phase="train")

    def val_batch(number: int, labels: torch.Tensor) -> None:
        if number == 0:
            state.update(correct=0, seen=0)
            reporter.validating(len(val_loader))
        state.update(labels=labels, phase="val")

    def after_forward(module, inputs, output) -> None:
        labels = state["labels"]
        if labels is None or not isinstance(output, torch.Tensor) or output.dim() != 2:
            return
        if len(output) != len(labels) or (state["phase"] == "train") != module.training:
            return
        state["labels"] = None
        logits = output.detach().float().cpu()
        correct = int((logits.argmax(1) == labels).sum())
        if state["phase"] == "train":
            loss = float(nn.functional.cross_entropy(logits, labels))
            reporter.batch_done(len(labels), loss, correct)
            return
        state["correct"] += correct
        state["seen"] += len(labels)
        if state["seen"] == len(val_loader.split):
            reporter.epoch_done(state["epoch"], state["correct"] / state["seen"])

    train_loader.on_batch, val_loader.on_batch = train_batch, val_batch
    handle = model.register_forward_hook(after_forward)

    def stop() -> None:
        handle.remove()
        train_loader.on_batch = val_loader.on_batch = None

    return stop
