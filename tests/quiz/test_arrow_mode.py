"""The arrow-key mode, driven through prompt_toolkit's pipe input as keystrokes."""

import io
import random

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from course.quiz.asking.bank import load_bank
from course.quiz.asking.kinds import Grade
from course.quiz.asking.selection import mixed
from course.quiz.memory.history import History
from course.quiz.session import run_session
from course.quiz.terminal.prompts import (
    ArrowPrompter,
    LinePrompter,
    SessionEnded,
    grade_labels,
    make_prompter,
)
from tests.quiz.scripted import planned_questions

DOWN, UP, ENTER, SPACE, CTRL_C, BACKSPACE = "\x1b[B", "\x1b[A", "\r", " ", "\x03", "\x7f"
CHOICES = ("Sigmoid", "Softmax", "ReLU", "tanh")


@pytest.fixture
def keyboard():
    with create_pipe_input() as pipe:
        yield pipe


def prompter(pipe) -> ArrowPrompter:
    return ArrowPrompter(input=pipe, output=DummyOutput())


def test_arrow_keys_move_to_a_choice_and_enter_picks_it(keyboard):
    keyboard.send_text(DOWN + DOWN + DOWN + UP + ENTER)
    assert prompter(keyboard).choose(CHOICES) == 2


def test_a_number_key_jumps_to_its_choice(keyboard):
    keyboard.send_text("4" + ENTER)
    assert prompter(keyboard).choose(CHOICES) == 3


def test_space_ticks_several_choices_in_select_all(keyboard):
    keyboard.send_text(SPACE + DOWN + DOWN + SPACE + DOWN + ENTER)
    assert prompter(keyboard).choose_many(CHOICES) == frozenset({0, 2})


def test_enter_with_nothing_ticked_is_refused_until_a_choice_is_ticked(keyboard):
    keyboard.send_text(ENTER + DOWN + SPACE + ENTER)
    assert prompter(keyboard).choose_many(CHOICES) == frozenset({1})


def test_the_grade_menu_leaves_the_numbering_to_the_arrow_keys_shortcuts():
    assert grade_labels()[0] == "again: missed the key points"
    assert not any(label[0].isdigit() for label in grade_labels())


def test_an_unreadable_number_is_refused_until_corrected(keyboard):
    keyboard.send_text("lots" + ENTER + BACKSPACE * 4 + "1,600" + ENTER)
    assert prompter(keyboard).number("") == 1600


def test_text_and_self_grade_are_read(keyboard):
    keyboard.send_text("  Skip connections " + ENTER)
    assert prompter(keyboard).text("Your answer") == "Skip connections"
    keyboard.send_text(DOWN + DOWN + ENTER)
    assert prompter(keyboard).grade() == Grade.GOOD


def test_ctrl_c_ends_the_session(keyboard):
    keyboard.send_text(DOWN + CTRL_C)
    with pytest.raises(SessionEnded):
        prompter(keyboard).choose(CHOICES)


def test_the_end_of_input_ends_the_session(keyboard):
    keyboard.close()
    with pytest.raises(SessionEnded):
        prompter(keyboard).text("Your answer")


class KeysPerPrompt:
    """Types the next keystrokes just before each prompt opens, as a learner would."""

    def __init__(self, pipe, keys: list[str]) -> None:
        self.pipe, self.keys, self.inner = pipe, iter(keys), prompter(pipe)

    def __getattr__(self, method: str):
        def typed_then_asked(*args):
            self.pipe.send_text(next(self.keys))
            return getattr(self.inner, method)(*args)

        return typed_then_asked


def keys_for_right_answer(question) -> list[str]:
    if question.kind == "single":
        return [DOWN * question.choices.index(question.answer) + ENTER]
    if question.kind == "multiple":
        ticks = [SPACE if choice in question.answers else "" for choice in question.choices]
        return [DOWN.join(ticks) + ENTER]
    if question.kind == "numeric":
        return [repr(question.answer) + ENTER]
    if question.kind == "text":
        return [question.accepted[0] + ENTER]
    return ["my own words" + ENTER, DOWN * 3 + ENTER]


def test_a_whole_session_in_arrow_mode_scores_and_logs_every_answer(keyboard, tmp_path):
    questions = planned_questions(seed=21, count=8)
    keys = [key for question in questions for key in keys_for_right_answer(question)]
    history = History(tmp_path / "history.sqlite3")
    rng = random.Random(21)  # as `course quiz --seed 21 --count 8` draws them
    entries = mixed(load_bank().entries, 8, rng)
    transcript = io.StringIO()
    console = Console(file=transcript, width=120)
    result = run_session(entries, KeysPerPrompt(keyboard, keys), history, console, rng)
    assert [answer.question.id for answer in result.answers] == [q.id for q in questions]
    assert all(answer.verdict.correct for answer in result.answers)
    assert [review.entry_id for review in history.reviews()] == [q.id for q in questions]
    self_grades = [a.verdict.grade for a in result.answers if a.question.kind == "open"]
    assert self_grades and all(grade == Grade.EASY for grade in self_grades)
    assert transcript.getvalue().count("Question ") == 8


class FakeTerminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("stdin_tty", "stdout_tty", "plain", "expected"),
    [(True, True, False, ArrowPrompter), (False, True, False, LinePrompter),
     (True, False, False, LinePrompter), (True, True, True, LinePrompter)],
)  # fmt: skip
def test_arrow_keys_only_when_both_ends_are_terminals_and_plain_is_not_asked(
    stdin_tty, stdout_tty, plain, expected
):
    chosen = make_prompter(Console(), plain=plain, answers=None,
                           stdin=FakeTerminal(stdin_tty), stdout=FakeTerminal(stdout_tty))  # fmt: skip
    assert type(chosen) is expected
