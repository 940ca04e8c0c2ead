"""The exercise manifest: the single source of truth for titles, topics, hints and limits.

Points are not here: they live on the checks that earn them (see declared.py).
"""

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from course.graders.kit.errors import UserError
from course.graders.kit.paths import MANIFEST_PATH


@dataclass(frozen=True)
class Exercise:
    """One exercise as the manifest declares it."""

    name: str
    """File stem shared by the stub, the solution, the grader and the mutants folder."""
    title: str
    """Human title shown in `course list`."""
    topic: str
    """Course topic (CNN, RNN, attention, training)."""
    order: int
    """Position in the course; `course list` and `grade --all` follow it."""
    notes_section: str
    """The section of the course notes the exercise covers."""
    hints: tuple[str, ...]
    """Progressive hints, revealed one at a time by `course hint`."""
    forbidden: tuple[str, ...]
    """Dotted names of PyTorch's own version of what the exercise teaches."""
    check_timeout: float
    """Seconds each check may spend waiting for learner code, unless the check says more."""
    trainer: str | None = None
    """Module that `course train NAME` runs (see kit/training.py); None: nothing to train."""
    dataset: str | None = None
    """The dataset the exercise's checks read (`--data DIR`), by name; None: no dataset."""
    builds_on: tuple[str, ...] = ()
    """Earlier exercises whose learner code this one imports by name (`from residual_block
    import ResidualBlock`): it is graded and trained beside the learner's own files of them
    (see kit/staging.py), never beside the reference."""


REQUIRED = ("name", "title", "topic", "order", "notes_section", "hints")


def load_manifest(path: Path = MANIFEST_PATH) -> list[Exercise]:
    """All exercises in course order; a malformed manifest is a UserError naming the entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UserError(f"cannot read the exercise manifest {path}: {error}") from None
    exercises = [
        _exercise(entry, number, data, path)
        for number, entry in enumerate(data.get("exercise", []), 1)
    ]
    for field in ("name", "order"):
        values = [getattr(exercise, field) for exercise in exercises]
        duplicates = sorted({str(value) for value in values if values.count(value) > 1})
        if duplicates:
            raise UserError(f"{path}: two exercises share the {field} {', '.join(duplicates)}")
    exercises.sort(key=lambda exercise: exercise.order)
    _check_builds_on(exercises, path)
    return exercises


def _check_builds_on(exercises: list[Exercise], path: Path) -> None:
    """Every exercise builds only on exercises that come before it (so never on itself)."""
    earlier: set[str] = set()
    for exercise in exercises:
        unknown = [name for name in exercise.builds_on if name not in earlier]
        if unknown:
            raise UserError(
                f"{path}: {exercise.name} builds on {', '.join(unknown)}, which is not an "
                "exercise before it in the course order"
            )
        earlier.add(exercise.name)


def _exercise(entry: dict, number: int, data: dict, path: Path) -> Exercise:
    where = f"{path}: exercise #{number} ({entry.get('name', 'no name')})"
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise UserError(f"{where} lacks {', '.join(missing)}")
    hints, forbidden, builds_on = (
        entry["hints"],
        entry.get("forbidden", []),
        entry.get("builds_on", []),
    )
    if not (isinstance(hints, list) and hints and all(isinstance(h, str) and h for h in hints)):
        raise UserError(f"{where}: hints must be a non-empty list of texts")
    if not (isinstance(forbidden, list) and all(isinstance(f, str) for f in forbidden)):
        raise UserError(f"{where}: forbidden must be a list of dotted names")
    if not (isinstance(builds_on, list) and all(isinstance(b, str) for b in builds_on)):
        raise UserError(f"{where}: builds_on must be a list of exercise names")
    try:
        return Exercise(
            name=str(entry["name"]),
            title=str(entry["title"]),
            topic=str(entry["topic"]),
            order=int(entry["order"]),
            notes_section=str(entry["notes_section"]),
            hints=tuple(hints),
            forbidden=tuple(forbidden),
            check_timeout=float(entry.get("check_timeout", data.get("check_timeout", 10))),
            trainer=_optional_text(entry, "trainer", where),
            dataset=_optional_text(entry, "dataset", where),
            builds_on=tuple(builds_on),
        )
    except (TypeError, ValueError) as error:
        raise UserError(f"{where}: {error}") from None


def _optional_text(entry: dict, key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is not None and not (isinstance(value, str) and value):
        raise UserError(f"{where}: {key} must be a non-empty text")
    return value


def find_exercise(name: str, exercises: list[Exercise] | None = None) -> Exercise:
    """The exercise called `name`, or a UserError listing the valid names."""
    exercises = exercises if exercises is not None else load_manifest()
    by_name = {exercise.name: exercise for exercise in exercises}
    if name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, by_name, n=1)
    suggestion = f" Did you mean '{close[0]}'?" if close else ""
    raise UserError(f"unknown exercise '{name}'.{suggestion} Valid names: {', '.join(by_name)}.")
