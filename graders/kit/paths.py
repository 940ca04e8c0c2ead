"""Where the kit's own folders are, whether it is installed or cloned."""

from pathlib import Path

import course.exercises
import course.graders
import course.solutions

EXERCISES_DIR = Path(course.exercises.__file__).parent
SOLUTIONS_DIR = Path(course.solutions.__file__).parent
GRADERS_DIR = Path(course.graders.__file__).parent
MANIFEST_PATH = EXERCISES_DIR / "manifest.toml"


GRADER_PREFIX = "test_"
"""A grader file is graders/test_<exercise>.py: pytest collects it by that prefix."""


def grader_path(exercise_name: str) -> Path:
    """The pytest file that grades one exercise."""
    return GRADERS_DIR / f"{GRADER_PREFIX}{exercise_name}.py"


def is_grader_file(path: Path) -> bool:
    """Whether `path` is named like a grader file."""
    return path.name.startswith(GRADER_PREFIX) and path.suffix == ".py"


def exercise_of_grader(path: Path | str) -> str:
    """The exercise a grader file grades: graders/test_lstm_cell.py -> lstm_cell."""
    return Path(path).stem[len(GRADER_PREFIX) :]


def solution_path(exercise_name: str) -> Path:
    """The reference implementation of one exercise."""
    return SOLUTIONS_DIR / f"{exercise_name}.py"
