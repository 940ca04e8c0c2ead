"""Choices come in a fresh order at every presentation, reproducible with --seed.

A learner reviewing the same question again must recall the answer, not its position;
replies (typed, piped or from --answers) answer against the order shown.
"""

import random
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from course.cli.main import app
from course.quiz.asking.bank import load_bank
from course.quiz.asking.kinds import MultipleChoice, SingleChoice
from course.quiz.asking.selection import presented
from course.quiz.memory.history import History
from tests.quiz.scripted import planned_questions, seed_asking_first

runner = CliRunner()
PRESENTATIONS = 60


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_choices_are_shuffled_at_each_presentation_and_repeat_for_a_seed(bank):
    question = next(q for q in bank.questions if q.id == "cnn.first-layers")
    orders = {presented(question, random.Random(seed)).choices for seed in range(20)}
    assert len(orders) > 5
    assert presented(question, random.Random(3)) == presented(question, random.Random(3))


def test_a_shuffled_question_keeps_its_id_choices_and_answers(bank):
    rng = random.Random(0)
    for question in bank.questions:
        shown = presented(question, rng)
        assert shown.id == question.id
        if isinstance(question, SingleChoice):
            assert sorted(shown.choices) == sorted(question.choices)
            assert shown.answer == question.answer
        if isinstance(question, MultipleChoice):
            assert sorted(shown.choices) == sorted(question.choices)
            assert shown.answers == question.answers


def test_the_right_answer_lands_about_evenly_on_every_position(bank):
    rng = random.Random(1)
    positions: Counter[int] = Counter()
    four_choice = [q for q in bank.questions
                   if isinstance(q, SingleChoice) and len(q.choices) == 4 and not q.ordered]  # fmt: skip
    for question in four_choice:
        for _ in range(PRESENTATIONS):
            shown = presented(question, rng)
            positions[shown.choices.index(shown.answer)] += 1
    shares = [positions[place] / positions.total() for place in range(4)]
    assert all(0.22 < share < 0.28 for share in shares), shares


def _shown_choices(transcript: str) -> list[str]:
    return re.findall(r"^  \d\. (.+)$", transcript, flags=re.MULTILINE)


def test_an_answers_file_answers_against_the_shown_order_and_the_history_keeps_the_id(tmp_path):
    topic = "practice"
    seed = next(
        seed for seed in range(1000)
        if (q := planned_questions(seed, 1, [topic])[0]).kind == "single"
        and q.choices != next(b for b in load_bank().questions if b.id == q.id).choices
    )  # fmt: skip
    question = planned_questions(seed, 1, [topic])[0]
    answers = tmp_path / "answers.txt"
    answers.write_text(f"{question.choices.index(question.answer) + 1}\n", encoding="utf-8")
    history = tmp_path / "history.sqlite3"
    result = runner.invoke(app, ["quiz", "--seed", str(seed), "--count", "1", "--topic", topic,
                                 "--answers", str(answers), "--history", str(history)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _shown_choices(result.output) == list(question.choices)
    assert "✓ Right." in result.output
    assert [review.entry_id for review in History(history).reviews()] == [question.id]


def test_the_same_seed_shows_the_same_order_in_the_cli(tmp_path):
    seed = seed_asking_first("multiple", "regularization")
    args = ["quiz", "--seed", str(seed), "--count", "1", "--topic", "regularization",
            "--history", str(tmp_path / "h.db")]  # fmt: skip
    first = _shown_choices(runner.invoke(app, args, input="").output)
    again = _shown_choices(runner.invoke(app, args, input="").output)
    assert first and first == again


def test_the_right_answer_is_rarely_the_longest_choice_and_never_by_far(bank):
    singles = [q for q in bank.questions if isinstance(q, SingleChoice)]
    longest = []
    for question in singles:
        others = max(len(choice) for choice in question.choices if choice != question.answer)
        assert len(question.answer) <= 1.4 * others, (question.id, "the answer stands out")
        if len(question.answer) > others:
            longest.append(question.id)
    assert len(longest) <= 0.3 * len(singles), (len(longest), len(singles), longest)


def test_choices_with_a_natural_order_are_shown_as_written_and_are_few(bank):
    ordered = [q for q in bank.questions if getattr(q, "ordered", False)]
    assert 0 < len(ordered) <= 5
    layers = next(q for q in ordered if q.id == "cnn.object-parts-layer")
    assert presented(layers, random.Random(2)).choices == (
        "Layer 1",
        "Layer 2",
        "Layer 3",
        "Layer 4",
    )
