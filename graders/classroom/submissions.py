"""Each student's submission, whatever layout the instructor downloaded.

Layouts (SUBMISSIONS is the folder given to `course grade-class`):
    SUBMISSIONS/<student>/<name>.py              one folder per student (or .../exercises/<name>.py)
    SUBMISSIONS/<student>.zip                    an LMS download, the same files inside
    SUBMISSIONS/[submitted/]<student>/<assignment>/<name>.ipynb   nbgrader's collected notebooks:
                                                 the answer cell found by its grade id
An exercise that trains may come with its run folder (`runs/<name>/`), as `course train` saves it.
Anything unreadable is a problem of that student's, never of the run.
"""

import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from course.graders.kit.manifest import Exercise
from course.graders.kit.workspace import EXERCISES_FOLDER, RUNS_FOLDER, exercise_file
from course.graders.notebooks.cells import exercise_of_answer

MAX_FILE_BYTES = 64 * 2**20
"""A file larger than this in a submission is refused (a run's model is a few MB)."""
MAX_SUBMISSION_BYTES = 256 * 2**20
"""What one student's files may hold together; the rest is refused, said in their problems."""
MAX_ID_LENGTH = 80


@dataclass
class Submission:
    """One student's files: source per exercise, the files of their training runs."""

    student: str
    sources: dict[str, str] = field(default_factory=dict)
    """Exercise name -> the learner's code for it."""
    runs: dict[str, bytes] = field(default_factory=dict)
    """'<exercise>/<file>' -> bytes, for exercises that train."""
    problems: list[str] = field(default_factory=list)
    """What could not be read, in words for the instructor and the student."""
    from_nbgrader: tuple[str, str] | None = None
    """(course folder, assignment) when the submission came from nbgrader's submitted/."""

    def digest(self) -> str:
        """A digest of everything graded: same files, same digest."""
        content = hashlib.sha256()
        for name, source in sorted(self.sources.items()):
            content.update(f"source\0{name}\0{source}\0".encode())
        for name, data in sorted(self.runs.items()):
            content.update(f"run\0{name}\0".encode() + hashlib.sha256(data).digest())
        return content.hexdigest()

    def stage(self, workspace: Path) -> None:
        """Write the files as a workspace (exercises/<name>.py, runs/<name>/...), readable by
        the sandbox's users and by nobody else's code but theirs."""
        (workspace / EXERCISES_FOLDER).mkdir(parents=True)
        for name, source in self.sources.items():
            exercise_file(workspace, name).write_text(source, encoding="utf-8")
        for relative, data in self.runs.items():
            target = workspace / RUNS_FOLDER / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for path in [workspace, *workspace.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def find_submissions(folder: Path, exercises: list[Exercise]) -> list[Submission]:
    """Every student's submission in `folder`, sorted by student id. Whatever one student's
    files hold, it is that student's problem: it never stops the others."""
    folder = Path(folder)
    wanted = _Wanted({e.name for e in exercises}, {e.name for e in exercises if e.trainer})
    nbgrader_root = folder / "submitted" if (folder / "submitted").is_dir() else None
    found = []
    for entry in sorted((nbgrader_root or folder).iterdir()):
        if entry.name.startswith(".") or not (entry.is_dir() or entry.suffix == ".zip"):
            continue
        try:
            if entry.is_symlink():
                found.append(
                    _unreadable(entry, "it is a symbolic link, not the student's own files")
                )
            elif entry.is_dir() and nbgrader_root is not None:
                found.append(_from_nbgrader(entry, wanted, folder))
            elif entry.is_dir():
                found.append(_from_files(entry.name, _folder_files(entry, wanted), wanted))
            else:
                found.append(_from_zip(entry, wanted))
        except Exception as error:  # noqa: BLE001 - a malformed upload: that student's problem
            found.append(_unreadable(entry, f"{type(error).__name__}: {error}"))
    return _one_per_student(found)


@dataclass(frozen=True)
class _Wanted:
    """Which files of a submission are read: exercise sources, notebooks, and the run files of
    exercises that train (nothing else is read at all)."""

    names: set[str]
    trainers: set[str]

    def reads(self, relative: str) -> bool:
        path = PurePosixPath(relative)
        parts = path.parts
        if RUNS_FOLDER in parts[:-1]:
            index = parts.index(RUNS_FOLDER)
            return len(parts) == index + 3 and parts[index + 1] in self.trainers
        return path.suffix == ".ipynb" or (path.suffix == ".py" and path.stem in self.names)


def _unreadable(entry: Path, why: str) -> Submission:
    return Submission(student_id(entry.stem if entry.suffix == ".zip" else entry.name),
                      problems=[safe_text(f"{entry.name} could not be graded: {why}")])  # fmt: skip


def safe_text(text: str) -> str:
    """`text` with anything that is not valid Unicode (a file name's stray bytes) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _one_per_student(found: list[Submission]) -> list[Submission]:
    """The first submission of each student id; a second one (a folder and a zip of the same
    name) is left out and said in the first's problems."""
    kept: dict[str, Submission] = {}
    for submission in found:
        if submission.student in kept:
            kept[submission.student].problems.append(
                "a second submission under the same name was left out (a folder and a zip?)"
            )
        else:
            kept[submission.student] = submission
    return list(kept.values())


def student_id(name: str) -> str:
    """A student id safe as a file name: letters, digits, '.', '_', '-', '@', at most
    MAX_ID_LENGTH characters. A name that had to change keeps a digest of the original, so two
    names never become the same id ('alice smith' and 'alice_smith' stay two students)."""
    safe = re.sub(r"[^\w.@-]", "_", name).strip(".") or "_"
    if safe == name and len(name) <= MAX_ID_LENGTH:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{safe[: MAX_ID_LENGTH - 9]}-{digest}"


def _folder_files(folder: Path, wanted: _Wanted) -> dict[str, bytes | str]:
    """Relative path -> bytes, or -> a problem in words, for the files `wanted` reads."""
    sizes = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if wanted.reads(relative) and path.is_file() and not path.is_symlink():
            sizes[relative] = path.stat().st_size
    return _within_limits(sizes, lambda relative: (folder / relative).read_bytes())


def _within_limits(sizes: dict[str, int], read) -> dict[str, bytes | str]:
    """Each file read by `read(relative)`, unless it or the whole is over the limits."""
    files: dict[str, bytes | str] = {}
    total = 0
    for relative, size in sizes.items():
        if size > MAX_FILE_BYTES:
            files[relative] = f"{relative} is larger than {MAX_FILE_BYTES // 2**20} MB"
        elif total + size > MAX_SUBMISSION_BYTES:
            files[relative] = (
                f"{relative} is past the {MAX_SUBMISSION_BYTES // 2**20} MB a submission may hold"
            )
        else:
            try:
                files[relative] = read(relative)
                total += size
            except OSError as error:
                files[relative] = f"{relative} could not be read ({error.strerror})"
    return files


def _from_zip(path: Path, wanted: _Wanted) -> Submission:
    student = path.stem
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {
                info.filename: info
                for info in archive.infolist()
                if not info.is_dir()
                and ".." not in PurePosixPath(info.filename).parts
                and wanted.reads(info.filename)
            }
            sizes = {name: info.file_size for name, info in infos.items()}
            files = _within_limits(sizes, lambda name: archive.read(infos[name])[:MAX_FILE_BYTES])
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, zlib.error) as error:
        return Submission(
            student_id(student),
            problems=[safe_text(f"{path.name} is not a readable zip file ({error})")],
        )
    return _from_files(student, files, wanted)


def _from_files(student: str, files: dict[str, bytes | str], wanted: _Wanted) -> Submission:
    """Exercise sources and run files from a student's file tree (a folder or a zip)."""
    submission = Submission(student_id(student))
    names = wanted.names
    for relative, content in files.items():
        parts = PurePosixPath(relative).parts
        if isinstance(content, str):
            submission.problems.append(safe_text(content))
            continue
        if RUNS_FOLDER in parts[:-1]:  # .../runs/<exercise>/<file>, an exercise that trains
            index = parts.index(RUNS_FOLDER)
            submission.runs[f"{parts[index + 1]}/{parts[-1]}"] = content
            continue
        stem, suffix = PurePosixPath(relative).stem, PurePosixPath(relative).suffix
        if suffix == ".py" and stem in names:
            _add_source(submission, stem, content, relative)
        elif suffix == ".ipynb":
            for name, source in _answer_cells(content, relative, submission.problems).items():
                if name in names:
                    submission.sources.setdefault(name, source)
    return submission


def _add_source(submission: Submission, name: str, content: bytes, relative: str) -> None:
    try:
        source = content.decode("utf-8")
    except UnicodeDecodeError:
        submission.problems.append(safe_text(f"{relative} is not UTF-8 text"))
        return
    if name in submission.sources:
        submission.problems.append(safe_text(f"{name}.py appears twice; {relative} was ignored"))
        return
    submission.sources[name] = source


def _from_nbgrader(student_folder: Path, wanted: _Wanted, course: Path) -> Submission:
    """nbgrader's submitted/<student>/<assignment>/*.ipynb (one assignment per student)."""
    assignments = sorted(path for path in student_folder.iterdir() if path.is_dir())
    if not assignments:
        return Submission(student_id(student_folder.name), problems=["no assignment folder"])
    submission = _from_files(student_folder.name, _folder_files(assignments[0], wanted), wanted)
    submission.from_nbgrader = (str(course), assignments[0].name)
    if len(assignments) > 1:
        submission.problems.append(
            f"several assignments ({', '.join(a.name for a in assignments)}): graded "
            f"{assignments[0].name} only"
        )
    return submission


def _answer_cells(content: bytes, relative: str, problems: list[str]) -> dict[str, str]:
    """Exercise -> source of its answer cell(s) in a notebook, by grade id."""
    try:
        notebook = json.load(io.BytesIO(content))
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError, RecursionError):
        problems.append(safe_text(f"{relative} is not a readable notebook"))
        return {}
    answers: dict[str, list[str]] = {}
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        metadata = cell.get("metadata")
        nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        grade_id = nbgrader.get("grade_id", "") if isinstance(nbgrader, dict) else ""
        exercise = exercise_of_answer(grade_id) if isinstance(grade_id, str) else None
        if exercise:
            source = cell.get("source", "")
            answers.setdefault(exercise, []).append(
                "".join(source) if isinstance(source, list) else str(source)
            )
    return {name: "\n\n".join(parts) for name, parts in answers.items()}
