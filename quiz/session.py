"""One quiz session: ask each entry, score it, show feedback, log it at once.

Every answer is committed to the history before the next question is shown, so a crash
or Ctrl-C loses nothing already answered. The end of input or Ctrl-C ends the session
with the answers given so far.
"""

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rich.console import Console
from rich.markup import escape

from course.quiz.asking.bank import BankEntry
from course.quiz.asking.kinds import (
    MultipleChoice,
    Numeric,
    Open,
    Question,
    ShortText,
    SingleChoice,
    Verdict,
)
from course.quiz.asking.selection import presented
from course.quiz.memory.history import History, Review
from course.quiz.terminal.feedback import show_model_answer, show_question, show_verdict
from course.quiz.terminal.prompts import Prompter, SessionEnded


@dataclass(frozen=True)
class Answer:
    """One question asked and how it went."""

    question: Question
    verdict: Verdict


@dataclass
class SessionResult:
    """What a session asked and how it ended."""

    session: str
    """The id logged with each review."""
    planned: int
    """How many questions were selected."""
    answers: list[Answer] = field(default_factory=list)
    ended_early: bool = False
    """True when EOF or Ctrl-C stopped it before the last question."""


def _ask(question: Question, prompter: Prompter, console: Console) -> Verdict:
    if isinstance(question, SingleChoice):
        return question.score(prompter.choose(question.choices))
    if isinstance(question, MultipleChoice):
        return question.score(prompter.choose_many(question.choices))
    if isinstance(question, Numeric):
        return question.score(prompter.number(question.unit))
    if isinstance(question, ShortText):
        return question.score(prompter.text("Your answer"))
    if isinstance(question, Open):
        typed = prompter.text("Your answer (one line; Enter to skip)")
        show_model_answer(console, question)
        return question.score(prompter.grade(), typed)
    raise TypeError(f"no way to ask a {type(question).__name__}")


def _now() -> datetime:
    return datetime.now(UTC)


def _ended_early(answered: int) -> str:
    if not answered:
        return "Session ended before any answer was given."
    kept = (
        "the 1 answer given is kept" if answered == 1 else f"the {answered} answers given are kept"
    )
    return f"Session ended early; {kept}."


def run_session(
    entries: Sequence[BankEntry],
    prompter: Prompter,
    history: History,
    console: Console,
    rng: random.Random,
    warnings: Console | None = None,
    clock: Callable[[], datetime] = _now,
) -> SessionResult:
    """Ask `entries` in order, as `presented` draws them from `rng` (numbers, choice order).

    History warnings go to `warnings` (stderr in the CLI), else to `console`.
    """
    warnings = warnings or console
    result = SessionResult(session=uuid.uuid4().hex, planned=len(entries))
    for number, entry in enumerate(entries, start=1):
        question = presented(entry, rng)
        show_question(console, question, number, len(entries))
        try:
            verdict = _ask(question, prompter, console)
        except SessionEnded:
            result.ended_early = True
            console.print(f"[yellow]{_ended_early(len(result.answers))}[/]")
            break
        warning_before = history.warning
        history.record(
            Review(
                entry_id=question.id, topic=question.topic, kind=question.kind,
                grade=int(verdict.grade), correct=verdict.correct, reviewed_at=clock(),
                session=result.session,
            )
        )  # fmt: skip
        if history.warning != warning_before:
            warnings.print(f"[yellow]{escape(history.warning or '')}[/]", soft_wrap=True)
        result.answers.append(Answer(question, verdict))
        show_verdict(console, question, verdict)
    return result
