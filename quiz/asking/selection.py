"""Which entries a session asks (a mixed sample, or what FSRS says is due, plus extras),
and how each is presented: a formula with fresh numbers, choices in a fresh order.
"""

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from course.quiz.asking.bank import BankEntry, FormulaTemplate
from course.quiz.asking.kinds import MultipleChoice, Question, SingleChoice
from course.quiz.memory.schedule import Memory

DEFAULT_COUNT = 10


def mixed(entries: Sequence[BankEntry], count: int, rng: random.Random) -> list[BankEntry]:
    """`count` entries drawn at random across the given ones, in random order."""
    return rng.sample(list(entries), min(count, len(entries)))


def due(
    entries: Sequence[BankEntry], memories: Mapping[str, Memory], now: datetime
) -> list[BankEntry]:
    """The entries reviewed before and due again by `now`, most overdue first."""
    due_entries = [e for e in entries if e.id in memories and memories[e.id].is_due(now)]
    return sorted(due_entries, key=lambda entry: memories[entry.id].due)


def for_review(
    entries: Sequence[BankEntry],
    memories: Mapping[str, Memory],
    now: datetime,
    extra: int,
    rng: random.Random,
) -> list[BankEntry]:
    """Everything due, then `extra` more: never-seen entries first, then those due soonest."""
    chosen = due(entries, memories, now)
    unseen = [entry for entry in entries if entry.id not in memories]
    rng.shuffle(unseen)
    not_yet_due = sorted(
        (entry for entry in entries if entry.id in memories and entry not in chosen),
        key=lambda entry: memories[entry.id].due,
    )
    return chosen + (unseen + not_yet_due)[:extra]


def presented(entry: BankEntry, rng: random.Random) -> Question:
    """The question as asked this time: numbers drawn for a formula, choices shuffled.

    Shuffling on every presentation keeps a learner from remembering a position instead of
    an answer; the id stays, so the history follows the question whatever its order. Choices
    with a natural order (`ordered`, e.g. Layer 1 to Layer 4) are shown as written.
    """
    if isinstance(entry, FormulaTemplate):
        return entry.instantiate(rng)
    if isinstance(entry, (SingleChoice, MultipleChoice)) and not entry.ordered:
        return replace(entry, choices=tuple(rng.sample(entry.choices, len(entry.choices))))
    return entry
