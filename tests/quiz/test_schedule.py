"""FSRS scheduling replayed from the log, review selection, and progress statistics."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from course.quiz.asking.bank import load_bank
from course.quiz.asking.selection import due, for_review, mixed
from course.quiz.memory.history import Review
from course.quiz.memory.schedule import memories
from course.quiz.memory.stats import due_by_topic, progress, streaks

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def review(entry_id: str, grade: int, at: datetime, topic: str = "cnn") -> Review:
    return Review(entry_id, topic, "single", grade, grade > 1, at, "s1")


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_a_right_answer_is_due_later_than_a_wrong_one():
    state = memories([review("a", 3, START), review("b", 1, START)], START)
    assert state["a"].due > state["b"].due > START
    assert state["b"].due - START == timedelta(days=1)


def test_intervals_grow_with_each_successful_review():
    log, at, intervals = [], START, []
    for _ in range(3):
        log.append(review("a", 3, at))
        next_due = memories(log, at)["a"].due
        intervals.append(next_due - at)
        at = next_due
    assert intervals[0] < intervals[1] < intervals[2]


def test_a_lapse_after_successes_brings_the_question_back_within_days():
    log = [review("a", 3, START), review("a", 3, START + timedelta(days=2))]
    long_due = memories(log, START)["a"].due
    log.append(review("a", 1, START + timedelta(days=13)))
    lapsed = memories(log, START)["a"]
    assert lapsed.due - (START + timedelta(days=13)) <= timedelta(days=2) < long_due - START
    assert lapsed.reviews == 3


def test_easy_open_answers_wait_longer_than_hard_ones():
    state = memories([review("easy", 4, START), review("hard", 2, START)], START)
    assert state["easy"].due > state["hard"].due


def test_retrievability_decays_from_the_review():
    log = [review("a", 3, START)]
    assert (
        memories(log, START + timedelta(days=1))["a"].retrievability
        > memories(log, START + timedelta(days=30))["a"].retrievability
    )


def test_replaying_the_same_log_gives_the_same_schedule_in_any_order():
    log = [review("a", 3, START), review("a", 1, START + timedelta(days=3))]
    assert memories(log, START) == memories(list(reversed(log)), START)


def test_review_selection_asks_the_most_overdue_first_then_extras_new_before_seen(bank):
    entries = list(bank.entries_in(["rnn"]))
    first, second, third = entries[0].id, entries[1].id, entries[2].id
    log = [review(first, 1, START), review(second, 1, START - timedelta(days=2)),
           review(third, 4, START)]  # fmt: skip
    now = START + timedelta(days=2)
    state = memories(log, now)
    assert [entry.id for entry in due(entries, state, now)] == [second, first]
    chosen = for_review(entries, state, now, extra=len(entries), rng=random.Random(1))
    ids = [entry.id for entry in chosen]
    assert ids[:2] == [second, first]
    assert ids[-1] == third, "seen and not due comes after every never-seen entry"
    assert len(ids) == len(entries)


def test_a_mixed_set_is_reproducible_with_a_seed_and_spans_topics(bank):
    first = mixed(bank.entries, 10, random.Random(42))
    assert first == mixed(bank.entries, 10, random.Random(42))
    assert first != mixed(bank.entries, 10, random.Random(43))
    assert len({entry.topic for entry in first}) >= 3
    assert len(mixed(bank.entries_in(["rnn"]), 500, random.Random(0))) == len(
        bank.entries_in(["rnn"])
    )


def test_streaks_count_consecutive_days_and_survive_until_today_ends():
    days = {date(2026, 3, d) for d in (1, 2, 3, 5, 6)}
    assert streaks(days, today=date(2026, 3, 6)) == (2, 3)
    assert streaks(days, today=date(2026, 3, 7)) == (2, 3)
    assert streaks(days, today=date(2026, 3, 8)) == (0, 3)
    assert streaks(set(), today=date(2026, 3, 8)) == (0, 0)


def test_progress_counts_answers_accuracy_and_predicted_recall_per_topic(bank):
    cnn_ids = [entry.id for entry in bank.entries_in(["cnn"])]
    log = [review(cnn_ids[0], 3, START), review(cnn_ids[0], 1, START + timedelta(days=1)),
           review(cnn_ids[1], 3, START + timedelta(days=1)),
           review("removed.question", 3, START, topic="rnn")]  # fmt: skip
    stats = progress(bank, log, START + timedelta(days=6), zone=UTC)
    cnn = next(row for row in stats["topics"] if row["topic"] == "cnn")
    rnn = next(row for row in stats["topics"] if row["topic"] == "rnn")
    assert (cnn["answers"], cnn["right"], cnn["seen"]) == (3, 2, 2)
    assert cnn["accuracy"] == pytest.approx(2 / 3)
    assert 0.5 < cnn["predicted_recall"] < 1
    assert (rnn["answers"], rnn["seen"], rnn["predicted_recall"]) == (1, 0, None)
    assert (stats["answers"], stats["study_days"]) == (4, 2)
    assert (stats["streak"], stats["longest_streak"]) == (0, 2)
    assert stats["days"] == [{"date": "2026-03-02", "answers": 2, "right": 2},
                             {"date": "2026-03-03", "answers": 2, "right": 1}]  # fmt: skip


def test_due_by_topic_counts_due_and_never_seen(bank):
    cnn_ids = [entry.id for entry in bank.entries_in(["cnn"])]
    log = [review(cnn_ids[0], 1, START), review(cnn_ids[1], 4, START)]
    rows = {row["topic"]: row for row in due_by_topic(bank, log, START + timedelta(days=1))}
    assert rows["cnn"]["due"] == 1
    assert rows["cnn"]["new"] == len(cnn_ids) - 2
    assert rows["cnn"]["next_due"] is not None
    assert rows["rnn"] == {**rows["rnn"], "due": 0, "next_due": None}


def test_a_formula_template_is_scheduled_as_one_card_whatever_its_numbers(bank):
    template = next(t for t in bank.templates if t.generator == "conv_parameters")
    first, second = template.instantiate(random.Random(1)), template.instantiate(random.Random(2))
    assert first.prompt != second.prompt
    log = [review(first.id, 3, START), review(second.id, 3, START + timedelta(days=2))]
    assert memories(log, START)[template.id].reviews == 2


def test_predicted_recall_waits_a_day_after_an_answer_instead_of_showing_100_percent(bank):
    cnn_id = bank.entries_in(["cnn"])[0].id
    log = [review(cnn_id, 1, START)]
    just_after = next(r for r in progress(bank, log, START)["topics"] if r["topic"] == "cnn")
    assert (just_after["accuracy"], just_after["predicted_recall"]) == (0, None)
    next_day = progress(bank, log, START + timedelta(days=1))["topics"]
    assert 0 < next(r for r in next_day if r["topic"] == "cnn")["predicted_recall"] < 1
