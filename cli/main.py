"""The `course` command: one typer app composed of thin command modules.

Each command module parses options, calls the engine and prints with rich. Nothing here
imports torch, so `course --help`, `list`, `hint` and `quiz` start fast.
"""

import os
import sys

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from course.cli import exercises, export, grade_class, grading, quiz, release, train
from course.cli.options import WorkspaceOption
from course.cli.usage import KitCommand, KitGroup, usage_error_line
from course.graders.kit.errors import UserError

app = typer.Typer(
    name="course",
    help="Auto-graded course kit for modern deep-learning architectures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=KitGroup,
)
COMMANDS = {
    "grade": grading.grade_command,
    "watch": grading.watch_command,
    "list": exercises.list_command,
    "hint": exercises.hint_command,
    "init": exercises.init_command,
    "quiz": quiz.quiz_command,
    "release": release.release_command,
    "train": train.train_command,
    "grade-class": grade_class.grade_class_command,
}
for _name, _command in COMMANDS.items():
    app.command(_name, cls=KitCommand)(_command)
app.add_typer(export.export_app, name="export")


@app.callback()
def _every_command(ctx: typer.Context, workspace: WorkspaceOption = None) -> None:
    """--workspace before the command (`course -w DIR grade x`) means the same as after it."""
    if workspace is not None:
        ctx.default_map = {name: {"workspace": str(workspace)} for name in COMMANDS}


def run() -> None:
    """Console-script entry point: user errors and usage errors become one line on stderr
    and exit code 2."""
    try:
        sys.exit(app(prog_name="course", standalone_mode=False) or 0)
    except NoArgsIsHelpError as error:  # `course` alone: typer printed the help, as before
        sys.exit(error.exit_code)
    except UsageError as error:
        named = next((arg for arg in sys.argv[1:] if arg in COMMANDS), None)
        command = f"course {named}" if named else "course"
        print(f"error: {usage_error_line(error, command)}", file=sys.stderr)
        sys.exit(2)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    except typer.Abort as error:
        if isinstance(error.__context__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            print("interrupted", file=sys.stderr)
            sys.exit(130)
        print("Aborted!", file=sys.stderr)  # EOF at a prompt: what typer's own handling said
        sys.exit(1)
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
