"""Scripted learners: the questions a seeded session will ask, and replies to type for them."""

import random

from course.quiz.asking.bank import load_bank
from course.quiz.asking.kinds import (
    MultipleChoice,
    Numeric,
    Open,
    Question,
    ShortText,
    SingleChoice,
)
from course.quiz.asking.selection import mixed, presented


def planned_questions(seed: int, count: int, topics: list[str] | None = None) -> list[Question]:
    """What `course quiz --seed S --count N [--topic T]` asks, in order, as it shows them."""
    rng = random.Random(seed)
    entries = mixed(load_bank().entries_in(topics or []), count, rng)
    return [presented(entry, rng) for entry in entries]


def seed_asking_first(kind: str, topic: str) -> int:
    """A seed whose one-question session on `topic` asks a question of `kind`."""
    return next(seed for seed in range(1000) if planned_questions(seed, 1, [topic])[0].kind == kind)


def right_replies(question: Question) -> list[str]:
    """The lines a learner who knows the answer types (two for an open question)."""
    if isinstance(question, SingleChoice):
        return [str(question.choices.index(question.answer) + 1)]
    if isinstance(question, MultipleChoice):
        picked = [str(i + 1) for i, text in enumerate(question.choices) if text in question.answers]
        return [",".join(picked)]
    if isinstance(question, Numeric):
        return [repr(question.answer)]
    if isinstance(question, ShortText):
        return [question.accepted[-1].upper()]
    if isinstance(question, Open):
        return ["my own words", "3"]
    raise TypeError(question)


def wrong_replies(question: Question) -> list[str]:
    """The lines a learner who gets it wrong types."""
    if isinstance(question, SingleChoice):
        return [str(next(i for i, c in enumerate(question.choices) if c != question.answer) + 1)]
    if isinstance(question, MultipleChoice):
        return [
            str(next(i for i, c in enumerate(question.choices) if c not in question.answers) + 1)
        ]
    if isinstance(question, Numeric):
        return [repr(question.answer + question.tolerance + 1)]
    if isinstance(question, ShortText):
        return ["no idea"]
    if isinstance(question, Open):
        return ["", "1"]
    raise TypeError(question)
