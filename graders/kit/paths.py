"""Where the kit's own folders are, whether it is installed or cloned."""

from pathlib import Path

import course.exercises
import course.graders
import course.solutions

EXERCISES_DIR = Path(course.exercises.__file__).parent
SOLUTIONS_DIR = Path(course.solutions.__file__).parent
GRADERS_DIR = Path(course.graders.__file__).parent
MANIFEST_PATH = EXERCISES_DIR / "manifest.toml"


def grader_path(exercise_name: str) -> Path:
    """The pytest file that grades one exercise."""
    return GRADERS_DIR / f"test_{exercise_name}.py"


def solution_path(exercise_name: str) -> Path:
    """The reference implementation of one exercise."""
    return SOLUTIONS_DIR / f"{exercise_name}.py"
