"""`course grade-class`: a whole class from the layouts instructors download, graded in
parallel, saved as it goes, resumable, with the files an LMS and the instructor need."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from course.cli.main import app
from course.graders.classroom.submissions import find_submissions
from course.graders.engine.declared import declared_checks
from course.graders.engine.learner import sandbox
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import EXERCISES_DIR, grader_path, solution_path

runner = CliRunner()
LSTM = find_exercise("lstm_cell")
LSTM_POINTS = sum(check.points for check in declared_checks(grader_path("lstm_cell")))
ISOLATION = sandbox.unavailable_reason()
needs_isolation = pytest.mark.skipif(
    ISOLATION is not None and not os.environ.get("CI"), reason=f"no isolation here: {ISOLATION}"
)


def notebook_with_answer(exercise: str, source: str) -> str:
    """A notebook as nbgrader collects it: the answer cell found by its grade id."""
    cell = {"cell_type": "code", "source": source, "outputs": [], "execution_count": None,
            "metadata": {"nbgrader": {"grade_id": f"{exercise}-answer", "solution": True}}}  # fmt: skip
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def class_folder(tmp_path) -> Path:
    """Five students in three layouts, and one broken upload."""
    folder = tmp_path / "class"
    (folder / "alice").mkdir(parents=True)
    shutil.copy(solution_path("lstm_cell"), folder / "alice" / "lstm_cell.py")
    (folder / "bob" / "exercises").mkdir(parents=True)
    shutil.copy(EXERCISES_DIR / "lstm_cell.py", folder / "bob" / "exercises" / "lstm_cell.py")
    with zipfile.ZipFile(folder / "carol.zip", "w") as archive:
        archive.write(solution_path("lstm_cell"), "carol/exercises/lstm_cell.py")
    (folder / "dave").mkdir()
    (folder / "dave" / "lstm_cell.ipynb").write_text(
        notebook_with_answer("lstm_cell", solution_path("lstm_cell").read_text())
    )
    (folder / "eve.zip").write_bytes(b"not a zip")
    return folder


def grade_class(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["grade-class", *args, "--exercises", "lstm_cell", "--jobs", "2"])
    return result.exit_code, result.output


def test_every_layout_is_read_and_a_broken_upload_is_that_students_problem(class_folder):
    found = {
        submission.student: submission for submission in find_submissions(class_folder, [LSTM])
    }
    assert sorted(found) == ["alice", "bob", "carol", "dave", "eve"]
    assert found["dave"].sources["lstm_cell"] == solution_path("lstm_cell").read_text()
    assert found["carol"].sources["lstm_cell"] == solution_path("lstm_cell").read_text()
    assert "not a readable zip file" in found["eve"].problems[0]


@pytest.mark.slow
@needs_isolation
def test_a_class_is_graded_into_a_gradebook_csv_checks_feedback_and_a_report(
    class_folder, tmp_path
):
    out = tmp_path / "out"
    code, output = grade_class(str(class_folder), "--out", str(out))
    assert code == 0, output
    with open(out / "grades.csv", newline="") as file:
        grades = {row["student"]: row for row in csv.DictReader(file)}
    assert {student: int(row["total"]) for student, row in grades.items()} == {
        "alice": LSTM_POINTS, "bob": 0, "carol": LSTM_POINTS, "dave": LSTM_POINTS, "eve": 0,
    }  # fmt: skip
    assert all(
        int(row["max"]) == LSTM_POINTS and row["lstm_cell"] == row["total"]
        for row in grades.values()
    )
    with open(out / "checks.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 5 * len(declared_checks(grader_path("lstm_cell")))
    assert all("Not implemented yet" in row["message"] for row in rows if row["student"] == "bob")
    assert "not a readable zip file" in (out / "feedback" / "eve.txt").read_text()
    assert "No lstm_cell.py in this submission" in (out / "feedback" / "eve.txt").read_text()
    report = (out / "report.md").read_text()
    assert "5 submissions" in report and "| lstm_cell | test_" in report and "| 60% |" in report
    assert (out / "score_distribution.png").stat().st_size > 1000


@pytest.mark.slow
@needs_isolation
def test_a_second_run_grades_only_what_changed_and_force_grades_everything(class_folder, tmp_path):
    out = tmp_path / "out"
    assert grade_class(str(class_folder), "--out", str(out))[0] == 0
    saved = {path.name: path.stat().st_mtime_ns for path in (out / "results").glob("*.json")}
    shutil.copy(solution_path("lstm_cell"), class_folder / "bob" / "exercises" / "lstm_cell.py")
    code, output = grade_class(str(class_folder), "--out", str(out))
    assert code == 0 and "4 of 5 already graded" in output, output
    again = {path.name: path.stat().st_mtime_ns for path in (out / "results").glob("*.json")}
    assert [name for name in saved if saved[name] != again[name]] == ["bob.json"]
    assert json.loads((out / "results" / "bob.json").read_text())["earned"] == LSTM_POINTS
    assert grade_class(str(class_folder), "--out", str(out), "--force")[0] == 0
    assert all(
        path.stat().st_mtime_ns != again[path.name] for path in (out / "results").glob("*.json")
    )


def test_without_isolation_class_grading_refuses_in_one_line_naming_the_flag(
    class_folder, tmp_path
):
    course = Path(sys.executable).with_name("course")
    without_bwrap = {**os.environ, "PATH": str(course.parent)}  # bwrap is not on this PATH
    result = subprocess.run(
        [str(course), "grade-class", str(class_folder), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, env=without_bwrap, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "bubblewrap" in result.stderr and "--no-isolation" in result.stderr
    assert not (tmp_path / "out" / "results").exists()


def test_a_missing_submissions_folder_is_one_line(tmp_path):
    result = runner.invoke(app, ["grade-class", str(tmp_path / "nowhere")])
    assert "is not a folder of submissions" in str(result.exception)


def test_a_folder_and_a_zip_of_the_same_student_give_one_submission_saying_so(tmp_path):
    (tmp_path / "ann").mkdir()
    shutil.copy(solution_path("lstm_cell"), tmp_path / "ann" / "lstm_cell.py")
    with zipfile.ZipFile(tmp_path / "ann.zip", "w") as archive:
        archive.writestr("lstm_cell.py", "raise SystemExit")
    (submission,) = find_submissions(tmp_path, [LSTM])
    assert submission.sources["lstm_cell"] == solution_path("lstm_cell").read_text()
    assert "a second submission under the same name" in submission.problems[0]


@pytest.mark.slow
@needs_isolation
def test_an_interrupted_run_keeps_what_it_graded_and_the_next_run_goes_on_from_there(tmp_path):
    folder = tmp_path / "class"
    for number in range(6):
        (folder / f"s{number}").mkdir(parents=True)
        shutil.copy(solution_path("lstm_cell"), folder / f"s{number}" / "lstm_cell.py")
    out = tmp_path / "out"
    course = Path(sys.executable).with_name("course")
    command = [str(course), "grade-class", str(folder), "--exercises", "lstm_cell",
               "--jobs", "1", "--out", str(out)]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 300
    while not list((out / "results").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=300) == 130, process.stderr.read()
    kept = sorted((out / "results").glob("*.json"))
    assert 1 <= len(kept) < 6
    assert all(json.loads(path.read_text())["earned"] == LSTM_POINTS for path in kept)
    assert not list((out / "results").glob(".*.part"))
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"{len(kept)} of 6 already graded" in again.stdout
    assert len(list((out / "results").glob("*.json"))) == 6
