"""An nbgrader course directory made from the kit: one notebook per exercise, and its config.

Each notebook is built from the repo's files, never by hand: the explanation from the
solution's module docstring and the manifest, one answer cell holding the solution's code
with its `### BEGIN SOLUTION` regions (nbgrader's `generate_assignment` clears them), and
one read-only test cell per check of the grader file, worth that check's points, with
hidden checks inside `### BEGIN HIDDEN TESTS`. Test cells call kernel_checks.py; at
autograde time autograde.py decides them from the engine. An exercise that builds on others
gets a cell that loads the student's answers to them from their notebooks (answers.py); one
that trains gets a training cell (training.py) that saves the run beside the notebook.

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
from course.graders.kit.training import load_trainer
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
    data_folder: Path | None = None,
) -> Release:
    """Write nbgrader_config.py and source/<assignment>/<exercise>.ipynb under `course_dir`;
    `data_folder`: the dataset autograde evaluates trained models on (nbgrader_config.py)."""
    if not assignment or not assignment.replace("-", "").replace("_", "").isalnum():
        raise UserError(
            f"'{assignment}' cannot name an nbgrader assignment: use letters, digits, - and _."
        )
    if course_dir.exists() and not course_dir.is_dir():
        raise UserError(f"{course_dir} is a file, not a course directory.")
    release = Release()
    if data_folder is not None and not Path(data_folder).expanduser().is_dir():
        raise UserError(f"--data {data_folder}: no such folder.")
    targets = {"nbgrader_config.py": nbgrader_config_text(data_folder)}
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
    cells = [  # (cell, its nbgrader metadata; None: a plain cell the student may edit)
        (
            nbf.new_markdown_cell(_explanation_markdown(exercise, explanation, checks)),
            _nbgrader_metadata(f"{exercise.name}-explanation"),
        )
    ]
    if exercise.builds_on:
        cells.append(
            (
                nbf.new_code_cell(_builds_on_cell_source(exercise)),
                _nbgrader_metadata(f"{exercise.name}-builds-on"),
            )
        )
    cells.append(
        (
            nbf.new_code_cell(f"{answer_header(exercise.name)}\n{code}"),
            _nbgrader_metadata(answer_grade_id(exercise.name), locked=False, solution=True),
        )
    )
    if exercise.trainer:
        cells.append((nbf.new_code_cell(_training_cell_source(exercise)), None))
    for check, grade_id in zip(checks, check_grade_ids(exercise.name, checks)):
        cells.append(
            (
                nbf.new_code_cell(_test_cell_source(exercise, check)),
                _nbgrader_metadata(grade_id, grade=True, points=check.points),
            )
        )
    for index, (cell, nbgrader) in enumerate(cells):
        cell["id"] = f"cell-{index}"  # fixed ids: releasing twice writes the same bytes
        if nbgrader:
            cell.metadata["nbgrader"] = nbgrader
    return nbf.new_notebook(
        cells=[cell for cell, _ in cells],
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )


def _nbgrader_metadata(grade_id: str, locked: bool = True, **fields) -> dict:
    """A cell's nbgrader metadata: read-only unless `locked` is False; `fields`: solution=True
    for an answer cell, grade=True and points for a test cell."""
    return {
        "grade": False,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": _NBGRADER_SCHEMA,
        "solution": False,
        **fields,
    }


def _builds_on_cell_source(exercise: Exercise) -> str:
    notebooks = " and ".join(f"{name}.ipynb" for name in exercise.builds_on)
    return (
        f"# {exercise.name} builds on your own answers: this cell loads the answer cells of\n"
        f"#     {notebooks}\n"
        "# from this folder, so that the answer cell below can import them. Save those notebooks\n"
        "# first, and run this cell again after you change them.\n"
        "from course.graders.notebooks.answers import load_builds_on\n\n"
        f'load_builds_on("{exercise.name}")\n'
    )


def _training_cell_source(exercise: Exercise) -> str:
    trainer = load_trainer(exercise)
    return (
        f"# Train your model: the same run as `course train {exercise.name}`, with a progress bar.\n"
        "# Run it once the checks below that need no trained model pass. It saves the run in\n"
        f"# runs/{exercise.name}/ beside this notebook: keep that folder, it is submitted with the\n"
        "# notebook, and grading evaluates the model saved there (grading never trains).\n"
        '# data=None downloads the dataset on first use; data="DIR" reads a copy you have.\n'
        f"# epochs: at most {trainer.MAX_EPOCHS} count.\n"
        "from course.graders.notebooks.training import train_in_notebook\n\n"
        f'train_in_notebook("{exercise.name}", data=None, epochs={trainer.DEFAULT_EPOCHS})\n'
    )


def nbgrader_config_text(data_folder: Path | None = None) -> str:
    """The course directory's nbgrader_config.py; `data_folder`: the dataset folder that
    autograde evaluates trained models on."""
    data_line = (
        f"c.EngineVerdicts.data_folder = {str(Path(data_folder).expanduser().resolve())!r}\n"
        if data_folder
        else '# c.EngineVerdicts.data_folder = "/path/to/dataset"  # `course release --data DIR`\n'
    )
    return f'''"""nbgrader settings for the course kit's exercises, written by `course release`.

`course release` rewrites this file only while it is as the last release wrote it: once you
edit it (course id, exchange folder, ...), your version is kept.
"""

import os
import sys
import warnings

from sqlalchemy.exc import SAWarning

from course.graders.notebooks.autograde import autograde_preprocessors

c = get_config()  # noqa: F821 - nbgrader defines it

# nbgrader runs `alembic` by name: the folder of the Python running nbgrader comes first on
# PATH, so nbgrader works run by its full path from an environment that is not activated.
os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])

# nbgrader's gradebook warns about its own database session on every autograde: noise that
# hides the kit's score lines (`<exercise>: N/M points from the kit's engine`).
warnings.filterwarnings("ignore", category=SAWarning)

# Each kernel logs a warning that it talks to nbgrader over unencrypted local TCP, once per
# notebook: only its errors reach the log. (A student's errors are in the cells' outputs.)
c.ExecutePreprocessor.extra_arguments = ["--IPKernelApp.log_level=ERROR"]

# Seconds one cell may run when nbgrader executes a notebook: a loop in a student's cell is
# stopped there and the rest of the notebook still runs. Each check also keeps the engine's
# own limit (check_timeout in the kit's manifest), as in `course grade`.
c.ExecutePreprocessor.timeout = {CELL_TIMEOUT_SECONDS}

# The kit's test cells are scored by its engine outside the student's kernel, right after the
# notebook ran (course/graders/notebooks/autograde.py).
c.Autograde.autograde_preprocessors = autograde_preprocessors()

# The dataset that submitted models are evaluated on (their test set), for exercises that
# train: autograde never trains, it evaluates the run each student submitted beside the notebook.
{data_line}'''


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
        f"{_builds_on_line(exercise)}"
        f"{_training_line(exercise)}"
        f"- Each check may wait {exercise.check_timeout:g} s for your code unless it says more, and "
        f"a cell that runs longer than {CELL_TIMEOUT_SECONDS} s is stopped when the notebook is graded.\n"
    )


def _builds_on_line(exercise: Exercise) -> str:
    if not exercise.builds_on:
        return ""
    notebooks = ", ".join(f"`{name}.ipynb`" for name in exercise.builds_on)
    return (
        f"- This exercise builds on your answers in {notebooks}: the cell before the answer cell "
        "loads their answer cells from this folder, and they are graded together with this "
        "notebook from the notebooks you submit. Finish and save those first.\n"
    )


def _training_line(exercise: Exercise) -> str:
    if not exercise.trainer:
        return ""
    return (
        "- Train in the training cell after the answer cell (the same run as "
        f"`course train {exercise.name}`). It saves the run in `runs/{exercise.name}/` beside "
        "this notebook: submit that folder with the notebook. Grading evaluates the saved model "
        "and never trains: without a saved run, the checks of the trained model earn nothing.\n"
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
