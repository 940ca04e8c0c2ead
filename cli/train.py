"""`course train NAME`: train the learner's model with a live progress bar, save the run.

Which exercises train, and how, is the manifest's to say (`trainer = "module"`; see
graders/kit/training.py): nothing here is about one exercise.
"""

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from course.cli.options import DataOption, WorkspaceOption, existing_folder
from course.graders.kit.errors import UserError
from course.graders.kit.training import Reporter


def train_command(
    name: Annotated[str, typer.Argument(help="Exercise to train, e.g. cifar_challenge.")],
    data: DataOption = None,
    epochs: Annotated[
        int | None, typer.Option(min=1, help="Epoch budget (default and limit: the exercise's).")
    ] = None,
    device: Annotated[str, typer.Option(help="cpu, cuda, or auto (cuda when available).")] = "auto",
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Training batch size (default: the exercise's).")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Train your model for an exercise that trains (e.g. on CIFAR-10) and save it for `course grade`."""
    from course.graders.engine.forbidden import static_use_message, static_uses
    from course.graders.engine.learner.loading import import_learner_file, learner_frames
    from course.graders.kit.manifest import find_exercise
    from course.graders.kit.training import load_trainer
    from course.graders.kit.workspace import exercise_file, find_workspace, run_folder

    exercise = find_exercise(name)
    existing_folder(data, "--data")
    trainer = load_trainer(exercise)
    epochs = trainer.DEFAULT_EPOCHS if epochs is None else epochs
    root = find_workspace(explicit=workspace)
    path = exercise_file(root, exercise.name)
    if not path.is_file():
        raise UserError(f"{path} does not exist: run `course init` to restore missing stubs.")
    uses = static_uses(path.read_text(encoding="utf-8"), exercise.forbidden)
    if uses:
        raise UserError(f"{path}: {static_use_message(uses)}")
    console = Console()
    if epochs > trainer.MAX_EPOCHS:
        console.print(
            f"[yellow]{epochs} epochs: this exercise counts only runs of at most {trainer.MAX_EPOCHS}.[/]"
        )
    chosen_device = _device(device)
    with _LiveReport(console, epochs) as reporter:
        try:
            module = import_learner_file(path)
            result = trainer.train_and_save(
                module, data, epochs, chosen_device, run_folder(root, exercise.name),
                batch_size=batch_size or trainer.TRAIN_BATCH_SIZE, reporter=reporter,
            )  # fmt: skip
        except (UserError, KeyboardInterrupt):
            raise
        except Exception as error:  # the learner's own code failed: show them their traceback
            reporter.stop()
            console.print(_learner_traceback(error, learner_frames(error, path.parent)))
            raise typer.Exit(1) from None
    console.print(result.message)
    console.print(
        f"Next: course grade {name}" + (" (it grades on the same --data)" if data else "")
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


def _learner_traceback(error: Exception, frames: list) -> str:
    """The learner's exception with the frames of their own files only."""
    import traceback

    lines = "".join(traceback.format_list(frames))
    return f"[red]Your code raised {type(error).__name__}: {error}[/]\n{lines}"


class _LiveReport(Reporter):
    """A rich progress bar fed by the trainer's Reporter calls: epoch, batch, accuracy, img/s."""

    def __init__(self, console: Console, epochs: int):
        self.console, self.epochs = console, epochs
        self.progress = Progress(
            TextColumn("[bold]epoch {task.fields[epoch]}/{task.fields[epochs]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("train acc {task.fields[acc]:.1%}"),
            TextColumn("{task.fields[speed]:,.0f} img/s"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = None
        self._correct = self._seen = 0

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        self.progress.stop()

    def data_ready(self, description: str) -> None:
        self.console.print(description)

    def epoch_started(self, epoch: int, batches: int) -> None:
        import time

        self._correct, self._seen, self._start = 0, 0, time.perf_counter()
        fields = {"epoch": epoch, "epochs": self.epochs, "acc": 0.0, "speed": 0.0}
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task("train", total=batches, **fields)

    def batch_done(self, images: int, correct: int) -> None:
        import time

        self._correct += correct
        self._seen += images
        speed = self._seen / max(time.perf_counter() - self._start, 1e-9)
        self.progress.update(self.task, advance=1, acc=self._correct / self._seen, speed=speed)

    def epoch_done(self, epoch: int, val_accuracy: float) -> None:
        self.progress.console.print(
            f"epoch {epoch:2d}: train acc {self._correct / max(self._seen, 1):.1%}"
            f"  validation acc {val_accuracy:.1%}"
        )
