"""`course quiz`: placeholder until the quiz session lands (issue 4)."""

from course.cli.errors import UserError


def quiz_command() -> None:
    """Take the terminal quiz of the course notes."""
    raise UserError("the quiz is not available yet")
