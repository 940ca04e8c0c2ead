"""`course export gradescope`: the kit as a Gradescope autograder zip."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from course.cli.usage import KitCommand, KitGroup
from course.graders.gradescope.autograder_zip import (
    DEFAULT_ZIP,
    build_autograder,
    chosen_exercises,
)

export_app = typer.Typer(
    help="Export the kit for other grading platforms.", no_args_is_help=True, cls=KitGroup
)


@export_app.command("gradescope", cls=KitCommand)
def gradescope_command(
    exercises: Annotated[
        str | None,
        typer.Option(
            "--exercises",
            help="Comma-separated exercises to grade, e.g. lstm_cell,attention (default: all).",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="The autograder zip to write.")] = DEFAULT_ZIP,
    no_isolation: Annotated[
        bool,
        typer.Option(
            "--no-isolation",
            help="Where Gradescope's container cannot sandbox learner code, grade it unsandboxed "
            "instead of refusing (only if you trust every submission).",
        ),
    ] = False,
) -> None:
    """Write a Gradescope autograder zip (setup.sh, run_autograder, the kit's wheel)."""
    chosen = chosen_exercises(exercises)
    export = build_autograder(out, chosen, unisolated=no_isolation)
    console = Console()
    names = ", ".join(exercise.name for exercise in export.exercises)
    console.print(f"[green]wrote[/] {export.path}: {names}; {export.points} points in all.")
    console.print(
        "On Gradescope: a Programming Assignment worth "
        f"{export.points} points; Configure Autograder: an Ubuntu 24.04 base image, upload "
        f"{export.path.name}. setup.sh installs {' and '.join(export.pins)} (CPU) and the kit."
    )
    console.print(
        "Where Gradescope's container cannot sandbox learner code, run_autograder grades it "
        "unsandboxed (--no-isolation)."
        if no_isolation
        else "Learner code is sandboxed (bubblewrap); where Gradescope's container cannot "
        "sandbox it, run_autograder refuses to grade: export with --no-isolation then."
    )
