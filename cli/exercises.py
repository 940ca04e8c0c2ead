"""`course list`, `course hint` and `course init`: the exercises and the learner's place in them."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from course.cli.grading import result_status
from course.cli.options import WorkspaceOption
from course.graders.engine.declared import declared_checks
from course.graders.kit.manifest import find_exercise, load_manifest
from course.graders.kit.paths import grader_path
from course.graders.kit.workspace import (
    WorkspaceRecord,
    create_workspace,
    find_workspace,
    nearest_workspace,
    searched,
)


def list_command(workspace: WorkspaceOption = None) -> None:
    """Show every exercise with its topic, points and your latest result."""
    root = find_workspace(explicit=workspace) if workspace else nearest_workspace(Path.cwd())
    progress = WorkspaceRecord(root) if root else None
    table = Table(title="Exercises", title_justify="left")
    for column in ("#", "exercise", "title", "topic", "points", "status"):
        table.add_column(column, justify="right" if column in ("#", "points") else "left")
    for exercise in load_manifest():
        table.add_row(
            str(exercise.order), exercise.name, exercise.title, exercise.topic,
            _points(exercise.name),
            _status(progress.result(exercise.name)) if progress else "-",
        )  # fmt: skip
    Console().print(table)
    if root is None:
        Console(stderr=True).print(
            f"[yellow]{searched(Path.cwd())}: your results are not shown. "
            "`course init DIR` creates one; --workspace DIR names one.[/]",
            soft_wrap=True,
        )


def hint_command(
    name: Annotated[str, typer.Argument(help="Exercise to get the next hint for.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Reveal the next hint for an exercise (hints already seen are shown again)."""
    exercise = find_exercise(name)
    progress = WorkspaceRecord(find_workspace(explicit=workspace))
    shown = min(progress.hints_revealed(exercise.name) + 1, len(exercise.hints))
    progress.reveal_hint(exercise.name, shown)
    console = Console()
    console.print(f"[bold]{exercise.title}[/] — course notes {exercise.notes_section}")
    for number, hint in enumerate(exercise.hints[:shown], start=1):
        console.print(f"[cyan]Hint {number}/{len(exercise.hints)}:[/] {hint}")
    if shown == len(exercise.hints):
        console.print("That was the last hint.")


def init_command(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Folder for the new workspace (created if needed)."),
    ],
) -> None:
    """Create a workspace with the untouched exercise stubs; existing files are never overwritten."""
    written, kept = create_workspace(folder, load_manifest())
    console = Console()
    for path in written:
        console.print(f"[green]created[/] {path}")
    for path in kept:
        console.print(f"[yellow]kept your[/] {path}")
    console.print(f"Next: cd {folder} && course list")


def _points(exercise_name: str) -> str:
    grader = grader_path(exercise_name)
    if not grader.is_file():
        return "?"  # an exercise whose grader is missing from this installation
    return str(sum(check.points for check in declared_checks(grader)))


def _status(result: dict | None) -> str:
    if result is None:
        return "not started"
    return result_status(result["earned"], result["total"], result["passed"])
