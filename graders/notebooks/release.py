"""An nbgrader course directory made from the kit: one notebook per exercise, and its config.

Each notebook is built from the repo's files, never by hand: the explanation from the
solution's module docstring and the manifest, one answer cell holding the solution's code
with its `### BEGIN SOLUTION` regions (nbgrader's `generate_assignment` clears them), and
one read-only test cell per check of the grader file, worth that check's points, with
hidden checks inside `### BEGIN HIDDEN TESTS`. Test cells call notebook_checks.py; at
autograde time notebook_verdicts.py decides them from the engine.

Releasing again rewrites a file only while it is as the last release wrote it (the digests
are kept in `.course-release.json`); a file edited since is kept unless `force`.
"""

import ast
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from course.graders.engine.declared import DeclaredCheck, GraderFileError, declared_checks
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise, load_manifest
from course.graders.kit.paths import grader_path, solution_path
from course.graders.notebooks.cells import (
    answer_grade_id,
    answer_header,
    check_call_source,
    check_grade_ids,
)

DEFAULT_COURSE_DIR = Path("nbgrader-course")
DEFAULT_ASSIGNMENT = "exercises"
CELL_TIMEOUT_SECONDS = 120
"""Seconds one notebook cell may run under nbgrader; each check keeps the engine's own limit."""
RECORD_NAME = ".course-release.json"
"""In the course directory: the digest of every file as the last release wrote it."""

_NBGRADER_SCHEMA = 3


@dataclass
class Release:
    """What one release did: each file's fate, and the exercises it left out."""

    files: dict[str, str] = field(default_factory=dict)
    """Path relative to the course directory -> written, updated, unchanged or kept (edited)."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Exercise name -> why it has no notebook."""


def release_course(
    course_dir: Path,
    assignment: str = DEFAULT_ASSIGNMENT,
    force: bool = False,
    exercises: list[Exercise] | None = None,
) -> Release:
    """Write nbgrader_config.py and source/<assignment>/<exercise>.ipynb under `course_dir`."""
    if not assignment or not assignment.replace("-", "").replace("_", "").isalnum():
        raise UserError(
            f"'{assignment}' cannot name an nbgrader assignment: use letters, digits, - and _."
        )
    if course_dir.exists() and not course_dir.is_dir():
        raise UserError(f"{course_dir} is a file, not a course directory.")
    release = Release()
    targets = {"nbgrader_config.py": nbgrader_config_text()}
    for exercise in exercises if exercises is not None else load_manifest():
        reason = _missing_reason(exercise)
        if reason:
            release.skipped[exercise.name] = reason
            continue
        notebook = exercise_notebook(
            exercise,
            solution_path(exercise.name).read_text(encoding="utf-8"),
            declared_checks(grader_path(exercise.name)),
        )
        targets[f"source/{assignment}/{exercise.name}.ipynb"] = _notebook_text(notebook)
    record_path = course_dir / RECORD_NAME
    record = _read_record(record_path)
    for relative, text in targets.items():
        release.files[relative] = _write_unless_edited(course_dir, relative, text, record, force)
    record_text = json.dumps(record, indent=1, sort_keys=True) + "\n"
    if not record_path.is_file() or record_path.read_text(encoding="utf-8") != record_text:
        record_path.write_text(record_text, encoding="utf-8")
    return release


def exercise_notebook(exercise: Exercise, solution_source: str, checks: list[DeclaredCheck]):
    """The source notebook of one exercise (an nbformat NotebookNode)."""
    import nbformat.v4 as nbf  # slow to import: only when a notebook is built

    explanation, code = _split_docstring(solution_source)
    cells = [
        nbf.new_markdown_cell(_explanation_markdown(exercise, explanation, checks)),
        nbf.new_code_cell(f"{answer_header(exercise.name)}\n{code}"),
        *(nbf.new_code_cell(_test_cell_source(exercise, check)) for check in checks),
    ]
    grade_ids = [f"{exercise.name}-explanation", answer_grade_id(exercise.name)]
    grade_ids += check_grade_ids(exercise.name, checks)
    for index, (cell, grade_id) in enumerate(zip(cells, grade_ids)):
        cell["id"] = f"cell-{index}"  # fixed ids: releasing twice writes the same bytes
        cell.metadata["nbgrader"] = {
            "grade": False,
            "grade_id": grade_id,
            "locked": True,
            "schema_version": _NBGRADER_SCHEMA,
            "solution": False,
        }
    cells[1].metadata["nbgrader"].update(locked=False, solution=True)
    for cell, check in zip(cells[2:], checks):
        cell.metadata["nbgrader"].update(grade=True, points=check.points)
    return nbf.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )


def nbgrader_config_text() -> str:
    """The course directory's nbgrader_config.py."""
    return f'''"""nbgrader settings for the course kit's exercises, written by `course release`.

`course release` rewrites this file only while it is as the last release wrote it: once you
edit it (course id, exchange folder, ...), your version is kept.
"""

from course.graders.notebooks.autograde import autograde_preprocessors

c = get_config()  # noqa: F821 - nbgrader defines it

# Seconds one cell may run when nbgrader executes a notebook: a loop in a student's cell is
# stopped there and the rest of the notebook still runs. Each check also keeps the engine's
# own limit (check_timeout in the kit's manifest), as in `course grade`.
c.ExecutePreprocessor.timeout = {CELL_TIMEOUT_SECONDS}

# The kit's test cells are scored by its engine outside the student's kernel, right after the
# notebook ran (course/graders/notebooks/autograde.py).
c.Autograde.autograde_preprocessors = autograde_preprocessors()
'''


def _missing_reason(exercise: Exercise) -> str | None:
    for path, what in (
        (solution_path(exercise.name), "solution"),
        (grader_path(exercise.name), "grader"),
    ):
        if not path.is_file():
            return f"its {what} file {path.parent.name}/{path.name} does not exist yet"
    try:
        checks = declared_checks(grader_path(exercise.name))
    except (GraderFileError, SyntaxError) as error:
        return f"its grader file cannot be read ({error})"
    return None if checks else "its grader file declares no checks yet"


def _split_docstring(source: str) -> tuple[str, str]:
    """(the module docstring, the code after it)."""
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree) or ""
    if not docstring:
        return "", source
    lines = source.splitlines(keepends=True)
    return docstring, "".join(lines[tree.body[0].end_lineno :]).lstrip("\n")


def _explanation_markdown(exercise: Exercise, explanation: str, checks: list[DeclaredCheck]) -> str:
    visible = [check for check in checks if not check.hidden]
    hidden = [check for check in checks if check.hidden]
    total = sum(check.points for check in checks)
    if hidden:
        checks_line = (
            f"{len(visible)} visible checks ({sum(c.points for c in visible)} points) run when "
            f"you run their cells, before you submit. {len(hidden)} hidden checks "
            f"({sum(c.points for c in hidden)} points) run only when your submission is graded: "
            "their code is removed from your copy. Passing every visible check is not full marks."
        )
    else:
        checks_line = (
            f"All {len(checks)} checks ({total} points) are visible: run them before you submit."
        )
    forbidden = ", ".join(f"`{name}`" for name in exercise.forbidden)
    forbidden_line = (
        f"- Code that uses {forbidden} earns nothing: that is PyTorch's own version of the exercise.\n"
        if forbidden
        else ""
    )
    return (
        f"# {exercise.title}\n\n"
        f"*{exercise.topic} · course notes {exercise.notes_section} · {total} points*\n\n"
        f"{explanation}\n\n"
        "## How this notebook is graded\n\n"
        f"- Write your code in the answer cell, in place of each `raise NotImplementedError()`. "
        f"The cell is graded as one Python file, `{exercise.name}.py`: keep its first line, keep "
        "all your code for this exercise in it, and write plain Python (no `%` magics).\n"
        "- Each test cell below is one check of the kit's grader, the same as "
        f"`course grade {exercise.name}`, run on your answer cell in a separate process. "
        "Run the answer cell, then the test cells.\n"
        f"- {checks_line}\n"
        f"{forbidden_line}"
        f"- Each check may wait {exercise.check_timeout:g} s for your code unless it says more, and "
        f"a cell that runs longer than {CELL_TIMEOUT_SECONDS} s is stopped when the notebook is graded.\n"
    )


def _test_cell_source(exercise: Exercise, check: DeclaredCheck) -> str:
    call = check_call_source(exercise.name, check.name)
    if check.hidden:
        return (
            f"# A hidden check worth {_points(check.points)}: its code is removed from your copy\n"
            "# and it runs when your submission is graded.\n"
            "### BEGIN HIDDEN TESTS\n"
            f"# {check.description}\n"
            f"{call}"
            "### END HIDDEN TESTS\n"
        )
    return f"# Check ({_points(check.points)}): {check.description}\n{call}"


def _notebook_text(notebook) -> str:
    import nbformat

    return nbformat.writes(notebook) + "\n"


def _write_unless_edited(
    course_dir: Path, relative: str, text: str, record: dict[str, str], force: bool
) -> str:
    """Write one file unless it was edited since the last release; return what happened."""
    path = course_dir / relative
    digest = hashlib.sha256(text.encode()).hexdigest()
    if path.is_file():
        current = path.read_bytes()
        if current == text.encode():
            record[relative] = digest
            return "unchanged"
        if not force and record.get(relative) != hashlib.sha256(current).hexdigest():
            return "kept"
        status = "updated"
    else:
        status = "written"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    record[relative] = digest
    return status


def _read_record(path: Path) -> dict[str, str]:
    """The digests of the last release; none if unreadable, so no existing file is replaced."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _points(points: int) -> str:
    return f"{points} point" if points == 1 else f"{points} points"
