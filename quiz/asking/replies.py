"""Typed replies turned into the responses the question kinds score.

The line-based mode and the --answers file accept, for a choice: its number (`2`), its
letter (`b`) or its text; for select-all: several of those separated by commas (`1,3`,
`a, c`) or spaces (`1 3`); for a number: `1600`, `1,600`, `0.5`, `1/1024`, `50%` (0.5,
unless the question's unit is %), or the number followed by the question's unit; for a self-grade: 1-4 or again/hard/good/easy.
A reply that cannot be read raises `UnreadableReply` with a message saying what would be.
"""

import re
import string

from course.quiz.asking.kinds import Grade, normalize_text


class UnreadableReply(ValueError):
    """The reply matches nothing the question accepts; the message says what would."""


def _choice_index(token: str, choices: tuple[str, ...]) -> int | None:
    token = token.strip()
    if token.isdigit() and 1 <= int(token) <= len(choices):
        return int(token) - 1
    letters = string.ascii_lowercase[: len(choices)]
    if len(token) == 1 and token.lower() in letters:
        return letters.index(token.lower())
    texts = [normalize_text(choice) for choice in choices]
    if normalize_text(token) in texts:
        return texts.index(normalize_text(token))
    return None


def _range_hint(choices: tuple[str, ...]) -> str:
    last = len(choices)
    return f"1-{last}, a-{string.ascii_lowercase[last - 1]} or a choice's text"


def parse_choice(reply: str, choices: tuple[str, ...]) -> int:
    """The 0-based index of the one choice named by `reply`."""
    index = _choice_index(reply, choices)
    if index is None:
        raise UnreadableReply(f"answer with one of {_range_hint(choices)}")
    return index


def parse_choices(reply: str, choices: tuple[str, ...]) -> frozenset[int]:
    """The 0-based indices of every choice named by `reply` (select all that apply)."""
    whole = _choice_index(reply, choices)
    if whole is not None:
        return frozenset({whole})
    separator = "," if "," in reply or ";" in reply else None
    tokens = [token for token in re.split(r"[,;]" if separator else r"\s+", reply) if token.strip()]
    indices = [_choice_index(token, choices) for token in tokens]
    if not tokens or None in indices:
        raise UnreadableReply(f"answer with {_range_hint(choices)}, several separated by commas")
    return frozenset(index for index in indices if index is not None)


_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def parse_number(reply: str, unit: str = "") -> float:
    """The number typed, with the question's unit, thousands commas or a %.

    A % means hundredths (`50%` is 0.5) unless the question's unit is % itself.
    """
    text = reply.strip()
    if unit and text.casefold().endswith(unit.casefold()):
        text = text[: -len(unit)].strip()
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    text = text.replace("_", "").replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        if text.count("/") == 1:
            numerator, denominator = text.split("/")
            return scale * float(numerator) / float(denominator)
        return scale * float(text)
    except (ValueError, ZeroDivisionError):
        raise UnreadableReply("answer with a number, e.g. 1600, 1,600, 0.5 or 1/1024") from None


_GRADE_WORDS = {grade.name.lower(): grade for grade in Grade}


def parse_grade(reply: str) -> Grade:
    """A self-grade: 1-4, or again/hard/good/easy (or their first letter)."""
    text = reply.strip().casefold()
    if text.isdigit() and int(text) in {grade.value for grade in Grade}:
        return Grade(int(text))
    for word, grade in _GRADE_WORDS.items():
        if text and word.startswith(text):
            return grade
    raise UnreadableReply("grade yourself with 1 (again), 2 (hard), 3 (good) or 4 (easy)")
