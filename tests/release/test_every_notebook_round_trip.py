"""Real nbgrader on every notebook of the manifest, in one course and one nbgrader run.

`course release --data DIR`, then generate_assignment, autograde, generate_feedback and
export, each run by nbgrader's full path with a PATH that lacks the kit's environment (as
from an environment that is not activated). Three students: `reference` hands in every
notebook with the reference in its answer cell and, for an exercise that trains, the
reference run (tests/trained_runs/) beside it; `untouched` hands in the released notebooks
as they are; `untrained` hands in the reference notebooks of each exercise that trains (and
of what it builds on) without a run.
"""

import ast
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from typer.testing import CliRunner

from course.cli.main import app
from course.graders.engine.declared import declared_checks
from course.graders.kit.manifest import load_manifest
from course.graders.kit.paths import grader_path
from course.graders.kit.staging import needed_exercises
from course.graders.kit.workspace import run_folder
from course.graders.notebooks.cells import answer_grade_id, check_grade_ids
from tests.kit import reference_run

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # the module's one round trip
# (the reference training included) runs in its first test: 3-4 minutes on 2 idle cores

ASSIGNMENT = "week"
EXERCISES = load_manifest()
TRAINED = [exercise for exercise in EXERCISES if exercise.trainer]
NBGRADER = Path(sys.executable).with_name("nbgrader")
BARE_PATH = "/usr/bin:/bin"
"""PATH without the kit's environment: nbgrader must find `alembic` by itself."""


def maximum(exercise_name: str) -> int:
    return sum(check.points for check in declared_checks(grader_path(exercise_name)))


def nbgrader(course_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """An nbgrader command run by its full path, as from an environment not activated."""
    completed = subprocess.run(
        [str(NBGRADER), *args],
        cwd=course_dir,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PATH": BARE_PATH, "JUPYTER_RUNTIME_DIR": tempfile.mkdtemp()},
    )
    log = completed.stdout[-4000:] + completed.stderr[-4000:]
    assert completed.returncode == 0, log
    assert "Exception while loading config file" not in completed.stderr, log
    return completed


def answer_cell(notebook, exercise_name: str):
    grade_id = answer_grade_id(exercise_name)
    (cell,) = [
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    ]
    return cell


def hand_in(course_dir: Path, student: str, names: list[str], answers: str, runs: bool) -> None:
    """Released notebooks of `names` in submitted/<student>/, their answer cells taken from
    the `answers` folder (source: the reference; release: untouched), with the reference runs
    beside them if `runs`."""
    folder = course_dir / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for name in names:
        notebook = nbformat.read(course_dir / "release" / ASSIGNMENT / f"{name}.ipynb", 4)
        answered = nbformat.read(course_dir / answers / ASSIGNMENT / f"{name}.ipynb", 4)
        answer_cell(notebook, name).source = answer_cell(answered, name).source
        nbformat.write(notebook, folder / f"{name}.ipynb")
        if runs and name in {exercise.name for exercise in TRAINED}:
            shutil.copytree(reference_run(name)[1], run_folder(folder, name))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The course directory after the whole round trip, and the autograde command's output."""
    datasets = {reference_run(exercise.name)[0] for exercise in TRAINED}
    assert len(datasets) <= 1, "one data folder per course: the exercises that train share it"
    course_dir = tmp_path_factory.mktemp("every") / "dl101"
    options = ["--data", str(datasets.pop())] if datasets else []
    result = CliRunner().invoke(
        app, ["release", "--out", str(course_dir), "--assignment", ASSIGNMENT, *options]
    )
    assert result.exit_code == 0, result.output
    nbgrader(course_dir, "generate_assignment", ASSIGNMENT)
    names = [exercise.name for exercise in EXERCISES]
    hand_in(course_dir, "reference", names, "source", runs=True)
    hand_in(course_dir, "untouched", names, "release", runs=False)
    untrained = {name for exercise in TRAINED for name in needed_exercises(exercise)}
    hand_in(course_dir, "untrained", sorted(untrained), "source", runs=False)
    autograde = nbgrader(course_dir, "autograde", ASSIGNMENT)
    nbgrader(course_dir, "generate_feedback", ASSIGNMENT)
    nbgrader(course_dir, "export")
    return course_dir, autograde


def notebook_scores(course_dir: Path, student: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        return {
            exercise.name: gradebook.find_submission_notebook(
                exercise.name, ASSIGNMENT, student
            ).score
            for exercise in EXERCISES
        }


def checks_reading_the_run(exercise_name: str) -> set[str]:
    """The checks of the grader file that take the saved run (fixture run_folder_of_exercise)."""
    tree = ast.parse(grader_path(exercise_name).read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and "run_folder_of_exercise" in {argument.arg for argument in node.args.args}
    }


def test_the_reference_earns_every_notebooks_maximum_and_untouched_notebooks_zero(course):
    course_dir, _ = course
    assert notebook_scores(course_dir, "reference") == {
        exercise.name: maximum(exercise.name) for exercise in EXERCISES
    }
    assert notebook_scores(course_dir, "untouched") == {exercise.name: 0 for exercise in EXERCISES}
    with open(course_dir / "grades.csv", newline="") as file:
        totals = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(file)}
    assert totals["reference"] == sum(maximum(exercise.name) for exercise in EXERCISES)
    assert totals["untouched"] == 0


def test_a_trained_exercise_without_its_run_loses_exactly_the_checks_of_the_run(course):
    course_dir, _ = course
    for exercise in TRAINED:
        notebook = nbformat.read(
            course_dir / "autograded" / "untrained" / ASSIGNMENT / f"{exercise.name}.ipynb", 4
        )
        checks = declared_checks(grader_path(exercise.name))
        ids = dict(zip(check_grade_ids(exercise.name, checks), checks))
        failed = {}
        for cell in notebook.cells:
            check = ids.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
            if check and cell.outputs[0].output_type == "error":
                failed[check.name] = cell.outputs[0].evalue
        assert set(failed) == checks_reading_the_run(exercise.name)
        for message in failed.values():
            assert f"No trained model in runs/{exercise.name}" in message
            assert f"the training cell of {exercise.name}.ipynb" in message
        lost = sum(check.points for check in checks if check.name in failed)
        score = notebook_scores(course_dir, "untrained")[exercise.name]
        assert score == maximum(exercise.name) - lost > 0


def test_feedback_names_the_function_and_the_answer_cell_not_a_file(course):
    course_dir, _ = course
    for exercise in EXERCISES:
        feedback = course_dir / "feedback" / "untouched" / ASSIGNMENT / f"{exercise.name}.html"
        html = feedback.read_text(encoding="utf-8")
        assert f"answer cell of {exercise.name}.ipynb, line " in html
        assert f"({exercise.name}.py" not in html
    notebook = nbformat.read(
        course_dir / "autograded" / "untouched" / ASSIGNMENT / "lstm_cell.ipynb", 4
    )
    messages = [
        cell.outputs[0].get("evalue", "")
        for cell in notebook.cells
        if cell.cell_type == "code" and cell.outputs
    ]
    assert any(
        message.startswith("Not implemented yet: LSTMCell.forward (answer cell of lstm_cell.ipynb")
        for message in messages
    ), messages


def test_the_autograde_log_shows_the_kits_score_lines_and_no_warnings_of_the_machinery(course):
    _, autograde = course
    log = autograde.stdout + autograde.stderr
    assert "SAWarning" not in log
    assert "without encryption" not in log
    for exercise in EXERCISES:
        line = f"{exercise.name}: {maximum(exercise.name)}/{maximum(exercise.name)} points"
        assert f"{line} from the kit's engine" in log
