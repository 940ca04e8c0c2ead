"""The cell protocol of a released notebook: how cells are named, written and found again.

One module for both directions, so release (writing), the kernel's test cells and the
autograde step (reading) cannot drift apart:
    answer cell      grade_id `<exercise>-answer`; its source starts with answer_header()
    test cell        grade_id `<exercise>-<check>` (a hidden check: `<exercise>-hidden-<n>`);
                     its source calls `expect_check_passes("<exercise>", "<check>")`
Nothing here imports nbgrader or torch: the student's kernel imports it too.
"""

import ast

ANSWER_PART = "answer"
ANSWER_HEADER = "# Answer cell of {name}: the checks below grade this cell's code as one file."
CHECK_FUNCTION = "expect_check_passes"
CHECK_MODULE = "course.graders.notebooks.kernel_checks"


def answer_grade_id(exercise_name: str) -> str:
    """The nbgrader grade_id of an exercise's answer cell."""
    return f"{exercise_name}-{ANSWER_PART}"


def exercise_of_answer(grade_id: str) -> str | None:
    """The exercise whose answer cell has this grade_id, else None."""
    exercise_name, _, part = grade_id.partition("-")
    return exercise_name if part == ANSWER_PART and exercise_name else None


def check_grade_ids(exercise_name: str, checks: list) -> list[str]:
    """The grade_id of each check's test cell (checks: objects with .name and .hidden); a
    hidden check's does not name it."""
    ids, hidden = [], 0
    for check in checks:
        hidden += check.hidden
        ids.append(
            f"{exercise_name}-hidden-{hidden}" if check.hidden else f"{exercise_name}-{check.name}"
        )
    return ids


def answer_header(exercise_name: str) -> str:
    """The first line of an exercise's answer cell, which marks it as that answer."""
    return ANSWER_HEADER.format(name=exercise_name)


def is_answer_source(source: str, exercise_name: str) -> bool:
    """Whether a cell's source is the answer cell of `exercise_name`."""
    return source.lstrip().startswith(answer_header(exercise_name))


def check_call_source(exercise_name: str, check_name: str) -> str:
    """The code of a test cell: the call that grades one check of the answer cell."""
    return (
        f"from {CHECK_MODULE} import {CHECK_FUNCTION}\n\n"
        f'{CHECK_FUNCTION}("{exercise_name}", "{check_name}")\n'
    )


def checked_by(test_source: str) -> tuple[str, str] | None:
    """(exercise, check) of a kit test cell's call, if the source holds one."""
    try:
        tree = ast.parse(test_source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == CHECK_FUNCTION
            and len(node.args) == 2
            and all(
                isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args
            )
        ):
            return node.args[0].value, node.args[1].value
    return None
