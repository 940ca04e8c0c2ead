"""Stubs are made from solutions by clearing the marked regions, so the two cannot drift.

A solution marks what the learner writes between `### BEGIN SOLUTION` and
`### END SOLUTION` (nbgrader's markers); the stub keeps everything else.
Run `python -m course.graders.kit.stubs [NAME ...]` to rewrite exercises/ from solutions/.
"""

import re
import sys

from course.graders.kit.manifest import load_manifest
from course.graders.kit.paths import EXERCISES_DIR, solution_path

BEGIN_MARKER = "### BEGIN SOLUTION"
END_MARKER = "### END SOLUTION"
_REGION = re.compile(
    rf"^(?P<indent>[ \t]*){re.escape(BEGIN_MARKER)}[^\n]*\n.*?^[ \t]*{re.escape(END_MARKER)}[^\n]*\n",
    re.MULTILINE | re.DOTALL,
)


def stub_from_solution(solution_source: str) -> str:
    """The solution with every marked region replaced by a NotImplementedError."""
    if solution_source.count(BEGIN_MARKER) != solution_source.count(END_MARKER):
        raise ValueError("unbalanced BEGIN/END SOLUTION markers")

    def clear(match: re.Match) -> str:
        indent = match["indent"]
        where = _enclosing_definition(solution_source[: match.start()])
        return f'{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError("{where}")\n'

    return _REGION.sub(clear, solution_source)


def _enclosing_definition(source_before: str) -> str:
    """`Class.method` or `function` for the last definition opened before a region."""
    function = re.findall(r"^([ \t]*)def (\w+)", source_before, re.MULTILINE)[-1]
    if not function[0]:
        return function[1]
    classes = re.findall(r"^class (\w+)", source_before, re.MULTILINE)
    return f"{classes[-1]}.{function[1]}"


def pristine_stub(exercise_name: str) -> str:
    """The untouched stub of one exercise, as `course init` writes it."""
    return stub_from_solution(solution_path(exercise_name).read_text(encoding="utf-8"))


def main(names: list[str]) -> None:
    """Rewrite exercises/<name>.py from solutions/<name>.py for the named exercises (or all)."""
    for name in names or [exercise.name for exercise in load_manifest()]:
        target = EXERCISES_DIR / f"{name}.py"
        target.write_text(pristine_stub(name), encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
