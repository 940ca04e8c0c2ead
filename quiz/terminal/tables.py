"""Rich tables for `course quiz --list-topics`, `--due` and `--stats`."""

from datetime import datetime
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from course.quiz.asking.bank import Bank

RECENT_DAYS = 14
"""How many study days the --stats table lists."""


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _table(title: str, columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, justify="left" if column in ("topic", "title", "day") else "right")
    return table


def show_topics(console: Console, bank: Bank) -> None:
    """Each topic with how many questions and formula templates it has."""
    table = _table("Quiz topics", ["topic", "title", "questions", "formulas"])
    for name, topic in bank.topics.items():
        questions = sum(question.topic == name for question in bank.questions)
        formulas = sum(template.topic == name for template in bank.templates)
        table.add_row(name, escape(topic.title), str(questions), str(formulas))
    console.print(table)
    console.print("Pick some with --topic NAME (repeatable).")


def _when(moment: str | None, now: datetime) -> str:
    if moment is None:
        return "-"
    days = (datetime.fromisoformat(moment) - now).total_seconds() / 86400
    return "within a day" if days < 1 else f"in {days:.0f} days"


def show_due(console: Console, rows: list[dict[str, Any]], now: datetime) -> None:
    """Per topic: due now, never seen, next due."""
    table = _table("Due for review", ["topic", "due now", "never seen", "next due"])
    for row in rows:
        table.add_row(row["topic"], str(row["due"]), str(row["new"]), _when(row["next_due"], now))
    console.print(table)
    total = sum(row["due"] for row in rows)
    console.print(f"{total} due now: `course quiz --review` asks them; add `--extra N` for N more.")


def show_progress(console: Console, progress: dict[str, Any]) -> None:
    """Totals, the per-topic table and the recent study days."""
    if not progress["answers"]:
        console.print("No answers yet: run `course quiz` to start.")
        return
    console.print(
        f"{progress['answers']} answers, {_percent(progress['accuracy'])} right, on "
        f"{progress['study_days']} study day(s). Streak: {progress['streak']} day(s) "
        f"(longest {progress['longest_streak']})."
    )
    topics = _table(
        "Progress per topic",
        ["topic", "seen", "answers", "accuracy", "predicted recall", "due"],
    )
    for row in progress["topics"]:
        topics.add_row(
            row["topic"], f"{row['seen']}/{row['entries']}", str(row["answers"]),
            _percent(row["accuracy"]), _percent(row["predicted_recall"]), str(row["due"]),
        )  # fmt: skip
    console.print(topics)
    console.print(
        "[dim]predicted recall: FSRS's estimate that you would recall the topic's questions "
        "now; shown from a day after an answer (right after one it is always 100%).[/]"
    )
    days = _table("Recent study days", ["day", "answers", "accuracy"])
    for row in progress["days"][-RECENT_DAYS:]:
        days.add_row(row["date"], str(row["answers"]), _percent(row["right"] / row["answers"]))
    console.print(days)
