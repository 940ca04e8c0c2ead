"""The training cell of a notebook whose exercise trains: the same run as `course train`.

`train_in_notebook("<exercise>", data=None, epochs=None)` stages the answer cell as last run
in this kernel beside the answers it builds on (answers.py), imports it as `course train`
imports the exercise file, and runs the trainer the manifest names (kit/training.py) with a
progress bar that renders in Jupyter. The run is saved in runs/<exercise>/ beside the
notebook: nbgrader collects that folder with the submission, and autograde evaluates the
saved model. Autograde never trains: under it (ENGINE_DECIDES_VARIABLE) the cell only says so.
As in `course train`, torch's threads follow the cores other processes leave idle
(kit/core_sharing.py); the kernel imported torch before this cell, with its own OpenMP settings.
"""

import os
import tempfile
from pathlib import Path

from rich.console import Console

from course.graders.kit.training import RunResult
from course.graders.kit.training_bar import TrainingBar
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
    from course.graders.kit.core_sharing import CoreSharingReporter
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
        with TrainingBar(console, epochs) as reporter:
            result = trainer.train_and_save(
                module, Path(data) if data else None, epochs, _device(device), folder,
                batch_size=batch_size or trainer.TRAIN_BATCH_SIZE,
                reporter=CoreSharingReporter(reporter),
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
