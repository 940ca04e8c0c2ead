"""`course quiz` in the line-based mode, through typer's runner with scripted input."""

import json

import pytest
from typer.testing import CliRunner

from course.cli.main import app
from course.graders.kit.errors import UserError
from course.quiz.asking.bank import load_bank
from course.quiz.commands import ACTIONS
from course.quiz.memory.history import History
from tests.quiz.scripted import (
    planned_questions,
    right_replies,
    seed_asking_first,
    wrong_replies,
)

runner = CliRunner()


def quiz(*args: str, input: str = "", history=None) -> object:
    options = ["quiz", *args] + (["--history", str(history)] if history else [])
    return runner.invoke(app, options, input=input)


def script(questions, replies) -> str:
    return "".join(line + "\n" for question in questions for line in replies(question))


@pytest.fixture
def history(tmp_path):
    return tmp_path / "history.sqlite3"


def test_a_learner_who_knows_everything_scores_100_percent(history):
    questions = planned_questions(seed=3, count=10)
    result = quiz("--seed", "3", input=script(questions, right_replies), history=history)
    assert result.exit_code == 0, result.output
    assert result.output.count("✓ Right.") + result.output.count("Graded: good") == 10
    assert "Scorecard" in result.output
    assert "│ total" in result.output and "│    10 │    10 │  100% │" in result.output


def test_wrong_answers_show_the_correct_answer_and_the_explanation(history):
    questions = planned_questions(seed=5, count=4, topics=["attention"])
    result = quiz("--seed", "5", "--count", "4", "--topic", "attention",
                  input=script(questions, wrong_replies), history=history)  # fmt: skip
    assert result.exit_code == 0, result.output
    for question in questions:
        assert question.explanation.split("\n")[0][:40] in result.output.replace("\n", " ")
        assert f"Notes: {question.section}" in result.output
    assert "To review:" in result.output
    assert "0%" in result.output


def test_a_reply_by_letter_is_understood_and_nonsense_is_asked_again(history):
    seed = seed_asking_first("single", "practice")
    question = planned_questions(seed, count=1, topics=["practice"])[0]
    letter = "abcdefghi"[question.choices.index(question.answer)]
    result = quiz("--seed", str(seed), "--count", "1", "--topic", "practice",
                  input=f"banana\n{letter}\n", history=history)  # fmt: skip
    assert "Not understood:" in result.output
    assert "✓ Right." in result.output


def test_json_prints_the_results_alone_on_stdout(history):
    questions = planned_questions(seed=8, count=3, topics=["cnn"])
    replies = (
        right_replies(questions[0]) + wrong_replies(questions[1]) + right_replies(questions[2])
    )
    result = quiz("--seed", "8", "--count", "3", "--topic", "cnn", "--json",
                  input="\n".join(replies) + "\n", history=history)  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["asked"], data["right"], data["ended_early"]) == (3, 2, False)
    assert [answer["id"] for answer in data["answers"]] == [q.id for q in questions]
    assert data["topics"] == [
        {"topic": "cnn", "title": "Convolutional networks", "asked": 3, "right": 2}
    ]


def test_end_of_input_ends_the_session_cleanly_keeping_the_answers_given(history):
    questions = planned_questions(seed=2, count=5)
    typed = script(questions[:2], right_replies)
    result = quiz("--seed", "2", "--count", "5", input=typed, history=history)
    assert result.exit_code == 0, result.output
    assert "Session ended early; the 2 answers given are kept." in result.output
    assert [review.entry_id for review in History(history).reviews()] == [
        q.id for q in questions[:2]
    ]


def test_an_answers_file_runs_the_quiz_without_any_input(history, tmp_path):
    questions = planned_questions(seed=4, count=6)
    answers = tmp_path / "answers.txt"
    answers.write_text("# my answers\n" + script(questions, right_replies), encoding="utf-8")
    result = quiz(
        "--seed", "4", "--count", "6", "--answers", str(answers), "--json", history=history
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["right"] == 6


def test_an_unreadable_line_in_an_answers_file_is_an_error_naming_the_line(tmp_path, history):
    seed = seed_asking_first("single", "practice")
    answers = tmp_path / "answers.txt"
    answers.write_text("\nbanana\n", encoding="utf-8")
    result = quiz("--seed", str(seed), "--count", "1", "--topic", "practice",
                  "--answers", str(answers), history=history)  # fmt: skip
    assert f"{answers} line 2: cannot read 'banana'" in str(result.exception)


def test_list_topics_shows_every_topic_with_its_counts():
    result = quiz("--list-topics", "--json")
    topics = json.loads(result.stdout)
    assert [t["topic"] for t in topics][:2] == ["cnn", "cnn-architectures"]
    assert sum(t["questions"] + t["formulas"] for t in topics) >= 80
    assert "Convolutional networks" in quiz("--list-topics").output


def test_an_unknown_topic_is_a_user_error_listing_the_topics():
    result = quiz("--topic", "vision")
    assert "unknown topic 'vision'; the topics are: cnn" in str(result.exception)


def test_two_actions_at_once_are_refused():
    assert "--due and --stats cannot be combined" in str(quiz("--due", "--stats").exception)


@pytest.mark.parametrize(
    ("flag", "args"), [("--due", []), ("--list-topics", []), ("--export", ["anki", "out.txt"])]
)
def test_every_action_flag_reaches_the_actions_table_and_pairs_are_refused(flag, args):
    assert set(ACTIONS) == {"--due", "--stats", "--list-topics", "--export"}
    refused = quiz(flag, *args, "--stats").exception
    assert isinstance(refused, UserError)
    named = " and ".join(action for action in ACTIONS if action in (flag, "--stats"))
    assert str(refused) == f"{named} cannot be combined; use one at a time"


def test_review_with_nothing_due_says_so_and_asks_nothing(history):
    result = quiz("--review", history=history)
    assert result.exit_code == 0
    assert "Nothing is due for review" in result.output


def test_a_select_all_question_says_select_all_once(history):
    seed = seed_asking_first("multiple", "cnn")
    result = quiz("--seed", str(seed), "--count", "1", "--topic", "cnn", input="", history=history)
    assert result.output.count("Select all that apply.") == 1
    assert all(
        "Select all" not in question.prompt
        for question in load_bank().questions
        if question.kind == "multiple"
    )


def test_the_open_question_grade_menu_numbers_each_grade_once(history):
    seed = seed_asking_first("open", "attention")
    result = quiz("--seed", str(seed), "--count", "1", "--topic", "attention", "--json",
                  input="attention looks back\n3\n", history=history)  # fmt: skip
    assert "  1. again: missed the key points" in result.output
    assert "  4. easy: got them all, easily" in result.output
    assert "1 again" not in result.output
    assert json.loads(result.stdout)["answers"][0]["given"] == "attention looks back"


def test_a_session_ended_before_any_answer_says_so_without_counting_zero(history):
    result = quiz("--seed", "2", "--count", "3", input="", history=history)
    assert result.exit_code == 0, result.output
    assert "Session ended before any answer was given." in result.output
    assert "0 answer" not in result.output
