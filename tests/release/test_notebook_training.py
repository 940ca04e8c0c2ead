"""A notebook whose exercise trains, run in a real kernel as a student runs it.

The student's folder holds the notebooks of the exercise and of what it builds on, each with
the reference in its answer cell. Its cells run in order: the cell that loads the answers it
builds on from the other notebooks, the answer cell, the training cell (on small generated
images, one epoch), then the test cells, which grade before submission.
"""

import re
import shutil

import nbformat
import pytest
from nbclient import NotebookClient
from typer.testing import CliRunner

from course.cli.main import app
from course.graders.engine.declared import declared_checks
from course.graders.kit.manifest import load_manifest
from course.graders.kit.paths import grader_path
from course.graders.kit.staging import needed_exercises
from course.graders.kit.workspace import run_folder
from course.graders.notebooks.cells import check_grade_ids
from tests.kit import reference_run
from tests.release.test_every_notebook_round_trip import checks_reading_the_run

pytestmark = pytest.mark.slow

TRAINED = [exercise for exercise in load_manifest() if exercise.trainer]


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def output_text(cell) -> str:
    texts = []
    for output in cell.outputs:
        texts.append(output.get("text", ""))
        texts.extend(str(value) for value in output.get("data", {}).values())
        texts.append(output.get("evalue", ""))
    return "\n".join(texts)


@pytest.mark.parametrize("exercise", TRAINED, ids=lambda exercise: exercise.name)
def test_the_training_cell_saves_the_run_beside_the_notebook_and_the_test_cells_grade_it(
    exercise, tmp_path
):
    data, _ = reference_run(exercise.name)
    result = CliRunner().invoke(app, ["release", "--out", str(tmp_path / "course")])
    assert result.exit_code == 0, result.output
    student = tmp_path / "student"
    student.mkdir()
    for name in needed_exercises(exercise):
        shutil.copy(tmp_path / "course" / "source" / "exercises" / f"{name}.ipynb", student)
    path = student / f"{exercise.name}.ipynb"
    notebook = nbformat.read(path, 4)
    (training,) = [cell for cell in notebook.cells if "train_in_notebook(" in cell.source]
    training.source = re.sub(r"data=None", f"data={str(data)!r}", training.source)
    training.source = re.sub(r"epochs=\d+", "epochs=1, batch_size=64", training.source)

    NotebookClient(
        notebook, timeout=600, allow_errors=True, resources={"metadata": {"path": str(student)}}
    ).execute()

    loader = next(cell for cell in notebook.cells if grade_id(cell) == f"{exercise.name}-builds-on")
    for name in exercise.builds_on:
        assert f"{name}: your answer cell of {name}.ipynb, as last saved" in output_text(loader)
    assert "error" not in [output.output_type for output in training.outputs], training.outputs
    assert "Saved" in output_text(training)
    run = run_folder(student, exercise.name)
    assert {"history.json", "model.pt2"} <= {path.name for path in run.iterdir()}
    checks = declared_checks(grader_path(exercise.name))
    passed = {
        check.name
        for cell in notebook.cells
        for check_id, check in zip(check_grade_ids(exercise.name, checks), checks)
        if grade_id(cell) == check_id and "✓" in output_text(cell)
    }
    needing_no_run = {check.name for check in checks} - checks_reading_the_run(exercise.name)
    assert needing_no_run <= passed
    assert passed & checks_reading_the_run(exercise.name), "no check of the saved run passed"
