"""A training run of the CIFAR-10 mini challenge: what `course train` does and what it leaves.

`train_and_save` calls the learner's build_model / transforms / train on the fixed 45k/5k
split and writes into <workspace>/runs/cifar_challenge/:
    model.pt2      the best model as a torch.export program: uint8 images (B, 3, 32, 32) ->
                   logits (B, 10), eval transform included, so the grader evaluates it on the
                   test set without running any learner code
    best.pt        the same weights as a state_dict (for the learner's own use)
    history.json   the per-epoch records train() returned
    run.json       what was run: data (and the --data folder, for `course grade`), epochs,
                   device, times
    curves.png, confusion.png (validation set), filters.png (first convolution)
"""

import json
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import torch
from torch import nn

from course.graders.cifar import data as cifar_data
from course.graders.cifar.data import fetch_test_set  # noqa: F401 - the trainer protocol
from course.graders.cifar.export import export_model, load_exported
from course.graders.cifar.plots import PLOT_FILES, first_convolution, save_plots
from course.graders.kit.errors import UserError
from course.graders.kit.training import DATA_KEY, RUN_SUMMARY_FILE, Reporter, RunResult
from course.graders.kit.workspace import run_folder as workspace_run_folder

EXERCISE = "cifar_challenge"
"""This package's exercise: the challenge's data, training run, export and plots."""
DEFAULT_EPOCHS = 10
MAX_EPOCHS = 30
TARGET_ACCURACY = 0.80
TRAIN_BATCH_SIZE = 256
EVAL_BATCH_SIZE = 250
"""Validation and test batches: small enough to stay in the CPU caches (fp32 evaluation at 1000
per batch ran at half the speed) and to keep the peak memory low."""
EXPORT_FILE, CHECKPOINT_FILE, HISTORY_FILE, RUN_FILE = (
    "model.pt2", "best.pt", "history.json", RUN_SUMMARY_FILE,
)  # fmt: skip
HISTORY_KEYS = ("epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr")


def run_folder(workspace: Path) -> Path:
    """Where `course train` saves this exercise's run in a workspace."""
    return workspace_run_folder(workspace, EXERCISE)


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
    source, decode_seconds, from_cache = loaded.source, loaded.seconds, loaded.from_cache
    del loaded  # the 50k images the two splits copied: 150 MB that nothing reads again
    how = "from the decoded cache" if from_cache else "decoded"
    reporter.data_ready(
        f"data: {source} ({how} in {decode_seconds:.1f} s): {len(train_split):,} train / "
        f"{len(val_split):,} validation images; the test set stays out of training."
    )
    train_loader = cifar_data.BatchLoader(
        train_split, batch_size, module.train_transform(), shuffle=True, seed=seed
    )
    del train_split  # the loader holds it, and lets it go with the loader after training
    val_loader = cifar_data.BatchLoader(
        val_split, EVAL_BATCH_SIZE, module.eval_transform(), shuffle=False
    )
    model = module.build_model()
    history, train_seconds = _timed_training(
        module, model, train_loader, val_loader, epochs, device, reporter
    )
    del train_loader  # 140 MB of training images, freed before the export and the evaluation
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
        "data": source,
        DATA_KEY: str(Path(data).expanduser().resolve()) if data is not None else None,
        "decode_seconds": round(decode_seconds, 2),
        "decoded_from_cache": from_cache,
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
    save_plots(history, confusion, first_convolution(model), folder, goal=TARGET_ACCURACY)
    message = (
        f"{history_table(history)}\n"
        f"[bold]Saved[/] {folder}: {summary['epochs_run']} epochs in {summary['train_seconds']:.0f} s "
        f"(data {summary['decode_seconds']:.1f} s), validation accuracy of the saved model "
        f"[bold]{val_accuracy:.2%}[/].\nPlots: {', '.join(PLOT_FILES)}."
    )
    return RunResult(folder, history, summary, message)


def history_table(history: list[dict]) -> str:
    """The history as train() returned it, one line per epoch: what history.json holds and
    curves.png draws, so the console shows the same numbers."""
    lines = [
        "Per epoch, as your train() returned it (history.json; curves.png draws it):",
        "epoch  train loss  train acc  val loss  val acc  learning rate",
    ]
    lines += [
        f"{r['epoch']:5.0f}  {r['train_loss']:10.3f}  {r['train_acc']:9.1%}  "
        f"{r['val_loss']:8.3f}  {r['val_acc']:7.1%}  {r['lr']:13.3g}"
        for r in history
    ]
    return "\n".join(lines)


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


def cpu_model() -> str:
    """The CPU's name as /proc/cpuinfo gives it, else platform.processor()."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# -- internals ---------------------------------------------------------------------------
def _timed_training(
    module: ModuleType,
    model: nn.Module,
    train_loader,
    val_loader,
    epochs: int,
    device: str,
    reporter: Reporter,
) -> tuple[object, float]:
    """(what the learner's train() returned, its wall time in seconds), watched for the reporter."""
    # The learner's first optimizer imports torch._dynamo (1-2 s), as the export after training
    # does: imported before the clock starts, so that it times the training alone.
    import torch._dynamo  # noqa: F401

    watch = _watch_training(model, train_loader, val_loader, reporter)
    start = time.perf_counter()
    try:
        history = module.train(model, train_loader, val_loader, epochs, device)
    finally:
        watch()
    return history, time.perf_counter() - start


def _watch_training(
    model: nn.Module, train_loader, val_loader, reporter: Reporter
) -> Callable[[], None]:
    """Report epochs, batches and accuracy from the outside, whatever train() prints (not a
    loss: which loss train() minimises is its own to say, in the history it returns).

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
            reporter.batch_done(len(labels), correct)
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
