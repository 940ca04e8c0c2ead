"""What `course train NAME` needs from an exercise that trains.

An exercise trains when its manifest entry names a trainer module (`trainer = "course.graders.
cifar.run"`). That module provides:
    DEFAULT_EPOCHS, MAX_EPOCHS, TRAIN_BATCH_SIZE   ints
    train_and_save(learner_module, data, epochs, device, folder, batch_size, reporter)
                                                   -> RunResult, saving the run in `folder`
(`data`: the dataset folder given with --data, or None for the exercise's default place.)
An exercise that also declares a dataset provides
    fetch_test_set(folder)                         downloads what its checks read into `folder`
                                                   (for graders that run offline: Gradescope)
"""

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise, load_manifest


class Reporter:
    """What a trainer tells the caller while it trains; the CLI draws it as a live bar."""

    def data_ready(self, description: str) -> None: ...
    def epoch_started(self, epoch: int, batches: int) -> None: ...
    def batch_done(self, images: int, loss: float, correct: int) -> None: ...
    def epoch_done(self, epoch: int, val_accuracy: float) -> None: ...


@dataclass
class RunResult:
    """A finished run: where it was saved, its per-epoch records, and what to tell the learner."""

    folder: Path
    history: list[dict]
    summary: dict
    """What run.json holds."""
    message: str
    """One or two lines for the learner: what was saved and what it measured."""


def load_trainer(exercise: Exercise) -> ModuleType:
    """The trainer module the manifest names for `exercise`, or a UserError naming those that train."""
    if exercise.trainer is None:
        trainable = [each.name for each in load_manifest() if each.trainer]
        raise UserError(
            f"{exercise.name} has nothing to train: `course train` takes "
            f"{', '.join(trainable) or 'no exercise of this course'}."
        )
    return importlib.import_module(exercise.trainer)
