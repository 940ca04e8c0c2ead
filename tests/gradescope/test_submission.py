"""Inside the container: the student's upload is found in each layout and staged as a workspace,
and results.json says per check what `course grade` says, in Gradescope's format."""

import dataclasses
import json
import os

import nbformat
import pytest

from course.graders.engine.declared import declared_checks
from course.graders.engine.grade import CheckResult, ExerciseResult
from course.graders.gradescope import container
from course.graders.gradescope.container import (
    AFTER_PUBLISHED,
    VISIBLE,
    not_graded,
    results_json,
    write_results,
)
from course.graders.gradescope.submission import Upload, find_uploads, stage_workspace
from course.graders.kit.manifest import find_exercise, load_manifest
from course.graders.kit.paths import grader_path, solution_path
from course.graders.kit.stubs import pristine_stub
from course.graders.notebooks.cells import answer_grade_id, answer_header
from tests.gradescope.gradescope_format import expect_gradescope_results

LSTM = find_exercise("lstm_cell")
TRAINS = next(exercise for exercise in load_manifest() if exercise.trainer)
SOLUTION = solution_path("lstm_cell").read_bytes()


def notebook(path, *cells):
    """A notebook of code cells: (source, grade_id or None)."""
    document = nbformat.v4.new_notebook()
    for source, grade_id in cells:
        cell = nbformat.v4.new_code_cell(source)
        if grade_id:
            cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": True, "grade": False}
        document.cells.append(cell)
    nbformat.write(document, path)
    return path


@pytest.mark.parametrize("layout", ["lstm_cell.py", "exercises/lstm_cell.py"])
def test_a_file_at_the_top_or_in_the_exercises_folder_is_graded(tmp_path, layout):
    (tmp_path / layout).parent.mkdir(exist_ok=True)
    (tmp_path / layout).write_bytes(SOLUTION)
    uploads, missing = find_uploads(tmp_path, [LSTM])
    assert missing == {}
    assert uploads["lstm_cell"] == Upload(SOLUTION, layout)


def test_the_exercises_folder_wins_over_a_file_at_the_top(tmp_path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "lstm_cell.py").write_bytes(SOLUTION)
    (tmp_path / "lstm_cell.py").write_text("an older copy")
    uploads, _ = find_uploads(tmp_path, [LSTM])
    assert uploads["lstm_cell"].source == SOLUTION


def test_a_notebook_gives_its_answer_cells_by_grade_id_or_by_their_header(tmp_path):
    header = answer_header("lstm_cell")
    notebook(
        tmp_path / "lstm_cell.ipynb",
        ("import torch  # a cell of the student's own", None),
        ("class LSTMCell: ...", answer_grade_id("lstm_cell")),
        (f"{header}\ndef lstm_forward(): ...", None),
        ("print('scratch work')", None),
    )
    uploads, missing = find_uploads(tmp_path, [LSTM])
    assert missing == {}
    assert uploads["lstm_cell"].origin == "lstm_cell.ipynb"
    assert uploads["lstm_cell"].source.decode() == (
        f"class LSTMCell: ...\n\n{header}\ndef lstm_forward(): ..."
    )


@pytest.mark.parametrize(
    "content, says",
    [
        (None, "has no answer cell of lstm_cell"),
        ("{not json", "is not a notebook that can be read"),
    ],
)
def test_a_notebook_without_a_usable_answer_cell_says_what_is_wrong(tmp_path, content, says):
    path = tmp_path / "lstm_cell.ipynb"
    if content is None:
        notebook(path, ("print('no answer here')", None))
    else:
        path.write_text(content)
    uploads, missing = find_uploads(tmp_path, [LSTM])
    assert uploads == {}
    assert says in missing["lstm_cell"] and "lstm_cell.ipynb" in missing["lstm_cell"]


def test_a_missing_exercise_is_not_graded_and_its_message_names_the_file_expected(tmp_path):
    (tmp_path / "lstm.py").write_bytes(SOLUTION)
    uploads, missing = find_uploads(tmp_path, [LSTM])
    assert uploads == {}
    assert missing["lstm_cell"].startswith("Your submission has no lstm_cell.py")
    assert "lstm_cell.ipynb" in missing["lstm_cell"]
    result = not_graded(LSTM, missing["lstm_cell"])
    assert result.earned == 0 and result.total == sum(
        check.points for check in declared_checks(grader_path("lstm_cell"))
    )
    assert {check.message for check in result.checks} == {missing["lstm_cell"]}


def test_a_file_inside_an_extra_folder_is_not_graded_and_the_message_says_where_it_is(tmp_path):
    nested = tmp_path / "week4" / "exercises"
    nested.mkdir(parents=True)
    (nested / "lstm_cell.py").write_bytes(SOLUTION)
    uploads, missing = find_uploads(tmp_path, [LSTM])
    assert uploads == {}
    assert "It has week4/exercises/lstm_cell.py" in missing["lstm_cell"]
    assert "not a folder that holds it" in missing["lstm_cell"]


def test_the_workspace_holds_every_exercise_and_the_run_of_the_one_that_trains(tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / f"{TRAINS.name}.py").write_text("# the learner's code")
    (upload / "model.pt2").write_bytes(b"program")
    (upload / "history.json").write_text("[]")
    (upload / "lstm_cell.py").write_bytes(SOLUTION)
    uploads, _ = find_uploads(upload, [TRAINS, LSTM])
    assert [path.name for path in uploads[TRAINS.name].run_files] == ["history.json", "model.pt2"]
    assert uploads["lstm_cell"].run_files == (), "an exercise that does not train has no run"

    workspace = stage_workspace(tmp_path / "workspace", uploads, load_manifest())
    for exercise in load_manifest():
        staged = (workspace / "exercises" / f"{exercise.name}.py").read_text()
        if exercise.name == "lstm_cell":
            assert staged == SOLUTION.decode()
        elif exercise.name == TRAINS.name:
            assert staged == "# the learner's code"
        else:
            assert staged == pristine_stub(exercise.name), exercise.name
    run = workspace / "runs" / TRAINS.name
    assert sorted(path.name for path in run.iterdir()) == ["history.json", "model.pt2"]
    assert (run / "model.pt2").read_bytes() == b"program"


def test_a_saved_runs_folder_wins_over_the_files_beside_the_code(tmp_path):
    (tmp_path / f"{TRAINS.name}.py").write_text("# code")
    (tmp_path / "notes.txt").write_text("not a run file")
    saved = tmp_path / "runs" / TRAINS.name
    saved.mkdir(parents=True)
    (saved / "model.pt2").write_bytes(b"program")
    uploads, _ = find_uploads(tmp_path, [TRAINS])
    assert uploads[TRAINS.name].run_files == (saved / "model.pt2",)


# -- results.json ------------------------------------------------------------------------
def graded(passed_names: set[str]) -> ExerciseResult:
    checks = [
        CheckResult(
            check.name,
            check.description,
            check.points,
            check.name in passed_names,
            "measured" if check.name in passed_names else f"why {check.name} failed",
            0.1,
        )
        for check in declared_checks(grader_path("lstm_cell"))
    ]
    return ExerciseResult("lstm_cell", checks)


def test_results_json_has_a_test_per_check_with_its_points_and_message():
    checks = declared_checks(grader_path("lstm_cell"))
    passed = {checks[0].name, checks[2].name}
    uploads = {"lstm_cell": Upload(SOLUTION, "exercises/lstm_cell.py")}
    payload = results_json([LSTM], [graded(passed)], uploads, seconds=12.4)
    expect_gradescope_results(payload)
    assert [test["name"] for test in payload["tests"]] == [check.description for check in checks]
    assert [test["max_score"] for test in payload["tests"]] == [check.points for check in checks]
    assert payload["score"] == checks[0].points + checks[2].points
    failed = payload["tests"][1]
    assert (failed["score"], failed["status"]) == (0, "failed")
    assert failed["output"] == f"why {checks[1].name} failed"
    assert payload["tests"][0]["output"] == "measured"
    assert {test["visibility"] for test in payload["tests"]} == {VISIBLE}
    assert payload["stdout_visibility"] == "hidden", "the grading log is for instructors"
    assert payload["execution_time"] == 12
    assert "`course grade lstm_cell`" in payload["output"]
    assert "from exercises/lstm_cell.py" in payload["output"]


def test_hidden_checks_show_after_publishing_and_stay_out_of_the_overview(monkeypatch):
    checks = declared_checks(grader_path("lstm_cell"))
    secret = checks[-1]
    monkeypatch.setattr(
        container,
        "declared_checks",
        lambda path: [dataclasses.replace(c, hidden=c.name == secret.name) for c in checks],
    )
    everything = {check.name for check in checks}
    payload = results_json([LSTM], [graded(everything)], {}, seconds=12.4)
    expect_gradescope_results(payload)
    visibility = {test["name"]: test["visibility"] for test in payload["tests"]}
    assert visibility.pop(secret.description) == AFTER_PUBLISHED
    assert set(visibility.values()) == {VISIBLE}
    shown = sum(check.points for check in checks) - secret.points
    assert f"lstm_cell: {shown}/{shown} points in the checks shown now" in payload["output"]
    assert (
        f"({secret.points} more points in checks shown when grades are published)"
        in (payload["output"])
    )


@pytest.mark.parametrize("forged", ["file", "link", "folder"])
def test_results_replace_whatever_a_submission_left_in_their_place(tmp_path, forged):
    results = tmp_path / "results" / "results.json"
    results.parent.mkdir()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"score": 1000}')
    if forged == "file":
        results.write_text('{"score": 1000}')
    elif forged == "link":
        os.symlink(elsewhere, results)
    else:
        (results / "inside").mkdir(parents=True)
    write_results(results, {"score": 3, "tests": []})
    assert not results.is_symlink()
    assert json.loads(results.read_text()) == {"score": 3, "tests": []}
    assert json.loads(elsewhere.read_text()) == {"score": 1000}, "the link's target was written"
    assert [path.name for path in results.parent.iterdir()] == ["results.json"]
