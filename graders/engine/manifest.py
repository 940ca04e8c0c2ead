"""The exercise manifest: the single source of truth for titles, topics, hints and limits.

Points are not here: they live on the checks that earn them (see declared.py).
"""

import difflib
from dataclasses import dataclass
from pathlib import Path

import tomllib

from course.cli.errors import UserError
from course.graders.engine.paths import MANIFEST_PATH


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


def load_manifest(path: Path = MANIFEST_PATH) -> list[Exercise]:
    """All exercises in course order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    exercises = [
        Exercise(
            name=entry["name"],
            title=entry["title"],
            topic=entry["topic"],
            order=int(entry["order"]),
            notes_section=entry["notes_section"],
            hints=tuple(entry.get("hints", ())),
            forbidden=tuple(entry.get("forbidden", ())),
            check_timeout=float(entry.get("check_timeout", data.get("check_timeout", 10))),
        )
        for entry in data["exercise"]
    ]
    return sorted(exercises, key=lambda exercise: exercise.order)


def find_exercise(name: str, exercises: list[Exercise] | None = None) -> Exercise:
    """The exercise called `name`, or a UserError listing the valid names."""
    exercises = exercises if exercises is not None else load_manifest()
    by_name = {exercise.name: exercise for exercise in exercises}
    if name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, by_name, n=1)
    suggestion = f" Did you mean '{close[0]}'?" if close else ""
    raise UserError(f"unknown exercise '{name}'.{suggestion} Valid names: {', '.join(by_name)}.")
