"""`course release`: write an nbgrader course directory with a notebook per exercise."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from course.graders.kit.errors import UserError
from course.graders.notebooks.release import (
    DEFAULT_ASSIGNMENT,
    DEFAULT_COURSE_DIR,
    RECORD_NAME,
    release_course,
)

_STATUS_COLOURS = {"written": "green", "updated": "green", "unchanged": "dim", "kept": "yellow"}


def release_command(
    out: Annotated[
        Path, typer.Option("--out", help="nbgrader course directory to write (made if missing).")
    ] = DEFAULT_COURSE_DIR,
    assignment: Annotated[
        str, typer.Option("--assignment", help="nbgrader assignment name: source/<NAME>/.")
    ] = DEFAULT_ASSIGNMENT,
    force: Annotated[
        bool, typer.Option("--force", help="Also overwrite files edited since the last release.")
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Dataset folder that autograde evaluates submitted models on (written into "
            "nbgrader_config.py), for exercises that train.",
        ),
    ] = None,
) -> None:
    """Write an nbgrader course directory: nbgrader_config.py and a notebook per exercise."""
    try:
        release = release_course(out, assignment, force=force, data_folder=data)
    except OSError as error:  # --out under a file, or a folder we may not write
        where = error.filename or out
        raise UserError(f"--out {out}: cannot write {where}: {error.strerror}.") from None
    console = Console()
    for relative, status in release.files.items():
        colour = _STATUS_COLOURS[status]
        note = " — edited since the last release; --force overwrites it" if status == "kept" else ""
        console.print(f"  [{colour}]{status:<9}[/] {out / relative}{note}")
    for name, reason in release.skipped.items():
        console.print(f"[yellow]warning:[/] no notebook for {name}: {reason}.")
    notebooks = sum(relative.endswith(".ipynb") for relative in release.files)
    console.print(
        f"{notebooks} notebooks in {out / 'source' / assignment} (digests in {RECORD_NAME}). "
        f"Next: cd {out} && nbgrader generate_assignment {assignment}"
    )
