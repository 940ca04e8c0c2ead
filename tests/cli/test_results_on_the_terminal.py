"""The results `course grade` prints are its own: on a terminal they start from a known state,
and text that learner code had a say in (its exceptions, what it printed) is shown, never
obeyed, so it cannot clear, hide, recolour or overwrite the table around it."""

import io

from rich.console import Console

from course.cli.grading import TERMINAL_RESET, print_result
from course.graders.engine.grade import CheckResult, ExerciseResult
from course.graders.kit.manifest import find_exercise

FORGED = "\x1b[2J\x1b[H\x1b[32m✓ 22/22 points\x1b[8m"
"""Clear the screen, draw a fake pass, then conceal everything that follows."""


def printed(terminal: bool) -> str:
    result = ExerciseResult(
        "lstm_cell",
        [
            CheckResult(
                "test_a", "first check", 2, False, f"Your code raised ValueError: {FORGED}", 0.1
            ),
            CheckResult("test_b", "second check", 3, True, "", 0.1),
        ],
    )
    output = io.StringIO()
    colours = "standard" if terminal else None
    console = Console(file=output, force_terminal=terminal, width=200, color_system=colours)
    print_result(console, find_exercise("lstm_cell"), result)
    return output.getvalue()


def test_on_a_terminal_the_results_start_by_resetting_what_was_written_to_it_before():
    assert printed(terminal=True).startswith(TERMINAL_RESET)
    assert TERMINAL_RESET not in printed(terminal=False)


def test_escape_sequences_in_a_learners_message_are_shown_not_obeyed():
    text = printed(terminal=True)
    assert "\x1b[2J" not in text and "\x1b[8m" not in text
    assert "\\x1b[2J\\x1b[H\\x1b[32m✓ 22/22 points\\x1b[8m" in text
    plain = printed(terminal=False)
    assert plain.index("\\x1b[2J") < plain.index("lstm_cell: 3/5 points")
