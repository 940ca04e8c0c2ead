"""How the quiz reads answers: one small interface, a line-based and an arrow-key mode.

Arrow-key prompt libraries read piped bytes as keystrokes or fail at the end of input, so
the mode follows the terminal: arrow keys (questionary) when stdin and stdout are both
terminals, lines otherwise, or with --plain, or from an --answers file. The end of input
and Ctrl-C raise `SessionEnded` from every mode, so the session can stop cleanly.
"""

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TextIO, TypeVar

from rich.console import Console
from rich.markup import escape

from course.graders.kit.errors import UserError
from course.quiz.asking.kinds import GRADE_MEANINGS, Grade
from course.quiz.asking.replies import (
    UnreadableReply,
    parse_choice,
    parse_choices,
    parse_grade,
    parse_number,
)

T = TypeVar("T")


class SessionEnded(Exception):
    """The learner closed the input (EOF) or pressed Ctrl-C."""


class Prompter(Protocol):
    """Reads one answer; the question itself has already been shown."""

    def choose(self, choices: tuple[str, ...]) -> int:
        """The 0-based index of the one choice picked."""

    def choose_many(self, choices: tuple[str, ...]) -> frozenset[int]:
        """The 0-based indices of every choice picked (select all that apply)."""

    def number(self, unit: str) -> float:
        """A number, in `unit` when the question has one."""

    def text(self, label: str) -> str:
        """A line of free text."""

    def grade(self) -> Grade:
        """The learner's grade of their own answer to an open question."""


def grade_labels() -> list[str]:
    """The self-grades in order, 1 to 4; each mode numbers them its own way."""
    return [f"{grade.name.lower()}: {GRADE_MEANINGS[grade]}" for grade in Grade]


class LinePrompter:
    """Answers typed as lines: from stdin, or from an --answers file (`strict`).

    An unreadable reply is asked again on stdin; in a file it is an error naming the line.
    Replies are echoed (`echo`) when no terminal shows them, so the transcript reads well.
    """

    def __init__(
        self, console: Console, lines: Iterator[tuple[str, str]], *, strict: bool, echo: bool
    ) -> None:
        self.console = console
        self.lines = lines
        """(where, text) pairs: where names the line for error messages."""
        self.strict = strict
        self.echo = echo

    def choose(self, choices: tuple[str, ...]) -> int:
        self._show_choices(choices)
        return self._ask("Your answer (number, letter or text)", lambda r: parse_choice(r, choices))

    def choose_many(self, choices: tuple[str, ...]) -> frozenset[int]:
        self._show_choices(choices)
        return self._ask("Your answers (e.g. 1,3)", lambda reply: parse_choices(reply, choices))

    def number(self, unit: str) -> float:
        label = f"Your answer ({unit})" if unit else "Your answer"
        return self._ask(label, lambda reply: parse_number(reply, unit))

    def text(self, label: str) -> str:
        return self._ask(label, str.strip)

    def grade(self) -> Grade:
        for number, label in enumerate(grade_labels(), start=1):
            self.console.print(f"  {number}. {escape(label)}")
        return self._ask("Your grade (1-4)", parse_grade)

    def _show_choices(self, choices: tuple[str, ...]) -> None:
        for number, choice in enumerate(choices, start=1):
            self.console.print(f"  {number}. {escape(choice)}")

    def _ask(self, label: str, parse: Callable[[str], T]) -> T:
        while True:
            self.console.print(f"{escape(label)}: ", end="")
            where, reply = self._next_line()
            if self.echo:
                self.console.print(escape(reply), highlight=False)
            try:
                return parse(reply)
            except UnreadableReply as problem:
                if self.strict:
                    raise UserError(f"{where}: cannot read '{reply}': {problem}") from None
                self.console.print(f"[yellow]Not understood:[/] {escape(str(problem))}")

    def _next_line(self) -> tuple[str, str]:
        try:
            return next(self.lines)
        except (StopIteration, EOFError, KeyboardInterrupt):
            self.console.print()
            raise SessionEnded from None


def stdin_lines(stream: TextIO | None = None) -> Iterator[tuple[str, str]]:
    """Lines typed on stdin (read lazily, so each prompt waits for its answer)."""
    number = 0
    while True:
        line = (stream or sys.stdin).readline()
        if not line:
            return
        number += 1
        yield f"stdin line {number}", line.rstrip("\r\n")


def answer_file_lines(path: Path) -> Iterator[tuple[str, str]]:
    """The replies of an --answers file: one per line; blank lines and # comments skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read the answers file {path}: {error}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield f"{path} line {number}", line.strip()


class ArrowPrompter:
    """Arrow keys and Enter (number keys jump to a choice; space ticks in select-all).

    `prompt_options` go to prompt_toolkit (tests pass a pipe `input` and a dummy `output`).
    """

    def __init__(self, **prompt_options: Any) -> None:
        self.prompt_options = prompt_options

    def choose(self, choices: tuple[str, ...]) -> int:
        return self._select("Your answer", [self._choice(t, i) for i, t in enumerate(choices)])

    def choose_many(self, choices: tuple[str, ...]) -> frozenset[int]:
        import questionary

        question = questionary.checkbox(
            "Your answers",
            choices=[self._choice(text, index) for index, text in enumerate(choices)],
            instruction="(arrows move, space ticks, Enter confirms)",
            validate=lambda ticked: bool(ticked) or "tick at least one choice with space",
            use_jk_keys=False,
            **self.prompt_options,
        )
        return frozenset(self._run(question))

    def number(self, unit: str) -> float:
        reply = self._text(f"Your answer ({unit})" if unit else "Your answer",
                           lambda reply: parse_number(reply, unit))  # fmt: skip
        return parse_number(reply, unit)

    def text(self, label: str) -> str:
        return self._text(label, str.strip).strip()

    def grade(self) -> Grade:
        labels = grade_labels()
        return Grade(
            self._select("Your grade", [self._choice(t, i + 1) for i, t in enumerate(labels)])
        )

    @staticmethod
    def _choice(title: str, value: int) -> Any:
        import questionary

        return questionary.Choice(title, value=value)

    def _select(self, message: str, choices: list[Any]) -> int:
        import questionary

        question = questionary.select(
            message,
            choices=choices,
            use_shortcuts=True,
            use_jk_keys=False,
            instruction="(arrows or number keys, then Enter)",
            **self.prompt_options,
        )
        return self._run(question)

    def _text(self, message: str, parse: Callable[[str], object]) -> str:
        import questionary

        def validate(reply: str) -> bool | str:
            try:
                parse(reply)
            except UnreadableReply as problem:
                return str(problem)
            return True

        return self._run(questionary.text(message, validate=validate, **self.prompt_options))

    @staticmethod
    def _run(question: Any) -> Any:
        try:
            answer = question.unsafe_ask()
        except (EOFError, KeyboardInterrupt):
            raise SessionEnded from None
        if answer is None:
            raise SessionEnded
        return answer


def make_prompter(
    console: Console,
    *,
    plain: bool,
    answers: Path | None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> Prompter:
    """The --answers file, else lines unless stdin and stdout are terminals, else arrow keys."""
    if answers is not None:
        return LinePrompter(console, answer_file_lines(answers), strict=True, echo=True)
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    if plain or not (stdin.isatty() and stdout.isatty()):
        return LinePrompter(console, stdin_lines(stdin), strict=False, echo=not stdin.isatty())
    return ArrowPrompter()
