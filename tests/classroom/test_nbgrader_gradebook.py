"""Class grading of nbgrader submissions: answer cells found by grade id, and the scores
land in nbgrader's own gradebook, where `nbgrader export` reads them."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from course.cli.main import app
from course.graders.engine.declared import declared_checks
from course.graders.engine.learner import sandbox
from course.graders.kit.paths import grader_path

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sandbox.unavailable_reason() is not None and not os.environ.get("CI"),
        reason=f"no isolation here: {sandbox.unavailable_reason()}",
    ),
]
ASSIGNMENT = "week4"
LSTM_POINTS = sum(check.points for check in declared_checks(grader_path("lstm_cell")))


def nbgrader(course: Path, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True,
        timeout=600, env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                          "JUPYTER_RUNTIME_DIR": str(course.parent / "runtime")},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed.stdout


def test_nbgrader_submissions_are_graded_and_their_scores_reach_the_gradebook(tmp_path):
    course = tmp_path / "course"
    result = CliRunner().invoke(app, ["release", "--out", str(course), "--assignment", ASSIGNMENT])
    assert result.exit_code == 0, result.output
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    solved = course / "source" / ASSIGNMENT / "lstm_cell.ipynb"  # its answer cell: the reference
    untouched = course / "release" / ASSIGNMENT / "lstm_cell.ipynb"
    for student, notebook in (("ada", solved), ("ben", untouched)):
        (course / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
        shutil.copy(notebook, course / "submitted" / student / ASSIGNMENT / "lstm_cell.ipynb")
    result = CliRunner().invoke(
        app,
        ["grade-class", str(course), "--exercises", "lstm_cell", "--out", str(tmp_path / "out")],
    )
    assert result.exit_code == 0, result.output
    assert "2 scores recorded in nbgrader's gradebook" in result.output
    nbgrader(course, "export", "--to", str(tmp_path / "exported.csv"))
    with open(tmp_path / "exported.csv", newline="") as file:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(file)}
    assert scores == {"ada": LSTM_POINTS, "ben": 0.0}
