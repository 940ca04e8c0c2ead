"""The `course` command: one typer app composed of thin command modules.

Each command module parses options, calls the engine and prints with rich. Nothing here
imports torch, so `course --help`, `list`, `hint` and `quiz` start fast.
"""

import os
import sys

import typer

from course.cli import exercises, export, grading, quiz, release, train
from course.graders.kit.errors import UserError

app = typer.Typer(
    name="course",
    help="Auto-graded course kit for modern deep-learning architectures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("grade")(grading.grade_command)
app.command("watch")(grading.watch_command)
app.command("list")(exercises.list_command)
app.command("hint")(exercises.hint_command)
app.command("init")(exercises.init_command)
app.command("quiz")(quiz.quiz_command)
app.command("release")(release.release_command)
app.command("train")(train.train_command)
app.add_typer(export.export_app, name="export")


def run() -> None:
    """Console-script entry point: user errors become one line on stderr and exit code 2."""
    try:
        app()
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # a bug of ours: one line for the user, the traceback on request
        if os.environ.get("COURSE_DEBUG"):
            raise
        print(
            f"error: the kit failed unexpectedly ({type(error).__name__}: {error}). "
            "Please report it; COURSE_DEBUG=1 shows the traceback.",
            file=sys.stderr,
        )
        sys.exit(3)
