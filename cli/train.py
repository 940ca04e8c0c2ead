"""`course train cifar_challenge`: train the learner's model with a live progress bar, save the run."""

import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from course.cli.grading import WorkspaceOption
from course.graders.kit.errors import UserError

TRAINABLE = ("cifar_challenge",)


def train_command(
    name: Annotated[str, typer.Argument(help="Exercise to train: cifar_challenge.")],
    data: Annotated[
        Path | None,
        typer.Option(
            help="CIFAR-10 folder: torchvision's cifar-10-batches-py, or train/<class>/*.jpg "
            "+ test/<class>/*.jpg. Default: download into the user cache."
        ),
    ] = None,
    epochs: Annotated[
        int | None, typer.Option(help="Epoch budget (at most 30 for the challenge).")
    ] = None,
    device: Annotated[str, typer.Option(help="cpu, cuda, or auto (cuda when available).")] = "auto",
    batch_size: Annotated[int | None, typer.Option(help="Training batch size.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Train your model on CIFAR-10 (45k/5k train/val split) and save it for `course grade`."""
    from course.graders.cifar import run as cifar_run
    from course.graders.engine.forbidden import static_uses
    from course.graders.kit.manifest import find_exercise
    from course.graders.kit.workspace import exercise_file, find_workspace

    exercise = find_exercise(name)
    if exercise.name not in TRAINABLE:
        raise UserError(
            f"{name} has nothing to train: `course train` takes {', '.join(TRAINABLE)}."
        )
    epochs = cifar_run.DEFAULT_EPOCHS if epochs is None else epochs
    if epochs < 1:
        raise UserError("--epochs must be at least 1.")
    root = find_workspace(explicit=workspace)
    path = exercise_file(root, exercise)
    uses = static_uses(
        path.read_text(encoding="utf-8") if path.is_file() else "", exercise.forbidden
    )
    if uses:
        names = ", ".join(f"{use.forbidden} (line {use.line})" for use in uses)
        raise UserError(f"{path} uses {names}: build the network yourself.")
    console = Console()
    if epochs > cifar_run.MAX_EPOCHS:
        console.print(
            f"[yellow]{epochs} epochs: the challenge counts only runs of at most {cifar_run.MAX_EPOCHS}.[/]"
        )
    chosen_device = _device(device)
    folder = cifar_run.run_folder(root)
    with _LiveReport(console, epochs) as reporter:
        try:
            module = cifar_run.import_learner_file(path)
            result = cifar_run.train_and_save(
                module, data, epochs, chosen_device, folder,
                batch_size=batch_size or cifar_run.TRAIN_BATCH_SIZE, reporter=reporter,
            )  # fmt: skip
        except (UserError, KeyboardInterrupt):
            raise
        except Exception:  # the learner's own code failed: show them their traceback
            reporter.stop()
            console.print(_learner_traceback(path))
            raise typer.Exit(1) from None
    summary = result.summary
    console.print(
        f"[bold]Saved[/] {folder}: {summary['epochs_run']} epochs in {summary['train_seconds']:.0f} s "
        f"(data {summary['decode_seconds']:.1f} s), validation accuracy of the saved model "
        f"[bold]{summary['val_accuracy_of_saved_model']:.2%}[/]."
    )
    console.print(
        f"Plots: {', '.join(cifar_run.PLOT_FILES)}. Next: course grade {name}"
        + (f" --data {data}" if data else "")
    )


def _device(choice: str) -> str:
    import torch

    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if choice not in ("cpu", "cuda"):
        raise UserError(f"--device {choice}: choose cpu, cuda or auto.")
    if choice == "cuda" and not torch.cuda.is_available():
        raise UserError("--device cuda: no CUDA device is available here; use --device cpu.")
    return choice


def _learner_traceback(path: Path) -> str:
    """The current exception, with the frames of the learner's files only (and the message)."""
    import sys

    error = sys.exc_info()[1]
    frames = [
        frame for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve().parent == path.resolve().parent
    ]  # fmt: skip
    lines = "".join(traceback.format_list(frames))
    return f"[red]Your code raised {type(error).__name__}: {error}[/]\n{lines}"


class _LiveReport:
    """A rich progress bar fed by cifar_run's Reporter calls: epoch, batch, loss, accuracy, img/s."""

    def __init__(self, console: Console, epochs: int):
        self.console, self.epochs = console, epochs
        self.progress = Progress(
            TextColumn("[bold]epoch {task.fields[epoch]}/{task.fields[epochs]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]:.3f}  acc {task.fields[acc]:.1%}"),
            TextColumn("{task.fields[speed]:,.0f} img/s"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = None
        self._sums = [0.0, 0, 0]

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        self.progress.stop()

    def data_ready(self, loaded: dict, train_size: int, val_size: int) -> None:
        train = loaded["train"]
        how = "from the decoded cache" if train.from_cache else "decoded"
        self.console.print(
            f"data: {train.source} ({how} in {train.seconds:.1f} s): {train_size:,} train / "
            f"{val_size:,} validation images; the test set stays out of training."
        )

    def epoch_started(self, epoch: int, batches: int) -> None:
        import time

        self._sums, self._start = [0.0, 0, 0], time.perf_counter()
        fields = {"epoch": epoch, "epochs": self.epochs, "loss": 0.0, "acc": 0.0, "speed": 0.0}
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task("train", total=batches, **fields)

    def batch_done(self, images: int, loss: float, correct: int) -> None:
        import time

        self._sums[0] += loss * images
        self._sums[1] += correct
        self._sums[2] += images
        seen = self._sums[2]
        speed = seen / max(time.perf_counter() - self._start, 1e-9)
        self.progress.update(
            self.task, advance=1, loss=self._sums[0] / seen, acc=self._sums[1] / seen, speed=speed
        )

    def validating(self, batches: int) -> None: ...

    def epoch_done(self, epoch: int, val_accuracy: float) -> None:
        seen = max(self._sums[2], 1)
        self.progress.console.print(
            f"epoch {epoch:2d}: train loss {self._sums[0] / seen:.3f} acc {self._sums[1] / seen:.1%}"
            f"  validation acc {val_accuracy:.1%}"
        )
