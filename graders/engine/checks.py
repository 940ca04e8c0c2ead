"""The @check decorator: one test function is one check, with its points beside it."""

from collections.abc import Callable

import pytest

PASS_NOTE = "pass_note"
"""`record_property(PASS_NOTE, text)` in a check: the line shown when it passes, saying what
it measured (e.g. the accuracy reached). Graders only: learner code never runs here."""


CHECK_MARKER = "check(points, timeout, hidden): a graded check (a grader's test function)"


def register_check_marker(config: pytest.Config) -> None:
    """Declare the marker to pytest: in grading runs (plugin.py) and in any session that
    imports grader files (the kit's own tests)."""
    config.addinivalue_line("markers", CHECK_MARKER)


def check(points: int, timeout: float | None = None, hidden: bool = False) -> Callable:
    """Declare a grader test as a check worth `points`.

    `timeout`: seconds the check may wait for learner code (default: the manifest's
    check_timeout). `hidden`: kept secret from students in the nbgrader release.
    Arguments must be literals: declared.py reads them without importing the file.
    """
    return pytest.mark.check(points=points, timeout=timeout, hidden=hidden)
