"""What a released notebook's test cells call: grade the answer cell as `course grade` does.

A test cell runs in the student's kernel, which the student controls, so nothing here
decides a score: when nbgrader autogrades, autograde.py decides every test cell from the
engine, outside the kernel. Here the student gets the same verdicts before submitting. The
answer cell's code is graded as a file, staged as autograde stages it (beside the answer
cells it builds on, from the notebooks in this folder, and the run saved in runs/<exercise>/),
in a fresh `python -I` process running grade_exercises (pytest graders, learner code in its
own process), so the state of the kernel (objects, patched modules) does not enter the verdict.

At `nbgrader autograde` the kernel is started with ENGINE_DECIDES_VARIABLE set
(autograde.ExecuteForTheEngine) and a test cell only says that the engine decides:
its outputs are replaced by the verdicts anyway, and grading here too would only cost time.

Run as `python -I -m course.graders.notebooks.kernel_checks EXERCISE FILE`: prints the
exercise's result as JSON.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from course.graders.notebooks.answers import (
    AnswersMissing,
    answers_folder,
    builds_on_answers,
    in_notebook_terms,
)
from course.graders.notebooks.cells import answer_header, is_answer_source

ENGINE_DECIDES_VARIABLE = "COURSE_KIT_ENGINE_DECIDES"
"""Set in the kernel's environment while nbgrader autogrades: the engine scores the test cells."""

_verdicts_by_source: dict[str, dict[str, dict]] = {}
"""Every check's verdict of each answer source graded in this kernel, by digest."""

DATA_FOLDERS: dict[str, str] = {}
"""Exercise -> the dataset folder its training cell read in this kernel (training.py): the
test cells grade the saved model with the same data."""


def expect_check_passes(exercise_name: str, check_name: str) -> None:
    """Raise AssertionError with the grader's message unless the check passes."""
    if os.environ.get(ENGINE_DECIDES_VARIABLE):
        print(f"{check_name}: scored by the kit's engine after this notebook ran.")
        return
    verdict = _verdicts(exercise_name, latest_answer_source(exercise_name)).get(check_name)
    if verdict is None:
        raise AssertionError(f"The grader did not report {check_name}, so it earns nothing.")
    if not verdict["passed"]:
        raise AssertionError(verdict["message"])
    print(passed_text(verdict["description"], verdict["points"], verdict["message"]), end="")


def passed_text(description: str, points: int, note: str) -> str:
    """What a passed check's test cell prints: its description, points, and what it measured."""
    return f"✓ {description} ({points}/{points} points)\n" + (f"  {note}\n" if note else "")


def latest_answer_source(exercise_name: str) -> str:
    """The answer cell's source as last run in this kernel."""
    from IPython import get_ipython

    shell = get_ipython()
    history = shell.history_manager.input_hist_raw if shell is not None else []
    for source in reversed(history):
        if is_answer_source(source, exercise_name):
            return source
    raise AssertionError(
        f"Run the answer cell of {exercise_name} first: the cell that starts with "
        f"'{answer_header(exercise_name)}' (keep that line first)."
    )


def _verdicts(exercise_name: str, source: str) -> dict[str, dict]:
    """Every check's verdict on the answer source, staged beside the answers it builds on and
    the run saved beside the notebook, as autograde stages them."""
    from course.graders.kit.manifest import find_exercise
    from course.graders.kit.staging import stage_exercise
    from course.graders.kit.workspace import run_folder

    exercise = find_exercise(exercise_name)
    folder = answers_folder()
    try:
        sources = {**builds_on_answers(exercise_name, folder), exercise_name: source}
    except AnswersMissing as error:
        raise AssertionError(str(error)) from None
    run = run_folder(folder, exercise_name)
    data = DATA_FOLDERS.get(exercise_name)
    digest = hashlib.sha256(
        json.dumps([sorted(sources.items()), _run_stamp(run), data]).encode()
    ).hexdigest()
    if digest not in _verdicts_by_source:
        with tempfile.TemporaryDirectory(prefix="course-notebook-") as scratch:
            staged_folder = Path(scratch).resolve()
            impl = stage_exercise(exercise, sources, staged_folder, run=run)
            completed = subprocess.run(
                [sys.executable, "-I", "-m", "course.graders.notebooks.kernel_checks"]
                + [exercise_name, str(impl)]
                + ([data] if data else []),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
            )
        try:
            result = json.loads(completed.stdout)
        except ValueError:
            raise AssertionError(
                f"The grader could not run (exit code {completed.returncode}): "
                f"{completed.stderr.strip()[-1000:]}"
            ) from None
        _verdicts_by_source[digest] = {
            check["name"]: {
                **check,
                "message": in_notebook_terms(check["message"], exercise_name, staged_folder),
            }
            for check in result["checks"]
        }
    return _verdicts_by_source[digest]


def _run_stamp(run: Path) -> list:
    """What changes when a run is saved again: each file's name, size and time."""
    if not run.is_dir():
        return []
    return sorted(
        (path.name, path.stat().st_size, path.stat().st_mtime_ns) for path in run.iterdir()
    )


def main(argv: list[str]) -> None:
    """Grade FILE as the implementation of EXERCISE (DATA: its dataset folder) and print the
    result as JSON."""
    from course.graders.engine.grade import grade_exercises
    from course.graders.kit.manifest import find_exercise

    exercise_name, impl, *data = argv
    impl_path = Path(impl)
    result = grade_exercises(
        impl_path.parent,
        [find_exercise(exercise_name)],
        impl=impl_path,
        data=data[0] if data else None,
    )[0]
    print(json.dumps(result.to_json()))


if __name__ == "__main__":
    main(sys.argv[1:])
