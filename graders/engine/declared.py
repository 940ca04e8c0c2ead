"""The checks a grader file declares, read from its source without importing it.

`course list` shows points without starting torch, and `course grade` knows every check
that should come back, so a check whose result is missing earns nothing.
"""

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DeclaredCheck:
    """One `@check(...)` test function of a grader file."""

    name: str
    """The test function's name."""
    description: str
    """First line of its docstring: what the check proves."""
    points: int
    timeout: float | None
    """Seconds for this check, or None for the exercise's default."""
    hidden: bool
    """Kept secret from students in the nbgrader release."""


class GraderFileError(Exception):
    """A grader file that does not declare its checks as the engine expects."""


def declared_checks(grader_file: Path) -> list[DeclaredCheck]:
    """Every check in `grader_file`, in file order."""
    tree = ast.parse(grader_file.read_text(encoding="utf-8"), filename=str(grader_file))
    checks = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
            continue
        arguments = _check_decorator_arguments(node)
        if arguments is None:
            raise GraderFileError(f"{grader_file.name}: {node.name} has no @check(points=...)")
        docstring = ast.get_docstring(node)
        if not docstring:
            raise GraderFileError(f"{grader_file.name}: {node.name} has no docstring")
        checks.append(
            DeclaredCheck(
                name=node.name,
                description=docstring.strip().splitlines()[0],
                points=int(arguments["points"]),
                timeout=arguments.get("timeout"),
                hidden=bool(arguments.get("hidden", False)),
            )
        )
    return checks


def _check_decorator_arguments(function: ast.FunctionDef) -> dict | None:
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Name)
            and decorator.func.id == "check"
        ):
            try:
                return {kw.arg: ast.literal_eval(kw.value) for kw in decorator.keywords}
            except ValueError as error:
                raise GraderFileError(
                    f"{function.name}: @check arguments must be literals ({error})"
                ) from None
    return None
