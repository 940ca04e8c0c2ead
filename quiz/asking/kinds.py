"""The five kinds of question and how each one scores an answer.

Every kind turns the learner's response into a `Verdict`: right or wrong, the grade that
the scheduler records, and the answer given and expected, written out for the feedback.
Auto-graded kinds grade AGAIN (wrong) or GOOD (right); open questions are graded by the
learner with all four grades.
"""

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar


class Grade(IntEnum):
    """How well a question was recalled; the values are FSRS's ratings."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


GRADE_MEANINGS = {
    Grade.AGAIN: "missed the key points",
    Grade.HARD: "got them, with effort or gaps",
    Grade.GOOD: "got the key points",
    Grade.EASY: "got them all, easily",
}
"""What each self-grade means, shown when the learner grades an open question."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of one answer."""

    correct: bool
    """Whether the answer counts as right on the scorecard."""
    grade: Grade
    """The rating logged for spaced repetition."""
    given: str
    """The learner's answer, written out."""
    expected: str
    """The correct answer, written out."""
    note: str = ""
    """What went wrong, where the kind can tell: choices missed or extra, a known mistake."""


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every question has, whatever its kind."""

    kind: ClassVar[str]
    """The `kind` value that selects this class in the bank files."""
    id: str
    """Stable id: history and scheduling follow it, so edit the wording, never the id."""
    topic: str
    """One of the topics declared in bank/topics.toml."""
    section: str
    """The section of the course notes the question comes from."""
    prompt: str
    """The question as the learner reads it."""
    explanation: str
    """Shown after answering, right or wrong."""


def _auto_verdict(correct: bool, given: str, expected: str, note: str = "") -> Verdict:
    return Verdict(correct, Grade.GOOD if correct else Grade.AGAIN, given, expected, note)


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    """Pick the one right choice; the response is the 0-based index of the choice picked."""

    kind: ClassVar[str] = "single"
    choices: tuple[str, ...]
    answer: str
    """The text of the right choice, one of `choices`."""
    ordered: bool = False
    """The choices have a natural order (Layer 1 to Layer 4): shown as written, not shuffled."""

    def score(self, picked: int) -> Verdict:
        """Right when the picked choice is the answer."""
        given = self.choices[picked]
        return _auto_verdict(given == self.answer, given, self.answer)


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(Question):
    """Select all that apply; the response is the set of 0-based indices picked."""

    kind: ClassVar[str] = "multiple"
    choices: tuple[str, ...]
    answers: frozenset[str]
    """The texts of every right choice; right means exactly these, no more, no fewer."""
    ordered: bool = False
    """The choices have a natural order: shown as written, not shuffled."""

    def score(self, picked: frozenset[int]) -> Verdict:
        """Right when exactly the right choices were picked."""
        picked_texts = frozenset(self.choices[index] for index in picked)
        missed, extra = self.answers - picked_texts, picked_texts - self.answers
        note = " ".join(
            f"{label}: {self._written(texts)}."
            for label, texts in (("Missed", missed), ("Not part of the answer", extra))
            if texts
        )
        return _auto_verdict(
            picked_texts == self.answers,
            self._written(picked_texts) or "(nothing)",
            self._written(self.answers),
            note,
        )

    def _written(self, texts: frozenset[str]) -> str:
        return "; ".join(choice for choice in self.choices if choice in texts)


def format_number(value: float) -> str:
    """A number as the feedback shows it: integers with thousands separators."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """Type a number; right within an absolute tolerance."""

    kind: ClassVar[str] = "numeric"
    answer: float
    tolerance: float = 0.0
    """Largest accepted distance from `answer`; 0 means exact."""
    unit: str = ""
    """Shown after the number, e.g. "million" or "%"."""
    traps: tuple[tuple[float, str], ...] = ()
    """(value, what it means): wrong answers a known mistake gives, e.g. weights without biases."""

    def score(self, value: float) -> Verdict:
        """Right when `value` is within the tolerance of the answer.

        Where the unit is %, a fraction counts too: 0.75 for 75%.
        """
        readings = [value, 100 * value] if self.unit == "%" and abs(value) <= 1 else [value]
        correct = any(self._matches(reading, self.answer) for reading in readings)
        note = "" if correct else next(
            (says for trap, says in self.traps if self._matches(value, trap)), ""
        )  # fmt: skip
        return _auto_verdict(correct, self._written(value), self._expected(), note)

    def _matches(self, value: float, target: float) -> bool:
        # A hair of slack so that typing 0.3 for an answer stored as 0.1 + 0.2 still counts.
        slack = 1e-9 * max(1.0, abs(target))
        return abs(value - target) <= self.tolerance + slack

    def _written(self, value: float) -> str:
        return f"{format_number(value)} {self.unit}".strip()

    def _expected(self) -> str:
        expected = self._written(self.answer)
        if self.tolerance:
            expected += f" (± {format_number(self.tolerance)})"
        return expected


def normalize_text(text: str) -> str:
    """Case, spaces, hyphens, surrounding punctuation and a call's `()` removed.

    "Skip-Connections." -> "skipconnections"; "torch.no_grad():" -> "torch.no_grad".
    """
    text = text.casefold().strip().strip(".,;:!?'\"`").removesuffix("()")
    return re.sub(r"[\s\-]+", "", text)


_PARENTHETICAL = re.compile(r"(?P<outside>.+?)\s*\((?P<inside>[^()]+)\)")


def _readings(typed: str) -> set[str]:
    """What a typed answer may mean: as typed, without a leading `with`, without `lhs =`."""
    text = typed.strip().strip("`").strip()
    readings = {text}
    if re.match(r"(?i)with\s", text):
        readings.add(text[4:])  # `with torch.no_grad():` names the context manager
    for reading in list(readings):
        if "=" in reading:
            readings.add(reading.rsplit("=", 1)[1])  # `y = F(x) + x` gives the right side
    return {normalize_text(reading) for reading in readings}


@dataclass(frozen=True, kw_only=True)
class ShortText(Question):
    """Type a word or short phrase; right when it matches an accepted answer, case and spaces aside."""

    kind: ClassVar[str] = "text"
    accepted: tuple[str, ...]
    """Accepted answers; the first is the one shown as correct."""

    def score(self, typed: str) -> Verdict:
        """Right when the typed text equals an accepted answer once both are normalized.

        "Name (abbreviation)" is right when both parts are: "Rectified Linear Unit (ReLU)".
        """
        return _auto_verdict(self._accepts(typed), typed.strip(), self.accepted[0])

    def _accepts(self, typed: str) -> bool:
        accepted = {normalize_text(answer) for answer in self.accepted}
        if _readings(typed) & accepted:
            return True
        both = _PARENTHETICAL.fullmatch(typed.strip().rstrip(".:"))
        return bool(
            both and _readings(both["outside"]) & accepted and _readings(both["inside"]) & accepted
        )


@dataclass(frozen=True, kw_only=True)
class Open(Question):
    """Answer in your own words, then compare with the model answer and grade yourself."""

    kind: ClassVar[str] = "open"
    model_answer: str
    key_points: tuple[str, ...]
    """What a good answer must contain; the learner grades against these."""

    def score(self, grade: Grade, typed: str = "") -> Verdict:
        """The learner's own grade; anything but AGAIN counts as recalled.

        `typed` is the learner's own answer, kept as the answer given.
        """
        given = typed.strip() or "(no answer typed)"
        return Verdict(grade != Grade.AGAIN, grade, given, self.model_answer)


QUESTION_KINDS: dict[str, type[Question]] = {
    kind.kind: kind for kind in (SingleChoice, MultipleChoice, Numeric, ShortText, Open)
}
"""Each kind's class, by the name the bank files use."""
