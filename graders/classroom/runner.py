"""Grade every submission of a class in parallel, each result saved as soon as it exists.

Each submission is staged as a private workspace and graded by the engine exactly as
`course grade` grades a learner's workspace, with learner code sandboxed as the user of
its grading slot (engine/learner/sandbox.py). results/<student>.json is written atomically
the moment a submission is graded, so an interrupted run loses nothing; started again, it
grades only what has no result yet, or whose files or kit changed (unless `force`).
"""

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from course.graders.classroom.submissions import Submission
from course.graders.engine.declared import declared_checks
from course.graders.engine.grade import (
    CheckResult,
    ExerciseResult,
    grader_fingerprint,
)
from course.graders.engine.warm_grader import WarmGrader
from course.graders.kit.manifest import Exercise
from course.graders.kit.paths import grader_path

RESULTS_FOLDER = "results"


@dataclass
class StudentResult:
    """One student's graded submission, as saved in results/<student>.json."""

    student: str
    digest: str
    exercises: list[ExerciseResult]
    problems: list[str]
    from_nbgrader: tuple[str, str] | None = None

    @property
    def earned(self) -> int:
        return sum(result.earned for result in self.exercises)

    @property
    def total(self) -> int:
        return sum(result.total for result in self.exercises)

    def to_json(self) -> dict:
        return {
            "student": self.student, "digest": self.digest, "problems": self.problems,
            "from_nbgrader": self.from_nbgrader, "earned": self.earned, "total": self.total,
            "graded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "exercises": [result.to_json() for result in self.exercises],
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict) -> "StudentResult":
        nbgrader = data.get("from_nbgrader")
        return cls(
            data["student"], data["digest"],
            [ExerciseResult.from_json(result) for result in data["exercises"]],
            list(data.get("problems", [])), tuple(nbgrader) if nbgrader else None,
        )  # fmt: skip


class Progress:
    """What the caller is told as the run goes: a total, then each submission done."""

    def started(self, total: int, kept: list[StudentResult]) -> None: ...
    def graded(self, result: StudentResult) -> None: ...


def grade_class(
    submissions: list[Submission],
    exercises: list[Exercise],
    out: Path,
    jobs: int,
    isolate: bool = True,
    force: bool = False,
    data: Path | None = None,
    progress: Progress | None = None,
) -> list[StudentResult]:
    """Every submission's result (graded now, or kept from an earlier run of the same files)."""
    progress = progress or Progress()
    results_folder = Path(out) / RESULTS_FOLDER
    results_folder.mkdir(parents=True, exist_ok=True)
    kit = _kit_digest(exercises)
    kept, todo = {}, []
    for submission in submissions:
        saved = _saved(results_folder, submission, kit)
        if saved is not None and not force:
            kept[submission.student] = saved
        else:
            todo.append(submission)
    progress.started(len(submissions), list(kept.values()))
    slots = _Slots(jobs)
    graded = {}
    with contextlib.closing(slots), ThreadPoolExecutor(jobs, thread_name_prefix="grade") as pool:
        futures = [
            pool.submit(
                _grade_and_save, submission, exercises, kit, data, isolate, slots, results_folder
            )  # fmt: skip
            for submission in todo
        ]
        try:
            for future in as_completed(futures):
                result = future.result()
                graded[result.student] = result
                progress.graded(result)
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()  # the ones in flight finish and are saved by their thread
            raise
    every = {**kept, **graded}
    return [every[submission.student] for submission in submissions]


def _grade_and_save(
    submission: Submission, exercises: list[Exercise], kit: str, data: Path | None,
    isolate: bool, slots: "_Slots", results_folder: Path,
) -> StudentResult:  # fmt: skip
    """Grade one submission and save its result at once, in the grading thread (so a run
    interrupted in the main thread still saves what is in flight)."""
    result = _grade_one(submission, exercises, kit, data, isolate, slots)
    try:
        _save(results_folder, result, kit)
    except OSError as error:  # a full disk: graded, reported, graded again next run
        result.problems.append(f"its result could not be saved ({error.strerror})")
    return result


def _grade_one(
    submission: Submission, exercises: list[Exercise], kit: str, data: Path | None,
    isolate: bool, slots: "_Slots",
) -> StudentResult:  # fmt: skip
    present = [exercise for exercise in exercises if exercise.name in submission.sources]
    results = {}
    if present:
        with (
            slots.taken() as (slot, grader),
            tempfile.TemporaryDirectory(prefix="course-class-") as scratch,
        ):
            workspace = Path(scratch) / "workspace"
            submission.stage(workspace)
            os.chmod(scratch, 0o755)
            graded = grader.grade(
                workspace, [exercise.name for exercise in present], data,
                isolate_slot=slot if isolate else None, isolated=isolate,
            )  # fmt: skip
            results = {result["exercise"]: ExerciseResult.from_json(result) for result in graded}
    exercise_results = [results.get(exercise.name) or _missing(exercise) for exercise in exercises]
    return StudentResult(
        submission.student, submission.digest(), exercise_results, submission.problems,
        submission.from_nbgrader,
    )  # fmt: skip


def _missing(exercise: Exercise) -> ExerciseResult:
    """Every check of an exercise the submission does not contain: 0 points, saying why."""
    message = (
        f"No {exercise.name}.py in this submission (nor a notebook with its answer cell), "
        "so this check earns nothing."
    )
    return ExerciseResult(
        exercise.name,
        [
            CheckResult(check.name, check.description, check.points, False, message, 0.0)
            for check in declared_checks(grader_path(exercise.name))
        ],
    )


def _kit_digest(exercises: list[Exercise]) -> str:
    """What a result depends on besides the files: the kit's graders, and which exercises."""
    fingerprint = json.dumps(
        [sorted(grader_fingerprint().items()), [exercise.name for exercise in exercises]]
    )
    return hashlib.sha256(fingerprint.encode()).hexdigest()


def _result_path(results_folder: Path, student: str) -> Path:
    return results_folder / f"{student}.json"


def _saved(results_folder: Path, submission: Submission, kit: str) -> StudentResult | None:
    """The saved result of the same files graded by the same kit, else None."""
    try:
        data = json.loads(_result_path(results_folder, submission.student).read_text("utf-8"))
        if data.get("kit") == kit and data.get("digest") == submission.digest():
            return StudentResult.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _save(results_folder: Path, result: StudentResult, kit: str) -> None:
    """Atomically: a reader sees the whole result or the previous one, never half."""
    path = _result_path(results_folder, result.student)
    partial = path.with_name(f".{path.name}.{threading.get_ident()}.part")
    partial.write_text(json.dumps({**result.to_json(), "kit": kit}, indent=1), "utf-8")
    os.replace(partial, path)


class _Slots:
    """Grading slots 0..jobs-1, each with its warm grading process; each sandbox runs as its
    slot's own user."""

    def __init__(self, jobs: int):
        threads = max(1, (os.cpu_count() or 1) // jobs)  # the cores shared out, not oversubscribed
        self._free = [(slot, WarmGrader(threads)) for slot in range(jobs)]
        self._all = list(self._free)
        self._lock = threading.Condition()

    @contextlib.contextmanager
    def taken(self) -> Iterator[tuple[int, WarmGrader]]:
        with self._lock:
            self._lock.wait_for(lambda: self._free)
            taken = self._free.pop()
        try:
            yield taken
        finally:
            with self._lock:
                self._free.append(taken)
                self._lock.notify()

    def close(self) -> None:
        for _, grader in self._all:
            grader.close()


def load_results(out: Path) -> list[StudentResult]:
    """Every result saved in `out`, sorted by student."""
    results = []
    for path in sorted((Path(out) / RESULTS_FOLDER).glob("*.json")):
        results.append(StudentResult.from_json(json.loads(path.read_text("utf-8"))))
    return results
