"""`course quiz`: the terminal quiz of the course notes, scored, remembered and reviewed."""

import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from course.graders.kit.errors import UserError
from course.quiz.anki import export_bank
from course.quiz.asking.bank import Bank, BankEntry, load_bank
from course.quiz.asking.selection import DEFAULT_COUNT, for_review, mixed
from course.quiz.memory.history import HISTORY_ENV, History, default_history_path
from course.quiz.memory.schedule import memories
from course.quiz.memory.stats import due_by_topic, progress
from course.quiz.session import run_session
from course.quiz.terminal.prompts import make_prompter
from course.quiz.terminal.scorecard import scorecard_json, show_scorecard
from course.quiz.terminal.tables import show_due, show_progress, show_topics


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _open_history(path: Path | None, console: Console) -> History:
    history = History(default_history_path(path))
    if history.warning:
        console.print(f"[yellow]{escape(history.warning)}[/]", soft_wrap=True)
    return history


def _chosen(
    entries: list[BankEntry], history: History, review: bool, extra: int,
    count: int | None, rng: random.Random,
) -> list[BankEntry]:  # fmt: skip
    if not (review or extra):
        return mixed(entries, count or DEFAULT_COUNT, rng)
    now = datetime.now(UTC)
    chosen = for_review(entries, memories(history.reviews(), now), now, extra, rng)
    return chosen[:count] if count else chosen


def _topics_json(bank: Bank) -> list[dict[str, Any]]:
    return [
        {
            "topic": name, "title": topic.title,
            "questions": sum(question.topic == name for question in bank.questions),
            "formulas": sum(template.topic == name for template in bank.templates),
        }
        for name, topic in bank.topics.items()
    ]  # fmt: skip


def quiz_command(
    topic: Annotated[
        list[str] | None, typer.Option(help="Only this topic (repeatable); see --list-topics.")
    ] = None,
    count: Annotated[
        int | None,
        typer.Option(
            min=1, help=f"How many questions (default {DEFAULT_COUNT}; with --review, all due)."
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed for a reproducible set and numbers.")
    ] = None,
    review: Annotated[bool, typer.Option("--review", help="Only what is due for review.")] = False,
    extra: Annotated[
        int, typer.Option(min=0, help="Practise N more beyond what is due (implies --review).")
    ] = 0,
    due: Annotated[bool, typer.Option("--due", help="Show what is due per topic.")] = False,
    stats: Annotated[bool, typer.Option("--stats", help="Show your progress over time.")] = False,
    list_topics: Annotated[bool, typer.Option("--list-topics", help="List the topics.")] = False,
    export: Annotated[
        tuple[str, Path] | None,
        typer.Option(metavar="anki FILE", help="Write the bank as a file Anki imports."),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="Line-based prompts even in a terminal.")
    ] = False,
    answers: Annotated[
        Path | None,
        typer.Option(help="Read the answers from FILE, one per line (two for open questions)."),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the results as JSON on stdout.")
    ] = False,
    history: Annotated[
        Path | None,
        typer.Option(help=f"History file (default: ${HISTORY_ENV} or your user data folder)."),
    ] = None,
) -> None:
    """Take the terminal quiz of the course notes: scored, remembered, spaced for review."""
    actions = [name for name, on in (("--due", due), ("--stats", stats),
               ("--list-topics", list_topics), ("--export", export)) if on]  # fmt: skip
    if len(actions) > 1:
        raise UserError(f"{' and '.join(actions)} cannot be combined; use one at a time")
    bank = load_bank()
    # With --json the transcript goes to stderr so that stdout holds only the JSON.
    console = Console(stderr=json_output, highlight=False)
    if list_topics:
        _print_json(_topics_json(bank)) if json_output else show_topics(console, bank)
        return
    if export:
        written = export_bank(bank, export[0], export[1])
        console.print(f"Wrote {written} notes to {export[1]} (Anki: File › Import).")
        return
    entries = bank.entries_in(topic or [])
    log = _open_history(history, console)
    now = datetime.now(UTC)
    if due or stats:
        reviews = log.reviews()
        data = due_by_topic(bank, reviews, now) if due else progress(bank, reviews, now)
        if json_output:
            _print_json(data)
        elif due:
            show_due(console, data, now)
        else:
            show_progress(console, data)
        return
    rng = random.Random(seed)
    chosen = _chosen(entries, log, review, extra, count, rng)
    if not chosen:
        console.print("Nothing is due for review. Use --extra N to practise anyway.")
        if json_output:
            _print_json({"planned": 0, "asked": 0, "right": 0, "answers": []})
        return
    prompter = make_prompter(console, plain=plain, answers=answers)
    result = run_session(chosen, prompter, log, console, rng)
    show_scorecard(console, result, bank.topics)
    if json_output:
        _print_json(scorecard_json(result, bank.topics))
