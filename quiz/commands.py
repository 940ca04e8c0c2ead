"""What `course quiz` does: one function per action flag, and a session when none is given.

The CLI parses the options into `QuizOptions` and calls `run`; `ACTIONS` maps each action
flag to the function that carries it out. The transcript goes to stdout (to stderr with
--json, so that stdout holds only the JSON); warnings always go to stderr.
"""

import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from course.graders.kit.errors import UserError
from course.quiz.anki import export_bank
from course.quiz.asking.bank import Bank, BankEntry, load_bank
from course.quiz.asking.selection import DEFAULT_COUNT, for_review, mixed
from course.quiz.memory.history import History, default_history_path
from course.quiz.memory.schedule import memories
from course.quiz.memory.stats import due_by_topic, progress
from course.quiz.session import run_session
from course.quiz.terminal.prompts import make_prompter
from course.quiz.terminal.scorecard import scorecard_json, show_scorecard
from course.quiz.terminal.tables import show_due, show_progress, show_topics


@dataclass(frozen=True)
class QuizOptions:
    """The options of `course quiz`, as parsed by the CLI."""

    topics: list[str]
    count: int | None = None
    seed: int | None = None
    review: bool = False
    extra: int = 0
    export: tuple[str, Path] | None = None
    plain: bool = False
    answers: Path | None = None
    json_output: bool = False
    history: Path | None = None


@dataclass(frozen=True)
class Screens:
    """Where output goes: the transcript, and warnings (always stderr)."""

    transcript: Console
    warnings: Console


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _open_history(options: QuizOptions, screens: Screens) -> History:
    history = History(default_history_path(options.history))
    if history.warning:
        screens.warnings.print(history.warning, style="yellow", soft_wrap=True, markup=False)
    return history


def _topics_json(bank: Bank) -> list[dict[str, Any]]:
    return [
        {
            "topic": name, "title": topic.title,
            "questions": sum(question.topic == name for question in bank.questions),
            "formulas": sum(template.topic == name for template in bank.templates),
        }
        for name, topic in bank.topics.items()
    ]  # fmt: skip


def list_topics(bank: Bank, options: QuizOptions, screens: Screens) -> None:
    """--list-topics: every topic with its counts."""
    if options.json_output:
        _print_json(_topics_json(bank))
    else:
        show_topics(screens.transcript, bank)


def export(bank: Bank, options: QuizOptions, screens: Screens) -> None:
    """--export FORMAT FILE: the bank as a file another tool imports."""
    assert options.export is not None
    export_format, path = options.export
    written = export_bank(bank, export_format, path)
    screens.transcript.print(f"Wrote {written} notes to {path} (Anki: File › Import).")


def due(bank: Bank, options: QuizOptions, screens: Screens) -> None:
    """--due: what is due for review, per topic."""
    bank.entries_in(options.topics)
    now = datetime.now(UTC)
    rows = due_by_topic(bank, _open_history(options, screens).reviews(), now)
    if options.json_output:
        _print_json(rows)
    else:
        show_due(screens.transcript, rows, now)


def stats(bank: Bank, options: QuizOptions, screens: Screens) -> None:
    """--stats: answers, accuracy and predicted recall per topic, and the streak."""
    bank.entries_in(options.topics)
    data = progress(bank, _open_history(options, screens).reviews(), datetime.now(UTC))
    if options.json_output:
        _print_json(data)
    else:
        show_progress(screens.transcript, data)


def _chosen(
    entries: list[BankEntry], history: History, options: QuizOptions, rng: random.Random
) -> list[BankEntry]:
    if not (options.review or options.extra):
        return mixed(entries, options.count or DEFAULT_COUNT, rng)
    now = datetime.now(UTC)
    chosen = for_review(entries, memories(history.reviews(), now), now, options.extra, rng)
    return chosen[: options.count] if options.count else chosen


def take_quiz(bank: Bank, options: QuizOptions, screens: Screens) -> None:
    """No action flag: a session of mixed questions, or of what is due with --review."""
    entries = bank.entries_in(options.topics)
    history = _open_history(options, screens)
    rng = random.Random(options.seed)
    chosen = _chosen(entries, history, options, rng)
    if not chosen:
        screens.transcript.print("Nothing is due for review. Use --extra N to practise anyway.")
        if options.json_output:
            _print_json({"planned": 0, "asked": 0, "right": 0, "answers": []})
        return
    prompter = make_prompter(screens.transcript, plain=options.plain, answers=options.answers)
    result = run_session(chosen, prompter, history, screens.transcript, rng, screens.warnings)
    show_scorecard(screens.transcript, result, bank.topics)
    if options.json_output:
        _print_json(scorecard_json(result, bank.topics))


Action = Callable[[Bank, QuizOptions, Screens], None]

ACTIONS: dict[str, Action] = {
    "--due": due,
    "--stats": stats,
    "--list-topics": list_topics,
    "--export": export,
}
"""Each action flag of `course quiz` and what it does; with none, `take_quiz`."""


def run(options: QuizOptions, flags: list[str]) -> None:
    """Carry out the action flag given (at most one), or take a quiz when none is."""
    if len(flags) > 1:
        raise UserError(f"{' and '.join(flags)} cannot be combined; use one at a time")
    action = ACTIONS[flags[0]] if flags else take_quiz
    bank = load_bank()
    screens = Screens(
        transcript=Console(stderr=options.json_output, highlight=False),
        warnings=Console(stderr=True, highlight=False),
    )
    action(bank, options, screens)
