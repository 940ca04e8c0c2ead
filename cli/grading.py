"""`course grade` and `course watch`: grade exercises and print the verdicts."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from course.cli.options import DataOption, WorkspaceOption, existing_folder
from course.graders.engine.grade import ExerciseResult, grade_exercises
from course.graders.engine.learner.sandbox import unavailable_reason
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise, find_exercise, load_manifest
from course.graders.kit.training import trained_on
from course.graders.kit.workspace import WorkspaceRecord, exercise_file, find_workspace


def grade_command(
    name: Annotated[str | None, typer.Argument(help="Exercise to grade, e.g. lstm_cell.")] = None,
    all_exercises: Annotated[bool, typer.Option("--all", help="Grade every exercise.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print machine-readable results.")
    ] = False,
    workspace: WorkspaceOption = None,
    data: DataOption = None,
) -> None:
    """Grade an exercise (or --all) and show every check with its points."""
    if (name is None) == (not all_exercises):
        raise UserError("name one exercise to grade, or pass --all (see `course list`).")
    exercises = load_manifest() if all_exercises else [find_exercise(name)]
    if data is not None and not any(exercise.dataset for exercise in exercises):
        raise UserError(f"--data: {name} reads no dataset (only exercises that train do).")
    existing_folder(data, "--data")
    root = find_workspace(explicit=workspace)
    results = grade_and_record(root, exercises, data)
    if as_json:
        payload = [result.to_json() for result in results]
        print(json.dumps(payload if all_exercises else payload[0], indent=2))
    else:
        console = Console()
        for exercise, result in zip(exercises, results):
            print_result(console, exercise, result)
        if all_exercises:
            print_summary(console, exercises, results)
    raise typer.Exit(0 if all(result.passed for result in results) else 1)


def watch_command(
    name: Annotated[str, typer.Argument(help="Exercise to re-grade on every save.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Re-grade an exercise each time its file is saved (Ctrl-C to stop)."""
    from watchfiles import watch

    exercise = find_exercise(name)
    root = find_workspace(explicit=workspace)
    path = exercise_file(root, exercise.name)
    console = Console()
    watching = f"Watching {path}: save it to re-grade, Ctrl-C to stop."
    try:
        print_result(console, exercise, grade_and_record(root, [exercise])[0])
        console.print(watching)
        for _changes in watch(path, debounce=300, raise_interrupt=True):
            console.rule(f"[bold]{path.name} changed")
            print_result(console, exercise, grade_and_record(root, [exercise])[0])
            console.print(watching)
    except KeyboardInterrupt:
        console.print(f"Stopped watching {path.name}.")


def grade_and_record(
    root: Path, exercises: list[Exercise], data: Path | None = None
) -> list[ExerciseResult]:
    """Grade in a child process and remember each exercise's latest result."""
    for exercise in exercises:
        if not exercise_file(root, exercise.name).is_file():
            raise UserError(
                f"{exercise_file(root, exercise.name)} does not exist: run `course init {root}` "
                "to restore missing stubs (existing files are kept)."
            )
    if data is None:
        data = data_of_saved_runs(root, exercises)
    reason = unavailable_reason()
    if reason:
        print(f"note: your code runs unisolated on this machine ({reason}).", file=sys.stderr)
    results = grade_exercises(root, exercises, data=data)
    progress = WorkspaceRecord(root)
    for result in results:
        progress.record_result(result.exercise, result.earned, result.total, result.passed)
    return results


def data_of_saved_runs(root: Path, exercises: list[Exercise]) -> Path | None:
    """The --data folder the saved runs of `exercises` were trained on, said on stderr, or
    None when no saved run names one (their checks then read the default place)."""
    recorded = {}
    for exercise in exercises:
        found = trained_on(root, exercise) if exercise.dataset else None
        if found is not None:
            recorded[exercise.name] = found
    folders = {folder for folder, _ in recorded.values()}
    if not folders:
        return None
    names = " ".join(recorded)
    if len(folders) > 1:
        raise UserError(
            f"the saved runs of {', '.join(recorded)} were trained on different --data folders; "
            f"grade them one at a time: `course grade NAME --data DIR`."
        )
    folder, summary = next(iter(recorded.values()))
    if not folder.is_dir():
        raise UserError(
            f"{summary} says the run was trained on --data {folder}, which no longer exists: "
            f"`course grade {names} --data DIR` with the dataset's folder."
        )
    Console(stderr=True).print(
        f"data: {folder}, the --data of the saved run ({summary}); --data DIR grades on another.",
        soft_wrap=True,
    )
    return folder


def print_result(console: Console, exercise: Exercise, result: ExerciseResult) -> None:
    """One table per exercise: a row per check, the message under each failing one and what
    a passed one measured, where its grader says. A failure that every failing check shares
    (a syntax error, a file that does not import) is shown once, above the table, and its
    checks are marked as not run."""
    _reset_terminal(console)
    stopped_by = _shared_failure(result)
    if stopped_by:
        console.print(
            f"[bold]{exercise.name}[/]: every check below stopped at this, so none of them ran:"
        )
        console.print(f"[red]{_escape(stopped_by)}[/]")
    table = Table(
        title=f"{exercise.name} — {exercise.title}",
        title_justify="left",
        show_header=True,
        expand=True,
    )
    table.add_column("", width=2)
    table.add_column("points", justify="right", width=6)
    table.add_column("check", ratio=1)
    for check in result.checks:
        mark = "[green]✓[/]" if check.passed else "[red]✗[/]"
        text = _escape(check.description)
        if not check.passed:
            text += (
                "\n[dim]not run (see above)[/]"
                if stopped_by
                else f"\n[red]{_escape(check.message)}[/]"
            )
        elif check.message:
            text += f"\n[green]{_escape(check.message)}[/]"
        table.add_row(mark, f"{check.earned}/{check.points}", text)
    console.print(table)
    colour = "green" if result.passed else "yellow" if result.earned else "red"
    console.print(f"[bold {colour}]{exercise.name}: {result.earned}/{result.total} points[/]")
    if not result.passed:
        console.print(f"Stuck? `course hint {exercise.name}` reveals the next hint.")


def _shared_failure(result: ExerciseResult) -> str | None:
    """The one message of every failing check, when two or more failed with the same one."""
    messages = {check.message for check in result.checks if not check.passed}
    failing = sum(not check.passed for check in result.checks)
    return messages.pop() if failing > 1 and len(messages) == 1 and "" not in messages else None


def print_summary(
    console: Console, exercises: list[Exercise], results: list[ExerciseResult]
) -> None:
    table = Table(title="All exercises", title_justify="left")
    table.add_column("exercise")
    table.add_column("status")
    for exercise, result in zip(exercises, results):
        table.add_row(exercise.name, result_status(result.earned, result.total, result.passed))
    console.print(table)
    earned = sum(result.earned for result in results)
    total = sum(result.total for result in results)
    console.print(f"[bold]Total: {earned}/{total} points[/]")


def result_status(earned: int, total: int, passed: bool) -> str:
    """An exercise's latest result in words, the same in `course list` and `grade --all`."""
    if passed:
        return f"[green]passed[/] {earned}/{total} points"
    return f"[red]failing[/] {earned}/{total} points"


SHOWN_NOT_OBEYED = {
    code: f"\\x{code:02x}"
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))
    if code not in (0x09, 0x0A)
}
"""Terminal control characters (escape sequences, carriage return...) in text that learner
code had a say in (its exceptions, what it printed): shown as \\x1b..., so that it cannot
clear, hide, recolour or overwrite any part of the results around it."""
TERMINAL_RESET = "\x1b[0m\x1b(B\x0f\x1b7\x1b[r\x1b8\x1b[?25h\x1b[?7h"
"""Undoes what learner code may have left on the terminal (unsandboxed, it can write to the
terminal itself): colours and concealed text, a line-drawing character set, a scroll region
(the cursor kept where it is), a hidden cursor, line wrapping switched off."""


def _reset_terminal(console: Console) -> None:
    """Results start on a terminal in a known state, whatever was written to it before."""
    if console.is_terminal:
        console.file.write(TERMINAL_RESET)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text.translate(SHOWN_NOT_OBEYED))
