"""Where the kit's own folders are, whether it is installed or cloned.

Found without importing them: the learner's sandbox hides solutions/, and the learner
process still needs to know where the rest is.
"""

from pathlib import Path

GRADERS_DIR = Path(__file__).resolve().parents[1]


def package_folder(package: str) -> Path:
    """The folder of one of the kit's packages, e.g. "solutions" -> .../solutions: the kit's
    packages are sibling folders, in a checkout as in site-packages/course/."""
    return GRADERS_DIR.parent / package


EXERCISES_DIR = package_folder("exercises")
SOLUTIONS_DIR = package_folder("solutions")
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
