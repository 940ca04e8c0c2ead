"""Spaced repetition with FSRS: each entry's memory state, replayed from the review log.

Nothing but the log is stored: a card's state is the result of replaying its reviews, in
order, through an FSRS scheduler. Intervals are whole days (no same-day learning steps):
the session itself is where a missed question is practised again, and fuzzing is off so
that replaying the same log always gives the same schedule.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, Scheduler

from course.quiz.memory.history import Review

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class Memory:
    """Where one entry stands after all its reviews."""

    entry_id: str
    reviews: int
    due: datetime
    """When FSRS next wants it asked."""
    retrievability: float
    """FSRS's estimate, 0-1, that it is still recalled at the time asked about."""
    last_review: datetime
    """When it was last answered: right after, FSRS predicts full recall whatever the answer."""

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


def replay(reviews: Iterable[Review]) -> dict[str, Card]:
    """Each reviewed entry's FSRS card after replaying its reviews, oldest first."""
    cards: dict[str, Card] = {}
    for review in sorted(reviews, key=lambda review: review.reviewed_at):
        card = cards.get(review.entry_id) or Card(card_id=len(cards) + 1)
        cards[review.entry_id], _ = SCHEDULER.review_card(
            card, Rating(review.grade), review_datetime=review.reviewed_at
        )
    return cards


def memories(reviews: Iterable[Review], now: datetime) -> dict[str, Memory]:
    """Each reviewed entry's memory at `now` (timezone-aware)."""
    reviews = list(reviews)
    counts: dict[str, int] = defaultdict(int)
    last: dict[str, datetime] = {}
    for review in reviews:
        counts[review.entry_id] += 1
        last[review.entry_id] = max(
            review.reviewed_at, last.get(review.entry_id, review.reviewed_at)
        )
    return {
        entry_id: Memory(
            entry_id, counts[entry_id], card.due, SCHEDULER.get_card_retrievability(card, now),
            last[entry_id],
        )
        for entry_id, card in replay(reviews).items()
    }  # fmt: skip
