"""A student's Gradescope upload, found and staged as a course workspace.

Gradescope puts what the student uploaded in <root>/submission/. For each exercise the
first of these that exists is graded:
    exercises/<name>.py     the workspace's folder (e.g. a GitHub upload of the workspace)
    <name>.py               the file itself
    <name>.ipynb            the released notebook: its answer cell(s), by the cell protocol
An exercise that trains (its manifest entry names a trainer) also takes what `course train`
saved: runs/<name>/, else the other files uploaded beside its code (model.pt2, ...).

The staged workspace holds a file for every exercise of the manifest (the upload, else the
untouched stub), so an exercise that imports another one's code finds it as under
`course grade` in a workspace that `course init` made.
"""

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from course.graders.kit.manifest import Exercise
from course.graders.kit.stubs import pristine_stub
from course.graders.kit.workspace import EXERCISES_FOLDER, RUNS_FOLDER, exercise_file, run_folder
from course.graders.notebooks.cells import answer_grade_id, answer_header, is_answer_source

NOTHING_UPLOADED = (
    "Your submission has no {name}.py, so this check earns nothing. Upload {name}.py (your "
    "workspace's exercises/{name}.py), the exercises/ folder, or the notebook {name}.ipynb."
)
FOUND_ELSEWHERE = " It has {found}: upload the file itself (or the exercises/ folder), not a folder that holds it."
NO_ANSWER_CELL = (
    "{origin} has no answer cell of {name} (the cell that starts with '{header}'), so this "
    "check earns nothing. Upload the notebook you worked in, or {name}.py."
)
UNREADABLE_NOTEBOOK = (
    "{origin} is not a notebook that can be read ({error}), so this check earns nothing. "
    "Upload it again as Jupyter saved it, or upload {name}.py."
)
NOTEBOOK_SUFFIX = ".ipynb"


@dataclass(frozen=True)
class Upload:
    """The code a student uploaded for one exercise, and its training run's files."""

    source: bytes
    """The learner file's contents (for a notebook: its answer cells, as one file)."""
    origin: str
    """Where it came from, relative to the submission folder, e.g. `exercises/lstm_cell.py`."""
    run_files: tuple[Path, ...] = field(default=())
    """Files `course train` saved, for an exercise that trains; () otherwise."""


def find_uploads(
    submission: Path, exercises: list[Exercise]
) -> tuple[dict[str, Upload], dict[str, str]]:
    """({name: Upload} of the exercises found, {name: why nothing is graded} of the rest)."""
    uploads, missing = {}, {}
    for exercise in exercises:
        found = _find(Path(submission), exercise)
        if isinstance(found, Upload):
            uploads[exercise.name] = found
        else:
            missing[exercise.name] = found
    return uploads, missing


def stage_workspace(folder: Path, uploads: dict[str, Upload], manifest: list[Exercise]) -> Path:
    """folder/exercises/<name>.py for every exercise (the upload, else the untouched stub) and
    each upload's run files in folder/runs/<name>/; returns folder."""
    (folder / EXERCISES_FOLDER).mkdir(parents=True, exist_ok=True)
    for exercise in manifest:
        upload = uploads.get(exercise.name)
        target = exercise_file(folder, exercise.name)
        if upload is None:
            target.write_text(pristine_stub(exercise.name), encoding="utf-8")
            continue
        target.write_bytes(upload.source)
        if upload.run_files:
            run = run_folder(folder, exercise.name)
            run.mkdir(parents=True, exist_ok=True)
            for path in upload.run_files:
                shutil.copyfile(path, run / path.name)
    return folder


def _find(submission: Path, exercise: Exercise) -> Upload | str:
    """The exercise's Upload, or the message saying what was expected."""
    name = exercise.name
    for path in (
        submission / EXERCISES_FOLDER / f"{name}.py",
        submission / f"{name}.py",
        submission / f"{name}{NOTEBOOK_SUFFIX}",
    ):
        if not path.is_file():
            continue
        origin = path.relative_to(submission).as_posix()
        if path.suffix == NOTEBOOK_SUFFIX:
            source = _answer_cells(path, name, origin)
            if isinstance(source, str):
                return source
        else:
            source = path.read_bytes()
        run_files = _run_files(submission, path, name) if exercise.trainer else ()
        return Upload(source, origin, run_files)
    deeper = sorted(
        path.relative_to(submission).as_posix()
        for pattern in (f"{name}.py", f"{name}{NOTEBOOK_SUFFIX}")
        for path in submission.rglob(pattern)
    )
    message = NOTHING_UPLOADED.format(name=name)
    return message + FOUND_ELSEWHERE.format(found=", ".join(deeper[:3])) if deeper else message


def _answer_cells(notebook: Path, name: str, origin: str) -> bytes | str:
    """The notebook's answer cells of `name` as one file, or the message saying why not."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources = [
            _cell_source(cell)
            for cell in cells
            if cell.get("cell_type") == "code" and _is_answer_cell(cell, name)
        ]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as error:
        return UNREADABLE_NOTEBOOK.format(origin=origin, error=error, name=name)
    if not sources:
        return NO_ANSWER_CELL.format(origin=origin, name=name, header=answer_header(name))
    return "\n\n".join(sources).encode("utf-8")


def _is_answer_cell(cell: dict, name: str) -> bool:
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return grade_id == answer_grade_id(name) or is_answer_source(_cell_source(cell), name)


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _run_files(submission: Path, code: Path, name: str) -> tuple[Path, ...]:
    """What `course train` saved: runs/<name>/ if uploaded, else the files beside the code."""
    saved = submission / RUNS_FOLDER / name
    folder = saved if saved.is_dir() else code.parent
    return tuple(
        sorted(
            path
            for path in folder.iterdir()
            if path.is_file() and path.suffix not in (".py", NOTEBOOK_SUFFIX)
        )
    )
