"""`course release` writes an nbgrader course directory from the kit's files, safely."""

import ast
import dataclasses
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from course.cli.main import app
from course.graders.engine.declared import declared_checks
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import find_exercise, load_manifest
from course.graders.kit.paths import grader_path, solution_path
from course.graders.notebooks.cells import check_grade_ids
from course.graders.notebooks.release import RECORD_NAME, release_course

runner = CliRunner()


def release(course_dir, *options: str):
    result = runner.invoke(app, ["release", "--out", str(course_dir), *options])
    assert result.exit_code == 0, result.output
    return result


def code_after_docstring(source: str) -> str:
    docstring = ast.parse(source).body[0]
    return "".join(source.splitlines(keepends=True)[docstring.end_lineno :]).lstrip()


def nbgrader_cells(notebook) -> list[dict]:
    return [cell.metadata["nbgrader"] for cell in notebook.cells if "nbgrader" in cell.metadata]


def test_release_writes_the_config_and_a_notebook_per_exercise_worth_its_checks(tmp_path):
    result = release(tmp_path, "--assignment", "week1")
    config = (tmp_path / "nbgrader_config.py").read_text()
    assert "c.ExecutePreprocessor.timeout = " in config
    assert "c.Autograde.autograde_preprocessors = autograde_preprocessors()" in config
    for exercise in load_manifest():
        notebook_path = tmp_path / "source" / "week1" / f"{exercise.name}.ipynb"
        if not (solution_path(exercise.name).is_file() and grader_path(exercise.name).is_file()):
            assert f"no notebook for {exercise.name}" in result.output
            assert not notebook_path.exists()
            continue
        notebook = nbformat.read(notebook_path, as_version=4)
        checks = declared_checks(grader_path(exercise.name))
        cells = nbgrader_cells(notebook)
        tests = [cell for cell in cells if cell["grade"]]
        assert [cell["grade_id"] for cell in tests] == check_grade_ids(exercise.name, checks)
        assert [cell["points"] for cell in tests] == [check.points for check in checks]
        assert all(cell["locked"] for cell in tests)
        (answer,) = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution")]
        solution_code = code_after_docstring(solution_path(exercise.name).read_text())
        assert solution_code in answer.source, "the answer cell is not the solution's code"
        assert "### BEGIN SOLUTION" in answer.source
        assert exercise.title in notebook.cells[0].source


def test_releasing_again_changes_nothing_and_keeps_edited_files_unless_forced(tmp_path):
    release(tmp_path)
    generated = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    again = release(tmp_path)
    assert {path: path.read_bytes() for path in generated} == generated
    assert "unchanged" in again.output and "written" not in again.output

    notebook_path = tmp_path / "source" / "exercises" / "lstm_cell.ipynb"
    config_path = tmp_path / "nbgrader_config.py"
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("An instructor's note."))
    nbformat.write(notebook, notebook_path)
    config_path.write_text(config_path.read_text() + 'c.CourseDirectory.course_id = "dl101"\n')
    extra = tmp_path / "source" / "exercises" / "data.csv"
    extra.write_text("x,y\n")
    edited = {path: path.read_bytes() for path in (notebook_path, config_path, extra)}

    kept = release(tmp_path)
    assert {path: path.read_bytes() for path in edited} == edited
    assert kept.output.count("edited since the last release") == 2

    release(tmp_path, "--force")
    assert notebook_path.read_bytes() == generated[notebook_path]
    assert config_path.read_bytes() == generated[config_path]
    assert extra.read_text() == "x,y\n"


def test_a_config_the_instructor_wrote_before_the_first_release_is_kept(tmp_path):
    config_path = tmp_path / "nbgrader_config.py"
    config_path.write_text('c = get_config()\nc.CourseDirectory.course_id = "dl101"\n')
    result = release(tmp_path)
    assert config_path.read_text().endswith('"dl101"\n')
    assert "edited since the last release" in result.output
    assert (tmp_path / RECORD_NAME).is_file()


def test_an_exercise_without_solution_or_grader_is_left_out_with_a_warning(tmp_path):
    lstm_cell = find_exercise("lstm_cell")
    not_written = dataclasses.replace(lstm_cell, name="not_written_yet")
    result = release_course(tmp_path, exercises=[lstm_cell, not_written])
    assert result.skipped == {
        "not_written_yet": "its solution file solutions/not_written_yet.py does not exist yet"
    }
    notebooks = sorted(p.name for p in (tmp_path / "source" / "exercises").iterdir())
    assert notebooks == ["lstm_cell.ipynb"]


@pytest.mark.parametrize("assignment", ["../elsewhere", "two words", ""])
def test_an_assignment_name_nbgrader_cannot_use_is_refused(tmp_path, assignment):
    with pytest.raises(UserError, match="cannot name an nbgrader assignment"):
        release_course(tmp_path, assignment)
    assert not (tmp_path / "nbgrader_config.py").exists()


def test_the_data_folder_autograde_evaluates_on_is_set_once_in_the_config(tmp_path):
    data = tmp_path / "cifar10"
    data.mkdir()
    release(tmp_path / "course", "--data", str(data))
    config = (tmp_path / "course" / "nbgrader_config.py").read_text()
    assert f"c.EngineVerdicts.data_folder = {str(data)!r}\n" in config
    with pytest.raises(UserError, match="--data /no/such: no such folder"):
        release_course(tmp_path / "b", data_folder=Path("/no/such"))
    assert not (tmp_path / "b" / "nbgrader_config.py").exists()


def test_the_config_lets_nbgrader_run_unactivated_and_quiets_the_machinery(tmp_path):
    release(tmp_path)
    config = (tmp_path / "nbgrader_config.py").read_text()
    assert 'os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable)' in config
    assert 'warnings.filterwarnings("ignore", category=SAWarning)' in config
    assert '"--IPKernelApp.log_level=ERROR"' in config
