"""The end of a session: the score per topic, as a rich table or as JSON."""

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from course.quiz.asking.bank import Topic
from course.quiz.session import SessionResult


def _percent(right: int, asked: int) -> str:
    return f"{100 * right / asked:.0f}%" if asked else "-"


def per_topic(result: SessionResult, topics: dict[str, Topic]) -> list[dict[str, Any]]:
    """Asked and right per topic, in course order, for the topics that were asked."""
    rows = []
    for name, topic in topics.items():
        answers = [answer for answer in result.answers if answer.question.topic == name]
        if answers:
            right = sum(answer.verdict.correct for answer in answers)
            rows.append(
                {"topic": name, "title": topic.title, "asked": len(answers), "right": right}
            )
    return rows


def scorecard_json(result: SessionResult, topics: dict[str, Topic]) -> dict[str, Any]:
    """The session's results for --json."""
    right = sum(answer.verdict.correct for answer in result.answers)
    return {
        "session": result.session,
        "planned": result.planned,
        "asked": len(result.answers),
        "right": right,
        "ended_early": result.ended_early,
        "topics": per_topic(result, topics),
        "answers": [
            {
                "id": answer.question.id,
                "topic": answer.question.topic,
                "kind": answer.question.kind,
                "correct": answer.verdict.correct,
                "grade": answer.verdict.grade.name.lower(),
                "given": answer.verdict.given,
                "expected": answer.verdict.expected,
            }
            for answer in result.answers
        ],
    }


def show_scorecard(console: Console, result: SessionResult, topics: dict[str, Topic]) -> None:
    """The scorecard table and the questions to review."""
    console.print()
    if not result.answers:
        console.print("No questions answered.")
        return
    right = sum(answer.verdict.correct for answer in result.answers)
    table = Table(title="Scorecard", title_justify="left")
    for column in ("topic", "asked", "right", "score"):
        table.add_column(column, justify="left" if column == "topic" else "right")
    for row in per_topic(result, topics):
        table.add_row(
            escape(row["title"]), str(row["asked"]), str(row["right"]),
            _percent(row["right"], row["asked"]),
        )  # fmt: skip
    table.add_section()
    asked = len(result.answers)
    table.add_row("[bold]total[/]", str(asked), str(right), f"[bold]{_percent(right, asked)}[/]")
    console.print(table)
    missed = [answer for answer in result.answers if not answer.verdict.correct]
    if missed:
        console.print("[bold]To review:[/]")
        for answer in missed:
            console.print(f"  • {escape(answer.question.prompt)} [dim]({answer.question.id})[/]")
