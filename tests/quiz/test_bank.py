"""The question bank: valid, complete, traced to the course notes, and strictly checked."""

import random
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from course.graders.kit.errors import UserError
from course.quiz.asking.bank import BANK_DIR, load_bank
from course.quiz.asking.generators import GENERATORS
from course.quiz.asking.kinds import QUESTION_KINDS

NOTES = Path(__file__).resolve().parents[3] / "shared" / "course-notes" / "week4-review.md"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_bank_loads_with_at_least_80_questions_in_every_kind_and_topic(bank):
    assert len(bank.questions) + len(bank.templates) >= 80
    assert set(Counter(question.kind for question in bank.questions)) == set(QUESTION_KINDS)
    for topic in bank.topics:
        assert sum(entry.topic == topic for entry in bank.entries) >= 10, topic


def test_every_generator_has_a_template_and_every_template_draws_a_positive_answer(bank):
    assert {template.generator for template in bank.templates} == set(GENERATORS)
    for template in bank.templates:
        question = template.instantiate(random.Random(0))
        assert question.id == template.id
        assert question.answer > 0
        assert template.formula in question.explanation


def _notes_interview() -> list[tuple[str, str]]:
    text = NOTES.read_text(encoding="utf-8")
    pairs = re.findall(r"\*\*Q(\d+): (.+?)\*\*\nA: (.+?)\n", text)
    assert [int(number) for number, _, _ in pairs] == list(range(1, 16))
    return [(question, answer) for _, question, answer in pairs]


@pytest.mark.skipif(not NOTES.is_file(), reason=f"course notes not found at {NOTES}")
def test_all_15_interview_questions_and_model_answers_are_quoted_word_for_word(bank):
    by_id = {question.id: question for question in bank.questions}
    for number, (prompt, model_answer) in enumerate(_notes_interview(), start=1):
        question = by_id[f"interview.q{number:02d}"]
        # The notes' Q4 lost its subscripts to markdown (C*t for C_t); the bank restores them.
        model_answer = model_answer.replace("C*t", "C_t").replace("C*{t-1}", "C_{t-1}")
        assert question.kind == "open"
        assert question.prompt == prompt
        assert question.model_answer == model_answer


@pytest.mark.skipif(not NOTES.is_file(), reason=f"course notes not found at {NOTES}")
def test_every_section_named_by_the_bank_is_a_heading_of_the_notes(bank):
    headings = NOTES.read_text(encoding="utf-8")
    for entry in bank.entries:
        for part in entry.section.split(" › "):
            name = re.sub(r"^\d+\. ", "", part).split(" (")[0]
            assert name.split()[0] in headings, (entry.id, part)


def test_the_bank_covers_the_sections_the_issue_lists(bank):
    sections = {entry.section for entry in bank.entries}
    for needed in (
        "Architecture Comparison",
        "LSTM vs GRU",
        "Architecture Selection Guide",
        "Common Mistakes",
        "Batch Normalization",
        "Dropout",
        "Data Augmentation",
        "Learning Rate Schedules",
        "Gradient Clipping",
        "Early Stopping",
        "Key Formulas",
    ):
        assert any(needed in section for section in sections), needed


@pytest.fixture
def bank_copy(tmp_path) -> Path:
    copy = tmp_path / "bank"
    shutil.copytree(BANK_DIR, copy)
    return copy


def _break(bank_dir: Path, file: str, old: str, new: str) -> None:
    path = bank_dir / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("01_cnn.toml", 'answer = "Edges and lines"', 'answer = "Edges"', "not one of its choices"),
        ("01_cnn.toml", 'id = "cnn.relu"\nkind = "text"', 'id = "cnn.relu"\nkind = "essay"',
         "unknown kind 'essay'"),
        ("01_cnn.toml", 'id = "cnn.relu"\nkind = "text"\ntopic = "cnn"',
         'id = "cnn.relu"\nkind = "text"\ntopic = "vision"', "unknown topic 'vision'"),
        ("01_cnn.toml", 'id = "cnn.relu"\nkind = "text"', 'id = "cnn.relu"\nkind = "text"\nhint = "x"',
         "unknown field(s) hint"),
        ("10_formulas.toml", 'generator = "head_dimension"', 'generator = "head_size"',
         "unknown generator 'head_size'"),
        ("01_cnn.toml", 'answer = 1600\n', 'answer = "1600"\n', "'answer' must be a number"),
        ("01_cnn.toml", "ordered = true", 'ordered = "yes"', "'ordered' must be true or false"),
    ],
)  # fmt: skip
def test_a_malformed_bank_is_rejected_naming_the_file_and_question(
    bank_copy, file, old, new, problem
):
    _break(bank_copy, file, old, new)
    with pytest.raises(UserError) as raised:
        load_bank(bank_copy)
    message = str(raised.value)
    assert str(bank_copy / file) in message
    assert problem in message
    assert re.search(r"(question|template) '[a-z0-9.-]+'", message), message


def test_a_duplicate_id_names_both_files(bank_copy):
    _break(bank_copy, "12_selection_guide.toml", 'id = "guide.time-series"', 'id = "cnn.relu"')
    with pytest.raises(
        UserError,
        match=r"12_selection_guide.toml: question 'cnn.relu': id already used in .*01_cnn.toml",
    ):
        load_bank(bank_copy)


def test_a_file_that_is_not_toml_is_rejected_naming_it(bank_copy):
    (bank_copy / "13_broken.toml").write_text("[[question]\nid = ", encoding="utf-8")
    with pytest.raises(UserError, match=r"13_broken.toml: cannot read the bank file"):
        load_bank(bank_copy)


def test_a_malformed_trap_is_rejected_naming_the_question(bank_copy):
    _break(bank_copy, "01_cnn.toml", 'value = 25, says = "25%', 'value = 25, say = "25%')
    with pytest.raises(UserError, match=r"question 'cnn.pooling-reduction': traps #1: 'says'"):
        load_bank(bank_copy)


def test_what_the_notes_ask_for_is_auto_graded_not_only_open(bank):
    kinds = {entry.id: getattr(entry, "kind", "formula") for entry in bank.entries}
    for entry_id in (
        "lstm.cell-update", "lstm.hidden-state", "opt.value-clipping-direction",
        "challenge.block-order", "challenge.data-splits", "attention.add-norm",
        "attention.why-sqrt-dk", "attention.bert-vs-gpt", "opt.training-loop-order",
        "opt.zero-grad", "opt.scheduler-step", "opt.gradscaler-purpose", "rnn.batch-first",
        "rnn.default-input-shape", "formula.depthwise-separable-parameters",
        "formula.rnn-parameters", "formula.gradient-through-time",
    ):  # fmt: skip
        assert kinds.get(entry_id) not in (None, "open"), entry_id
