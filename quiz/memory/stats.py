"""Progress computed from the review log: per topic, per day, the study streak, what is due.

Reviews count toward the topic their entry has in the bank today (the topic logged with
the review only for entries since removed from the bank). Days are local calendar days.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from course.quiz.asking.bank import Bank
from course.quiz.memory.history import Review
from course.quiz.memory.schedule import Memory, memories

RECALL_SETTLES = timedelta(days=1)
"""How long after an answer FSRS's predicted recall starts to mean something: right after
any answer, right or wrong, it predicts 100%."""


def _topic_of(bank: Bank) -> dict[str, str]:
    return {entry.id: entry.topic for entry in bank.entries}


def _local_day(moment: datetime, zone: tzinfo | None) -> date:
    return moment.astimezone(zone).date()


def per_topic(bank: Bank, reviews: Sequence[Review], now: datetime) -> list[dict[str, Any]]:
    """For each topic: entries, entries seen, answers, right, accuracy, predicted recall, due.

    Predicted recall is FSRS's mean probability, now, of recalling the topic's seen entries,
    over those last answered at least a day ago (None until there are some).
    """
    topic_of = _topic_of(bank)
    memory = memories(reviews, now)
    rows = []
    for name, topic in bank.topics.items():
        entry_ids = [entry.id for entry in bank.entries if entry.topic == name]
        answers = [r for r in reviews if topic_of.get(r.entry_id, r.topic) == name]
        right = sum(review.correct for review in answers)
        seen = [memory[entry_id] for entry_id in entry_ids if entry_id in memory]
        rows.append(
            {
                "topic": name,
                "title": topic.title,
                "entries": len(entry_ids),
                "seen": len(seen),
                "answers": len(answers),
                "right": right,
                "accuracy": right / len(answers) if answers else None,
                "predicted_recall": _predicted_recall(seen, now),
                "due": sum(m.is_due(now) for m in seen),
            }
        )
    return rows


def _predicted_recall(seen: list[Memory], now: datetime) -> float | None:
    settled = [m.retrievability for m in seen if now - m.last_review >= RECALL_SETTLES]
    return sum(settled) / len(settled) if settled else None


def per_day(reviews: Sequence[Review], zone: tzinfo | None = None) -> list[dict[str, Any]]:
    """Answers and right answers per study day, oldest first."""
    answers: dict[date, int] = defaultdict(int)
    right: dict[date, int] = defaultdict(int)
    for review in reviews:
        day = _local_day(review.reviewed_at, zone)
        answers[day] += 1
        right[day] += review.correct
    return [
        {"date": day.isoformat(), "answers": answers[day], "right": right[day]}
        for day in sorted(answers)
    ]


def streaks(days: set[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive study days.

    The current streak still counts when the last study day was yesterday: today is not over.
    """
    longest = run = 0
    previous: date | None = None
    for day in sorted(days):
        run = run + 1 if previous == day - timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def progress(
    bank: Bank, reviews: Sequence[Review], now: datetime, zone: tzinfo | None = None
) -> dict[str, Any]:
    """Everything `course quiz --stats` shows (and prints with --json)."""
    days = {_local_day(review.reviewed_at, zone) for review in reviews}
    current, longest = streaks(days, _local_day(now, zone))
    right = sum(review.correct for review in reviews)
    return {
        "answers": len(reviews),
        "right": right,
        "accuracy": right / len(reviews) if reviews else None,
        "study_days": len(days),
        "streak": current,
        "longest_streak": longest,
        "topics": per_topic(bank, reviews, now),
        "days": per_day(reviews, zone),
    }


def due_by_topic(bank: Bank, reviews: Sequence[Review], now: datetime) -> list[dict[str, Any]]:
    """For `--due`: per topic, entries due now, never seen, and the next due time."""
    memory = memories(reviews, now)
    rows = []
    for name, topic in bank.topics.items():
        ids = [entry.id for entry in bank.entries if entry.topic == name]
        seen = [memory[entry_id] for entry_id in ids if entry_id in memory]
        upcoming = [m.due for m in seen if not m.is_due(now)]
        rows.append(
            {
                "topic": name,
                "title": topic.title,
                "due": sum(m.is_due(now) for m in seen),
                "new": len(ids) - len(seen),
                "next_due": min(upcoming).isoformat() if upcoming else None,
            }
        )
    return rows
