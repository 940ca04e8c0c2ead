"""Finding the learner's workspace and keeping their progress in it."""

import pytest

from course.graders.kit.errors import UserError
from course.graders.kit.workspace import PROGRESS_FILE, WorkspaceRecord, find_workspace


def test_the_workspace_is_found_from_a_subfolder_upwards(tmp_path):
    (tmp_path / "exercises").mkdir()
    deep = tmp_path / "notes" / "week4"
    deep.mkdir(parents=True)
    assert find_workspace(start=deep) == tmp_path.resolve()


def test_an_explicit_workspace_without_exercises_is_refused_clearly(tmp_path):
    with pytest.raises(UserError, match="not a course workspace"):
        find_workspace(explicit=tmp_path)


def test_no_workspace_anywhere_says_how_to_make_one(tmp_path):
    with pytest.raises(UserError, match="course init"):
        find_workspace(start=tmp_path)


def test_progress_survives_a_new_session(tmp_path):
    WorkspaceRecord(tmp_path).record_result("lstm_cell", 18, 22, False)
    WorkspaceRecord(tmp_path).reveal_hint("lstm_cell", 2)
    again = WorkspaceRecord(tmp_path)
    assert again.result("lstm_cell")["earned"] == 18
    assert again.hints_revealed("lstm_cell") == 2


def test_a_corrupt_progress_file_is_replaced_not_fatal(tmp_path):
    path = tmp_path / PROGRESS_FILE
    path.parent.mkdir()
    path.write_text("{not json")
    progress = WorkspaceRecord(tmp_path)
    assert progress.result("lstm_cell") is None
    progress.record_result("lstm_cell", 22, 22, True)
    assert WorkspaceRecord(tmp_path).result("lstm_cell")["passed"] is True


def test_an_unwritable_workspace_gives_a_clear_error(tmp_path):
    (tmp_path / ".course").write_text("a file where the folder should be")
    with pytest.raises(UserError, match="cannot save progress"):
        WorkspaceRecord(tmp_path).record_result("lstm_cell", 0, 22, False)
