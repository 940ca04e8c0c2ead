"""The review log persists across sessions, survives a killed process, and never blocks the quiz."""

import json
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pexpect.popen_spawn import PopenSpawn
from typer.testing import CliRunner

from course.cli.main import app
from course.quiz.memory.history import HISTORY_ENV, History, Review, default_history_path
from tests.quiz.scripted import planned_questions, right_replies, wrong_replies

COURSE = Path(sys.executable).with_name("course")
runner = CliRunner()


def typed(questions, replies) -> str:
    return "".join(line + "\n" for question in questions for line in replies(question))


@pytest.fixture
def history(tmp_path) -> Path:
    return tmp_path / "history.sqlite3"


def test_the_default_history_is_in_the_user_data_folder_and_the_env_var_overrides_it(
    tmp_path, monkeypatch
):
    assert default_history_path() == (
        Path(os.environ["XDG_DATA_HOME"]) / "course-kit" / "quiz-history.sqlite3"
    )
    monkeypatch.setenv(HISTORY_ENV, str(tmp_path / "mine.db"))
    assert default_history_path() == tmp_path / "mine.db"
    assert default_history_path(tmp_path / "option.db") == tmp_path / "option.db"


def test_reviews_of_two_sessions_add_up_in_the_stats(history):
    for seed, replies in ((1, right_replies), (2, wrong_replies)):
        questions = planned_questions(seed, 3)
        result = runner.invoke(app, ["quiz", "--seed", str(seed), "--count", "3",
                                     "--history", str(history)], input=typed(questions, replies))  # fmt: skip
        assert result.exit_code == 0, result.output
    stats = runner.invoke(app, ["quiz", "--stats", "--json", "--history", str(history)])
    data = json.loads(stats.stdout)
    assert (data["answers"], data["right"], data["study_days"], data["streak"]) == (6, 3, 1, 1)
    assert len({review.session for review in History(history).reviews()}) == 2
    table = runner.invoke(app, ["quiz", "--stats", "--history", str(history)]).output
    assert "6 answers, 50% right" in table
    assert "predicted recall" in table and "retention" not in table
    recall_column = [line.split("│")[5].strip() for line in table.splitlines()
                     if line.count("│") == 7 and "/" in line]  # fmt: skip
    assert recall_column and set(recall_column) == {"-"}, "no 100% right after wrong answers"


def test_the_history_env_var_is_used_when_no_option_is_given(history, monkeypatch):
    monkeypatch.setenv(HISTORY_ENV, str(history))
    questions = planned_questions(seed=6, count=1)
    runner.invoke(
        app, ["quiz", "--seed", "6", "--count", "1"], input=typed(questions, right_replies)
    )
    assert [review.entry_id for review in History(history).reviews()] == [questions[0].id]


def test_due_and_review_ask_what_fsrs_scheduled_from_earlier_sessions(history):
    log = History(history)
    long_ago = datetime.now(UTC) - timedelta(days=30)
    for entry_id, grade in (
        ("rnn.shared-weights", 1),
        ("cnn.relu", 3),
        ("formula.lstm-parameters", 1),
    ):
        log.record(Review(entry_id, "x", "single", grade, grade > 1, long_ago, "old"))
    log.record(Review("attention.output", "attention", "single", 4, True,
                      datetime.now(UTC), "today"))  # fmt: skip
    log.close()
    due = json.loads(
        runner.invoke(app, ["quiz", "--due", "--json", "--history", str(history)]).stdout
    )
    due_counts = {row["topic"]: row["due"] for row in due}
    assert due_counts == {**dict.fromkeys(due_counts, 0), "rnn": 1, "cnn": 1, "lstm-gru": 1}
    assert (
        "Due for review" in runner.invoke(app, ["quiz", "--due", "--history", str(history)]).output
    )
    result = runner.invoke(app, ["quiz", "--review", "--json", "--history", str(history)], input="")
    asked_first = result.output.split("Question 1/3 · ")[1].split()[0]
    assert asked_first in {"cnn", "rnn", "lstm-gru"}
    extra = runner.invoke(app, ["quiz", "--extra", "2", "--history", str(history)], input="")
    assert "Question 1/5" in extra.output


def test_a_quiz_killed_mid_session_keeps_every_answer_given(history):
    questions = planned_questions(seed=11, count=5)
    child = PopenSpawn([str(COURSE), "quiz", "--plain", "--seed", "11", "--count", "5",
                        "--history", str(history)], timeout=20, encoding="utf-8")  # fmt: skip
    child.send(typed(questions[:2], right_replies))
    child.expect("Question 3/5")
    child.kill(signal.SIGKILL)
    child.wait()
    reviews = History(history).reviews()
    assert [review.entry_id for review in reviews] == [question.id for question in questions[:2]]
    assert all(review.correct for review in reviews)


def test_a_corrupt_history_file_warns_and_the_quiz_still_runs(history):
    history.write_bytes(b"this is not a database" * 100)
    questions = planned_questions(seed=3, count=2)
    result = runner.invoke(app, ["quiz", "--seed", "3", "--count", "2", "--history", str(history)],
                           input=typed(questions, right_replies))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"warning: the quiz history {history} cannot be used" in result.stderr
    assert "file is not a database" in result.stderr
    assert "warning" not in result.stdout, "warnings belong on stderr, with or without --json"
    assert "│     2 │     2 │  100% │" in result.stdout


def test_the_unusable_history_warning_of_stats_goes_to_stderr_too(history):
    history.write_bytes(b"this is not a database" * 100)
    result = runner.invoke(app, ["quiz", "--stats", "--history", str(history)])
    assert result.exit_code == 0, result.output
    assert "cannot be used" in result.stderr and "warning" not in result.stdout
    assert "No answers yet" in result.stdout


def test_an_unwritable_history_location_warns_and_the_quiz_still_runs(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the history folder should be")
    questions = planned_questions(seed=3, count=1)
    result = runner.invoke(app, ["quiz", "--seed", "3", "--count", "1",
                                 "--history", str(blocker / "history.sqlite3")],
                           input=typed(questions, right_replies))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "will not be saved" in result.output
    assert "100%" in result.output


def test_a_write_failing_mid_session_keeps_the_review_in_memory_with_a_warning(history):
    log = History(history)
    log._connection.execute("DROP TABLE reviews")  # the file changes under the quiz
    review = Review("cnn.relu", "cnn", "text", 3, True, datetime.now(UTC), "s")
    log.record(review)
    assert "could not write the quiz history" in log.warning
    assert log.reviews() == [review]
    assert not log.saved
