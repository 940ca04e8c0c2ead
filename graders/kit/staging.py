"""An exercise's learner code as files: the one rule for exercises that build on others.

An exercise whose manifest entry says `builds_on = ["residual_block", ...]` imports the
learner's own code of those exercises by name (`from residual_block import ResidualBlock`).
Wherever it is graded or trained, its file sits in one folder beside the learner's files of
every exercise it builds on (and of what those build on), never beside the reference:
    course grade, course train   the workspace's exercises/ folder is that folder already
    nbgrader notebooks           the answer cells of the submission's other notebooks
                                 (notebooks/answers.py), staged with stage_exercise
    any other export             the learner's files, staged with stage_exercise
"""

import shutil
from collections.abc import Mapping
from pathlib import Path

from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise, find_exercise
from course.graders.kit.workspace import run_folder


def needed_exercises(exercise: Exercise) -> list[str]:
    """The exercises whose learner code `exercise` needs: what it builds on, recursively,
    each before what builds on it, and itself last."""
    needed: list[str] = []
    for name in exercise.builds_on:
        needed += [each for each in needed_exercises(find_exercise(name)) if each not in needed]
    return needed + [exercise.name]


def missing_beside(exercise: Exercise, learner_file: Path) -> list[str]:
    """The exercises `exercise` builds on that have no file beside `learner_file`."""
    folder = Path(learner_file).parent
    return [
        name for name in needed_exercises(exercise)[:-1] if not (folder / f"{name}.py").is_file()
    ]


def builds_on_missing_message(exercise: Exercise, missing: list[str], where: str) -> str:
    """Why nothing of `exercise` can run: the code of `missing` is not `where`."""
    return (
        f"{exercise.name} builds on your {', '.join(needed_exercises(exercise)[:-1])}, and "
        f"there is no code of {', '.join(missing)} {where}: nothing of {exercise.name} can run "
        "without it."
    )


def stage_exercise(
    exercise: Exercise,
    sources: Mapping[str, str],
    folder: Path,
    run: Path | None = None,
    where: str = "among the files given",
) -> Path:
    """Write the learner's code of `exercise` and of everything it builds on into `folder`.

    sources: exercise name -> the learner's source, for `exercise` and what it builds on
    (more is ignored). `run`: a run folder of the exercise (what its trainer saved), copied
    to folder/runs/<name>/ where the grader looks for it. Returns the exercise's file,
    folder/<name>.py. A missing source is a UserError saying what is not `where`.
    """
    needed = needed_exercises(exercise)
    missing = [name for name in needed if name not in sources]
    if missing:
        raise UserError(builds_on_missing_message(exercise, missing, where))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in needed:
        (folder / f"{name}.py").write_text(sources[name], encoding="utf-8")
    if run is not None and Path(run).is_dir():
        shutil.copytree(run, run_folder(folder, exercise.name), dirs_exist_ok=True)
    return folder / f"{exercise.name}.py"
