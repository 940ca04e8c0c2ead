"""A learner's workspace: a folder holding exercises/, plus the progress kept in it.

Progress (latest result per exercise, hints revealed) lives in <workspace>/.course/progress.json.
"""

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise
from course.graders.kit.stubs import pristine_stub

PROGRESS_FILE = Path(".course") / "progress.json"


def find_workspace(start: Path | None = None, explicit: Path | None = None) -> Path:
    """The workspace named by `explicit`, or the nearest folder upwards holding exercises/."""
    if explicit is not None:
        if not (explicit / "exercises").is_dir():
            raise UserError(f"{explicit} is not a course workspace (it has no exercises/ folder).")
        return explicit.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises").is_dir():
            return folder
    raise UserError(
        f"no course workspace in {here} or above it (a workspace is a folder with exercises/). "
        "Create one with `course init DIR`, or pass --workspace DIR."
    )


def exercise_file(workspace: Path, exercise: Exercise) -> Path:
    """The learner's file for `exercise`."""
    return workspace / "exercises" / f"{exercise.name}.py"


def create_workspace(folder: Path, exercises: list[Exercise]) -> tuple[list[Path], list[Path]]:
    """Write the untouched stubs into folder/exercises/; never overwrite. Returns (written, kept)."""
    target = folder / "exercises"
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create {target}: {error.strerror}") from None
    written, kept = [], []
    for exercise in exercises:
        path = target / f"{exercise.name}.py"
        if path.exists():
            kept.append(path)
            continue
        path.write_text(pristine_stub(exercise.name), encoding="utf-8")
        written.append(path)
    return written, kept


class Progress:
    """Latest grading result and hints revealed, per exercise, saved in the workspace."""

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
