"""Grading from outside: run the grader files in a child pytest process and fail closed.

The CLI calls `grade_exercises`. It never imports torch: pytest, the graders and the
learner processes do. Every check a grader file declares is in the result; a check whose
result did not come back (a crash, a time-out, a forged report) earned nothing.
"""

import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from course.graders.engine.declared import declared_checks
from course.graders.engine.learner import TORCH_IMPORT_SECONDS
from course.graders.engine.manifest import Exercise
from course.graders.engine.paths import GRADERS_DIR, MANIFEST_PATH, grader_path

NOT_REPORTED = "This check's result did not come back from the grader, so it earns nothing."
TAMPERED = (
    "The kit's own grader files changed while your code ran ({files}), so no result of this "
    "run can be trusted and it earns nothing. Reinstall the kit (pip install --force-reinstall)."
)


@dataclass
class CheckResult:
    """The verdict of one check."""

    name: str
    description: str
    points: int
    passed: bool
    message: str
    seconds: float

    @property
    def earned(self) -> int:
        return self.points if self.passed else 0


@dataclass
class ExerciseResult:
    """The verdicts of every check of one exercise."""

    exercise: str
    checks: list[CheckResult]

    @property
    def earned(self) -> int:
        return sum(check.earned for check in self.checks)

    @property
    def total(self) -> int:
        return sum(check.points for check in self.checks)

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def to_json(self) -> dict:
        return {
            "exercise": self.exercise,
            "earned": self.earned,
            "total": self.total,
            "passed": self.passed,
            "checks": [asdict(check) for check in self.checks],
        }


def grade_exercises(
    workspace: Path, exercises: list[Exercise], impl: Path | None = None, data: Path | None = None
) -> list[ExerciseResult]:
    """Grade `exercises` of `workspace` (or the single file `impl`) in one pytest process.

    `data`: the dataset folder for checks that evaluate a trained model (`--data` of the CLI).
    """
    workspace, impl = Path(workspace), (Path(impl) if impl else None)
    declared = {
        exercise.name: declared_checks(grader_path(exercise.name)) for exercise in exercises
    }
    time_limit = TORCH_IMPORT_SECONDS + sum(
        (check.timeout or exercise.check_timeout) + exercise.check_timeout
        for exercise in exercises
        for check in declared[exercise.name]
    )
    fingerprint = grader_fingerprint()
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch:
        report_path = Path(scratch) / "report.json"
        # absolute: the grading process runs in its own scratch folder
        target = (
            ["--impl", str(impl.resolve())] if impl else ["--workspace", str(workspace.resolve())]
        )
        if data is not None:
            target += ["--data", str(Path(data).expanduser().resolve())]
        nonce = secrets.token_hex(16)
        returncode, log_tail = _run_pytest(
            [str(grader_path(exercise.name)) for exercise in exercises]
            + target
            + ["--report", str(report_path)],
            nonce,
            Path(scratch),
            time_limit,
        )
        reported = _read_report(report_path, nonce)
    fallback = NOT_REPORTED
    after = grader_fingerprint()
    changed = sorted(
        name
        for name in fingerprint.keys() | after.keys()
        if fingerprint.get(name) != after.get(name)
    )
    if changed:
        reported, fallback = {}, TAMPERED.format(files=", ".join(changed[:3]))
    elif not reported:
        fallback += f" (the grading process ended with {returncode}.{log_tail})"
    return [_merge(exercise, declared[exercise.name], reported, fallback) for exercise in exercises]


def grader_fingerprint() -> dict[str, str]:
    """A digest of every file the verdicts depend on: grader files, engine, manifest."""
    files = [MANIFEST_PATH, *sorted(GRADERS_DIR.rglob("*.py")), *sorted(GRADERS_DIR.glob("*.ini"))]
    return {
        str(path.relative_to(GRADERS_DIR.parent)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in files
        if path.is_file()
    }


def _run_pytest(args: list[str], nonce: str, scratch: Path, time_limit: float) -> tuple[int, str]:
    """Run pytest with output to a file (not a pipe a stray process could hold open)."""
    nonce_read, nonce_write = os.pipe()
    os.write(nonce_write, nonce.encode())
    os.close(nonce_write)
    log_path = scratch / "pytest.log"
    command = [sys.executable, "-m", "pytest", "-q", "--no-header", "-p", "no:randomly"]
    command += args + ["--nonce-fd", str(nonce_read)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            pass_fds=(nonce_read,),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=scratch,
            start_new_session=True,
        )
    os.close(nonce_read)
    try:
        returncode = process.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        returncode = f"a time-out after {time_limit:g} s"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
    tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
    return returncode, ("\n" + "\n".join(tail)) if tail else ""


def _read_report(path: Path, nonce: str) -> dict:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(report, dict) or report.get("nonce") != nonce:
        return {}
    return report.get("exercises", {})


def _merge(exercise: Exercise, declared: list, reported: dict, fallback: str) -> ExerciseResult:
    by_name = {}
    for entry in reported.get(exercise.name, []):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            by_name[entry["name"]] = entry
    checks = []
    for declared_check in declared:
        entry = by_name.get(declared_check.name)
        passed = bool(entry and entry.get("passed") is True)
        message = fallback if entry is None else str(entry.get("message", ""))
        checks.append(
            CheckResult(
                name=declared_check.name,
                description=declared_check.description,
                points=declared_check.points,
                passed=passed,
                message="" if passed else message,
                seconds=float(entry.get("seconds", 0.0)) if entry else 0.0,
            )
        )
    return ExerciseResult(exercise.name, checks)
