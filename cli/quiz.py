"""`course quiz`: the terminal quiz of the course notes, scored, remembered and reviewed.

This module only parses the options; `course.quiz.commands` carries out the action flag
given (its ACTIONS table) or, with none, takes a quiz.
"""

from pathlib import Path
from typing import Annotated

import typer

from course.quiz.asking.selection import DEFAULT_COUNT
from course.quiz.commands import QuizOptions, run
from course.quiz.memory.history import HISTORY_ENV


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
    flags = {"--due": due, "--stats": stats, "--list-topics": list_topics, "--export": export}
    options = QuizOptions(
        topics=topic or [], count=count, seed=seed, review=review, extra=extra, export=export,
        plain=plain, answers=answers, json_output=json_output, history=history,
    )  # fmt: skip
    run(options, [flag for flag, given in flags.items() if given])
