"""What runs inside Gradescope's container, from the two scripts of the autograder zip.

    setup.sh (once, when Gradescope builds the image):
        python -m course.graders.gradescope.container fetch-data --root ROOT --exercises a,b
    run_autograder (once per submission):
        python -m course.graders.gradescope.container grade --root ROOT --exercises a,b

`grade` stages the student's files (submission.py) as a workspace, grades them with
grade_exercises, the engine of `course grade` (same checks, points, limits, forbidden calls
and messages), learner code sandboxed, and only after it returned, when no learner process
is alive, writes ROOT/results/results.json in Gradescope's format, replacing whatever is
there: a submission whose code wrote that file itself gains nothing. Where the container
cannot sandbox, it refuses (one line, exit code 1, no results) unless COURSE_ALLOW_UNISOLATED=1
(`course export gradescope --no-isolation` writes it into run_autograder).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from course.graders.engine.declared import declared_checks
from course.graders.engine.grade import CheckResult, ExerciseResult, grade_exercises
from course.graders.engine.learner.sandbox import instructor_isolation
from course.graders.gradescope.submission import Upload, find_uploads, stage_workspace
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise, find_exercise, load_manifest
from course.graders.kit.paths import grader_path
from course.graders.kit.training import load_trainer

SUBMISSION_FOLDER = "submission"
RESULTS_FILE = Path("results") / "results.json"
DATA_FOLDER = "course-kit-data"
"""Under ROOT: the datasets setup.sh fetched, read by the checks of exercises that declare one."""

VISIBLE, AFTER_PUBLISHED = "visible", "after_published"
"""Gradescope's visibility of a test: a hidden check (@check(hidden=True)) shows once grades
are published, the others as soon as the submission is graded."""

LOCAL_COMMAND = "course grade {name}"
HOW_TO_ACCEPT_UNISOLATED = "Export the autograder with `course export gradescope --no-isolation`"


def data_folder(root: Path) -> Path:
    """Where setup.sh fetches the datasets that exercises declare."""
    return Path(root) / DATA_FOLDER


def fetch_datasets(root: Path, exercises: list[Exercise]) -> None:
    """Fetch the dataset of each exercise that declares one, with its trainer module's
    fetch_test_set (kit/training.py), into data_folder(root)."""
    for exercise in exercises:
        if exercise.dataset:
            load_trainer(exercise).fetch_test_set(data_folder(root))


def grade_submission(root: Path, exercises: list[Exercise]) -> dict:
    """Grade ROOT/submission/ and write ROOT/results/results.json; returns what was written."""
    root, start, manifest = Path(root), time.monotonic(), load_manifest()
    isolated = instructor_isolation(accept_with=HOW_TO_ACCEPT_UNISOLATED)
    # every exercise's upload is staged: one graded here may import another one's code
    uploads, missing = find_uploads(root / SUBMISSION_FOLDER, manifest)
    found = [exercise for exercise in exercises if exercise.name in uploads]
    results = {}
    with tempfile.TemporaryDirectory(
        prefix="course-gradescope-", ignore_cleanup_errors=True
    ) as scratch:
        workspace = stage_workspace(Path(scratch), uploads, manifest)
        data = data_folder(root) if any(exercise.dataset for exercise in found) else None
        if found:
            graded = grade_exercises(workspace, found, data=data, isolated=isolated)
            results = {result.exercise: result for result in graded}
    # grade_exercises has returned: every learner process it started is dead
    for exercise in exercises:
        if exercise.name in missing:
            results[exercise.name] = not_graded(exercise, missing[exercise.name])
    ordered = [results[exercise.name] for exercise in exercises]
    payload = results_json(exercises, ordered, uploads, time.monotonic() - start)
    write_results(root / RESULTS_FILE, payload)
    return payload


def not_graded(exercise: Exercise, message: str) -> ExerciseResult:
    """Every check of an exercise the student did not upload: 0 points, `message` each."""
    checks = [
        CheckResult(check.name, check.description, check.points, False, message, 0.0)
        for check in declared_checks(grader_path(exercise.name))
    ]
    return ExerciseResult(exercise.name, checks)


def results_json(
    exercises: list[Exercise],
    results: list[ExerciseResult],
    uploads: dict[str, Upload],
    seconds: float,
) -> dict:
    """Gradescope's results.json: a test per check, the total, the time, an overview."""
    tests = []
    for exercise, result in zip(exercises, results):
        hidden = hidden_checks(exercise)
        for number, check in enumerate(result.checks, 1):
            tests.append(
                {
                    "name": check.description,
                    "number": f"{exercise.order}.{number}",
                    "score": check.earned,
                    "max_score": check.points,
                    "status": "passed" if check.passed else "failed",
                    "output": check.message,
                    "output_format": "text",
                    "tags": [exercise.name],
                    "visibility": AFTER_PUBLISHED if check.name in hidden else VISIBLE,
                }
            )
    return {
        "score": sum(result.earned for result in results),
        "execution_time": round(seconds),
        "output": overview(exercises, results, uploads),
        "output_format": "text",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def hidden_checks(exercise: Exercise) -> set[str]:
    """The names of the exercise's checks declared @check(hidden=True)."""
    return {check.name for check in declared_checks(grader_path(exercise.name)) if check.hidden}


def overview(
    exercises: list[Exercise], results: list[ExerciseResult], uploads: dict[str, Upload]
) -> str:
    """The text above the tests: each exercise's points in visible checks, where its code came
    from, and how to run the same checks locally. Hidden checks' verdicts stay out of it."""
    lines = []
    for exercise, result in zip(exercises, results):
        hidden = hidden_checks(exercise)
        shown = [check for check in result.checks if check.name not in hidden]
        hidden_points = sum(check.points for check in result.checks) - sum(
            check.points for check in shown
        )
        upload = uploads.get(exercise.name)
        line = (
            f"{exercise.name}: {sum(check.earned for check in shown)}/"
            f"{sum(check.points for check in shown)} points in the checks shown now"
        )
        line += f", from {upload.origin}" if upload else ", nothing uploaded"
        if hidden_points:
            line += f" ({hidden_points} more points in checks shown when grades are published)"
        lines.append(line + ".")
    names = [exercise.name for exercise in exercises]
    command = LOCAL_COMMAND.format(name=names[0] if len(names) == 1 else "NAME")
    where = "" if len(names) == 1 else f" (NAME: {', '.join(names)})"
    lines.append(
        f"Run the same checks, with the same messages, on your machine before you submit: "
        f"`{command}` in your course workspace{where}."
    )
    return "\n".join(lines)


def write_results(path: Path, payload: dict) -> None:
    """Write results.json atomically, replacing whatever is at its place (a file, a link or a
    folder that a submission's code left there)."""
    folder = path.parent
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    temporary = folder / f".{path.name}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    os.replace(temporary, path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.graders.gradescope.container")
    parser.add_argument("step", choices=("fetch-data", "grade"))
    parser.add_argument("--root", type=Path, required=True, help="the autograder root")
    parser.add_argument("--exercises", required=True, help="comma-separated exercise names")
    arguments = parser.parse_args(argv)
    try:
        manifest = load_manifest()
        exercises = [find_exercise(name, manifest) for name in arguments.exercises.split(",")]
        if arguments.step == "fetch-data":
            fetch_datasets(arguments.root, exercises)
            return 0
        payload = grade_submission(arguments.root, exercises)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(payload["output"])
    for test in payload["tests"]:
        print(f"{test['number']:>6} {test['score']}/{test['max_score']} {test['name']}")
    print(f"Total: {payload['score']} points, in {payload['execution_time']} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
