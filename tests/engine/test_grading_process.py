"""The grading process starts the learner processes before it imports pytest and torch, so
one grade pays torch's import about once in wall time (graders/engine/grading_process.py);
the grader files still run under plain pytest."""

import subprocess
import sys

import pytest

from course.graders.engine.declared import declared_checks
from course.graders.kit.paths import grader_path, solution_path

EXERCISE = "lstm_cell"


def test_what_starts_the_learners_imports_neither_pytest_nor_torch():
    imported = subprocess.run(
        [sys.executable, "-c",
         "import sys, course.graders.engine.grading_process; "
         "print(sorted({'pytest', 'torch'} & set(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert imported == "[]"


@pytest.mark.slow
def test_a_grader_file_still_runs_on_its_own_under_pytest(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", str(grader_path(EXERCISE)),
         "--impl", str(solution_path(EXERCISE))],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stdout[-2000:]
    total = sum(check.points for check in declared_checks(grader_path(EXERCISE)))
    assert f"{EXERCISE}: {total}/{total} points" in finished.stdout
