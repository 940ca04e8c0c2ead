"""The training cell of a notebook whose exercise trains: the same run as `course train`.

`train_in_notebook("<exercise>", data=None, epochs=None)` stages the answer cell as last run
in this kernel beside the answers it builds on (answers.py), imports it as `course train`
imports the exercise file, and runs the trainer the manifest names (kit/training.py) with a
progress bar that renders in Jupyter. The run is saved in runs/<exercise>/ beside the
notebook: nbgrader collects that folder with the submission, and autograde evaluates the
saved model. Autograde never trains: under it (ENGINE_DECIDES_VARIABLE) the cell only says so.
"""

import os
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from course.graders.kit.training import Reporter, RunResult
from course.graders.notebooks.answers import answers_folder, builds_on_answers
from course.graders.notebooks.kernel_checks import (
    DATA_FOLDERS,
    ENGINE_DECIDES_VARIABLE,
    latest_answer_source,
)

NOT_UNDER_AUTOGRADE = (
    "Not trained while the notebook is graded: the run submitted in {folder}/ is evaluated."
)


def train_in_notebook(
    exercise_name: str,
    data: str | Path | None = None,
    epochs: int | None = None,
    device: str = "auto",
    batch_size: int | None = None,
) -> RunResult | None:
    """Train the answer cell's model as `course train <exercise>` does; save the run beside
    this notebook. `data`: the dataset folder (None: the exercise's default, downloaded on
    first use); `epochs`: the budget (default and limit: the exercise's)."""
    from course.graders.engine.forbidden import static_use_message, static_uses
    from course.graders.engine.learner.loading import import_learner_file
    from course.graders.kit.manifest import find_exercise
    from course.graders.kit.staging import stage_exercise
    from course.graders.kit.training import load_trainer
    from course.graders.kit.workspace import run_folder

    exercise = find_exercise(exercise_name)
    folder = run_folder(answers_folder(), exercise.name)
    if os.environ.get(ENGINE_DECIDES_VARIABLE):
        print(NOT_UNDER_AUTOGRADE.format(folder=folder.relative_to(answers_folder())))
        return None
    trainer = load_trainer(exercise)
    epochs = trainer.DEFAULT_EPOCHS if epochs is None else epochs
    if epochs < 1 or (batch_size is not None and batch_size < 1):
        raise ValueError("epochs and batch_size must be at least 1.")
    source = latest_answer_source(exercise.name)
    uses = static_uses(source, exercise.forbidden)
    if uses:
        raise ValueError(static_use_message(uses))
    sources = {**builds_on_answers(exercise.name, answers_folder()), exercise.name: source}
    console = Console()
    if epochs > trainer.MAX_EPOCHS:
        console.print(
            f"{epochs} epochs: this exercise counts only runs of at most {trainer.MAX_EPOCHS}."
        )
    with tempfile.TemporaryDirectory(prefix=f"course-train-{exercise.name}-") as scratch:
        module = import_learner_file(stage_exercise(exercise, sources, Path(scratch)))
        with ProgressBar(console, epochs) as reporter:
            result = trainer.train_and_save(
                module, Path(data) if data else None, epochs, _device(device), folder,
                batch_size=batch_size or trainer.TRAIN_BATCH_SIZE, reporter=reporter,
            )  # fmt: skip
    DATA_FOLDERS[exercise.name] = str(Path(data).expanduser().resolve()) if data else ""
    console.print(result.message)
    console.print(f"Keep {folder.name}/ in runs/ beside this notebook: it is submitted with it.")
    return result


def _device(choice: str) -> str:
    import torch

    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return choice


class ProgressBar(Reporter):
    """A rich progress bar fed by the trainer's Reporter calls; rich draws it as a live widget
    in Jupyter and in place in a terminal."""

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
        )
        self.task = None
        self._sums, self._start = [0.0, 0, 0], time.perf_counter()

    def __enter__(self) -> "ProgressBar":
        self.progress.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.progress.stop()

    def data_ready(self, description: str) -> None:
        self.progress.console.print(description)

    def epoch_started(self, epoch: int, batches: int) -> None:
        self._sums, self._start = [0.0, 0, 0], time.perf_counter()
        fields = {"epoch": epoch, "epochs": self.epochs, "loss": 0.0, "acc": 0.0, "speed": 0.0}
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task("train", total=batches, **fields)

    def batch_done(self, images: int, loss: float, correct: int) -> None:
        self._sums[0] += loss * images
        self._sums[1] += correct
        self._sums[2] += images
        seen = self._sums[2]
        speed = seen / max(time.perf_counter() - self._start, 1e-9)
        self.progress.update(
            self.task, advance=1, loss=self._sums[0] / seen, acc=self._sums[1] / seen, speed=speed
        )

    def epoch_done(self, epoch: int, val_accuracy: float) -> None:
        seen = max(self._sums[2], 1)
        self.progress.console.print(
            f"epoch {epoch:2d}: train loss {self._sums[0] / seen:.3f} acc {self._sums[1] / seen:.1%}"
            f"  validation acc {val_accuracy:.1%}"
        )
