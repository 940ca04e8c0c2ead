"""`course grade-class SUBMISSIONS`: grade a whole class in parallel, isolated, resumable."""

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from course.cli.options import DataOption, existing_folder
from course.graders.kit.errors import UserError


def grade_class_command(
    submissions: Annotated[
        Path,
        typer.Argument(
            help="Folder of submissions: one folder or zip per student, or an nbgrader course "
            "(submitted/<student>/<assignment>/*.ipynb)."
        ),
    ],
    jobs: Annotated[
        int | None, typer.Option(min=1, help="Submissions graded at once (default: the cores).")
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Folder for results, grades.csv, feedback and the report.")
    ] = Path("class-grades"),
    exercises: Annotated[
        str | None, typer.Option(help="Comma-separated exercises (default: all).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Grade again submissions already graded.")
    ] = False,
    no_isolation: Annotated[
        bool,
        typer.Option(
            "--no-isolation",
            help="Run learner code unsandboxed where isolation is unavailable (only for "
            "submissions you trust).",
        ),
    ] = False,
    data: DataOption = None,
) -> None:
    """Grade every student's submission in parallel, each in its own sandbox; resumable."""
    from course.graders.classroom.gradebook import record_in_gradebook
    from course.graders.classroom.outputs import GRADES_FILE, REPORT_FILE, write_outputs
    from course.graders.classroom.runner import grade_class
    from course.graders.classroom.submissions import find_submissions
    from course.graders.engine.learner.sandbox import instructor_isolation
    from course.graders.kit.manifest import find_exercise, load_manifest

    if not submissions.is_dir():
        raise UserError(f"{submissions} is not a folder of submissions.")
    existing_folder(data, "--data")
    chosen = (
        [find_exercise(name.strip()) for name in exercises.split(",") if name.strip()]
        if exercises
        else load_manifest()
    )
    if not chosen:
        raise UserError("--exercises names no exercise.")
    isolate = instructor_isolation(accepted=no_isolation, accept_with="Pass --no-isolation")
    _check_out(out)
    found = find_submissions(submissions, chosen)
    if not found:
        raise UserError(
            f"no submissions in {submissions} (folders, zips or nbgrader's submitted/)."
        )
    console = Console()
    with _LiveProgress(console) as progress:
        results = grade_class(
            found, chosen, out, jobs or os.cpu_count() or 1, isolate=isolate,
            force=force, data=data, progress=progress,
        )  # fmt: skip
    write_outputs(results, [exercise.name for exercise in chosen], out)
    recorded = record_in_gradebook(results)
    full = sum(result.earned == result.total for result in results)
    console.print(
        f"{len(results)} submissions graded into {out}: {out / GRADES_FILE}, {out / REPORT_FILE}, "
        f"feedback/; {full} with full marks."
        + (f" {recorded} scores recorded in nbgrader's gradebook." if recorded else "")
    )


def _check_out(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"--out {out}: cannot create it ({error.strerror}).") from None


class _LiveProgress:
    """The runner's progress as a rich bar: done/total, rate, time left, failures so far."""

    def __init__(self, console: Console):
        self.bar = Progress(
            TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f}/min  {task.fields[failing]} not full marks"),
            TimeRemainingColumn(), console=console,
        )  # fmt: skip
        self.task = None
        self.failing = self.graded_now = 0

    def __enter__(self) -> "_LiveProgress":
        self.bar.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.bar.stop()

    def started(self, total: int, kept: list) -> None:
        if kept:
            self.bar.console.print(
                f"{len(kept)} of {total} already graded with these files and this kit: kept "
                "(--force grades them again)."
            )
        self.failing = sum(result.earned < result.total for result in kept)
        self.task = self.bar.add_task("grade", total=total, completed=len(kept), rate=0.0,
                                      failing=self.failing)  # fmt: skip

    def graded(self, result) -> None:
        self.graded_now += 1
        self.failing += result.earned < result.total
        elapsed = max(self.bar.tasks[0].elapsed or 0.0, 1e-9)
        self.bar.update(self.task, advance=1, failing=self.failing,
                        rate=60 * self.graded_now / elapsed)  # fmt: skip
