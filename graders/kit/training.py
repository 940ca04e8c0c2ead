"""What `course train NAME` needs from an exercise that trains.

An exercise trains when its manifest entry names a trainer module (`trainer = "course.graders.
cifar.run"`). That module provides:
    DEFAULT_EPOCHS, MAX_EPOCHS, TRAIN_BATCH_SIZE   ints
    train_and_save(learner_module, data, epochs, device, folder, batch_size, reporter)
                                                   -> RunResult, saving the run in `folder`
(`data`: the dataset folder given with --data, or None for the exercise's default place),
and saves the run's summary as RUN_SUMMARY_FILE in the run folder, its DATA_KEY holding the
--data folder it trained on (absolute; null: the default place), so that grading the saved run
uses the same data (`trained_on`).
An exercise that also declares a dataset provides
    fetch_test_set(folder)                         downloads what its checks read into `folder`
                                                   (for graders that run offline: Gradescope)
"""

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise, load_manifest
from course.graders.kit.workspace import run_folder

RUN_SUMMARY_FILE = "run.json"
"""The summary a trainer saves beside the run: what was run, on which data, how long."""
DATA_KEY = "data_option"
"""The summary's entry for the --data folder of the run (absolute), null for the default."""


class Reporter:
    """What a trainer tells the caller while it trains; the CLI draws it as a live bar.

    No loss: the loss is the one train() returns in its history (its own criterion, label
    smoothing and all), known only when train() returns; RunResult.message shows it then,
    the same numbers history.json saves and the plots draw.
    """

    def data_ready(self, description: str) -> None: ...
    def epoch_started(self, epoch: int, batches: int) -> None: ...
    def batch_done(self, images: int, correct: int) -> None: ...
    def epoch_done(self, epoch: int, val_accuracy: float) -> None: ...


@dataclass
class RunResult:
    """A finished run: where it was saved, its per-epoch records, and what to tell the learner."""

    folder: Path
    history: list[dict]
    summary: dict
    """What run.json holds."""
    message: str
    """What to tell the learner: the history as saved, what was saved and what it measured."""


def load_trainer(exercise: Exercise) -> ModuleType:
    """The trainer module the manifest names for `exercise`, or a UserError naming those that train."""
    if exercise.trainer is None:
        trainable = [each.name for each in load_manifest() if each.trainer]
        raise UserError(
            f"{exercise.name} has nothing to train: `course train` takes "
            f"{', '.join(trainable) or 'no exercise of this course'}."
        )
    return importlib.import_module(exercise.trainer)


def trained_on(workspace: Path, exercise: Exercise) -> tuple[Path, Path] | None:
    """(the --data folder the saved run of `exercise` was trained on, the summary saying so),
    or None: no saved run, or one trained on the default data."""
    summary_file = run_folder(workspace, exercise.name) / RUN_SUMMARY_FILE
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = summary.get(DATA_KEY) if isinstance(summary, dict) else None
    return (Path(folder), summary_file) if isinstance(folder, str) and folder else None
