"""A learner's workspace: the one place that knows its layout.

<workspace>/exercises/<name>.py     the learner's file for each exercise
<workspace>/runs/<name>/            what `course train <name>` saved (exercises that train)
<workspace>/.course/progress.json   the workspace's record: latest results, hints revealed
"""

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise
from course.graders.kit.stubs import pristine_stub

EXERCISES_FOLDER, RUNS_FOLDER = "exercises", "runs"
PROGRESS_FILE = Path(".course") / "progress.json"


def find_workspace(start: Path | None = None, explicit: Path | None = None) -> Path:
    """The workspace named by `explicit`, or the nearest folder upwards holding exercises/."""
    if explicit is not None:
        if not explicit.exists():
            raise UserError(
                f"workspace {explicit} does not exist; `course init {explicit}` creates one."
            )
        if not explicit.is_dir():
            raise UserError(f"workspace {explicit} is a file, not a folder.")
        if not (explicit / EXERCISES_FOLDER).is_dir():
            raise UserError(f"{explicit} is not a course workspace (it has no exercises/ folder).")
        return explicit.resolve()
    here = (start or Path.cwd()).resolve()
    found = nearest_workspace(here)
    if found is None:
        raise UserError(
            f"{searched(here)}. Create one with `course init DIR`, or pass --workspace DIR."
        )
    return found


def nearest_workspace(start: Path) -> Path | None:
    """The nearest folder holding exercises/, from `start` upwards, or None."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / EXERCISES_FOLDER).is_dir():
            return folder
    return None


def searched(start: Path) -> str:
    """Where the search for a workspace looked, said for a learner who has none."""
    return (
        f"no course workspace in {Path(start).resolve()} or above it "
        "(a workspace is a folder with exercises/)"
    )


def exercise_file(workspace: Path, exercise_name: str) -> Path:
    """The learner's file for an exercise."""
    return Path(workspace) / EXERCISES_FOLDER / f"{exercise_name}.py"


def run_folder(workspace: Path, exercise_name: str) -> Path:
    """Where `course train` saves an exercise's run and its grader looks for it."""
    return Path(workspace) / RUNS_FOLDER / exercise_name


def workspace_of(learner_file: Path) -> Path:
    """The workspace of a learner file: the folder above exercises/, else the file's folder."""
    folder = Path(learner_file).resolve().parent
    return folder.parent if folder.name == EXERCISES_FOLDER else folder


def create_workspace(folder: Path, exercises: list[Exercise]) -> tuple[list[Path], list[Path]]:
    """Write the untouched stubs into folder/exercises/; never overwrite. Returns (written, kept)."""
    target = Path(folder) / EXERCISES_FOLDER
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create {target}: {error.strerror}") from None
    written, kept = [], []
    for exercise in exercises:
        path = exercise_file(folder, exercise.name)
        if path.exists():
            kept.append(path)
            continue
        path.write_text(pristine_stub(exercise.name), encoding="utf-8")
        written.append(path)
    return written, kept


class WorkspaceRecord:
    """The workspace's record: latest grading result and hints revealed, per exercise."""

    def __init__(self, workspace: Path):
        self.path = workspace / PROGRESS_FILE
        try:
            self._data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(self._data, dict):
                raise ValueError
        except (OSError, ValueError):
            self._data = {}

    def result(self, exercise_name: str) -> dict | None:
        """{"earned", "total", "passed", "graded_at"} of the latest grading, or None."""
        return self._data.get("results", {}).get(exercise_name)

    def record_result(self, exercise_name: str, earned: int, total: int, passed: bool) -> None:
        graded_at = datetime.now(UTC).isoformat(timespec="seconds")
        self._data.setdefault("results", {})[exercise_name] = {
            "earned": earned, "total": total, "passed": passed, "graded_at": graded_at,
        }  # fmt: skip
        self._save()

    def hints_revealed(self, exercise_name: str) -> int:
        return int(self._data.get("hints", {}).get(exercise_name, 0))

    def reveal_hint(self, exercise_name: str, count: int) -> None:
        self._data.setdefault("hints", {})[exercise_name] = count
        self._save()

    def _save(self) -> None:
        """Write atomically, so an interrupted save never loses the previous progress."""
        try:
            self.path.parent.mkdir(exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self._data, indent=2), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:
            raise UserError(f"cannot save progress to {self.path}: {error.strerror}") from None
