"""Grading from outside: run the grader files in a child grading process and fail closed.

The CLI calls `grade_exercises`. It never imports torch: the grading process (pytest and the
graders, grading_process.py) and the learner processes do. Every check a grader file
declares is in the result; a check whose result did not come back (a crash, a time-out, a
forged report) earned nothing. Once every check's result is in, the grading process is
stopped without waiting for its interpreter to shut down.
"""

import hashlib
import os
import secrets
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from course.graders.engine import signed_report
from course.graders.engine.declared import declared_checks
from course.graders.engine.foreign_files import foreign_files, planted_since
from course.graders.engine.learner.limits import (
    TORCH_IMPORT_SECONDS,
    keep_memory_private,
    kill_process_tree,
)
from course.graders.engine.learner.sandbox import unavailable_reason
from course.graders.engine.source_only_import import python_command
from course.graders.engine.stop_detection import STOPPED, StopWatch
from course.graders.kit.core_sharing import with_openmp_waiting
from course.graders.kit.manifest import Exercise
from course.graders.kit.paths import GRADERS_DIR, MANIFEST_PATH, grader_path

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

    @classmethod
    def from_json(cls, data: dict) -> "ExerciseResult":
        """The result that `to_json` wrote."""
        return cls(data["exercise"], [CheckResult(**check) for check in data["checks"]])


def grade_exercises(
    workspace: Path,
    exercises: list[Exercise],
    impl: Path | None = None,
    data: Path | None = None,
    isolated: bool | None = None,
    isolate_slot: int | None = None,
    fork: bool = False,
) -> list[ExerciseResult]:
    """Grade `exercises` of `workspace` (or the single file `impl`) in one pytest process.

    `data`: the dataset folder for checks that evaluate a trained model (`--data` of the CLI).
    `isolated`: run learner code in a sandbox (learner/sandbox.py); None: wherever this
    machine can. `isolate_slot`: sandboxed as that grading slot's own user (class grading).
    `fork`: start the grading process as a fork of this one instead of a fresh interpreter,
    for a caller that has pytest and torch imported already and no threads (warm_grader.py).
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
    keep_memory_private()  # the key below lives in this process too
    fingerprint, foreign = grader_fingerprint(), foreign_files()
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch:
        # absolute: the grading process runs in its own scratch folder
        target = (
            ["--impl", str(impl.resolve())] if impl else ["--workspace", str(workspace.resolve())]
        )
        if data is not None:
            target += ["--data", str(Path(data).expanduser().resolve())]
        if isolate_slot is not None:
            target += ["--sandbox", "--sandbox-slot", str(isolate_slot)]
        elif isolated or (isolated is None and unavailable_reason() is None):
            target += ["--sandbox"]
        key = secrets.token_hex(32)
        with StopWatch() as stops:
            returncode, log_tail, signed = _run_grading_process(
                [str(grader_path(exercise.name)) for exercise in exercises] + target,
                key,
                Path(scratch),
                time_limit,
                lambda signed: not _any_missing(declared, signed_report.open_signed(signed, key)),
                stops,
                fork,
            )
    reported = signed_report.open_signed(signed, key)
    fallback = NOT_REPORTED
    after = grader_fingerprint()
    changed = sorted(
        name
        for name in fingerprint.keys() | after.keys()
        if fingerprint.get(name) != after.get(name)
    ) + planted_since(foreign)
    if changed:
        reported, fallback = {}, TAMPERED.format(files=", ".join(changed[:3]))
    elif stops.happened:
        reported, fallback = {}, STOPPED
    elif _any_missing(declared, reported):
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


def _run_grading_process(
    args: list[str],
    key: str,
    scratch: Path,
    time_limit: float,
    complete: Callable[[bytes | None], bool],
    stops: StopWatch,
    fork: bool = False,
) -> tuple[int | str | None, str, bytes | None]:
    """Run the grading process (grading_process.py) with output to a file (not a pipe a
    stray process could hold open), in the scratch folder, which is its temporary folder
    too: what learner processes write into their own working folder or the temporary one is
    removed with it, however the run ends. It runs until it wrote a report that is
    `complete` (then it is stopped at once, without waiting for a torch-laden interpreter to
    shut down) or ended.

    Returns its exit code (or why it was stopped; None: stopped after a complete report), the
    last lines of its output, and the signed report it wrote. `key` reaches it through a
    pipe, never through the disk. A stop of this process or of the grading process (`stops`)
    ends it at once: stop_detection.py.
    """
    key_read, key_write = os.pipe()
    os.write(key_write, key.encode())
    os.close(key_write)
    report_read, report_write = os.pipe()
    log_path = scratch / "pytest.log"
    arguments = [*args, "--key-fd", str(key_read), "--report-fd", str(report_write)]
    with open(log_path, "wb") as log:
        if fork:
            process = _ForkedGrading(arguments, log.fileno(), scratch, (key_read, report_write))
        else:
            process = subprocess.Popen(
                python_command("course.graders.engine.grading_process") + arguments,
                pass_fds=(key_read, report_write),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=scratch,
                env=with_openmp_waiting({**os.environ, "TMPDIR": str(scratch)}),  # learners' too
                start_new_session=True,
            )
    os.close(key_read)
    os.close(report_write)
    stops.watch(process.pid)
    deadline = time.monotonic() + time_limit
    try:
        signed = signed_report.collect(report_read, process, deadline, lambda: stops.happened)
        returncode = None
        if stops.happened:
            returncode = "a stop"
        elif not complete(signed):  # then how it ended tells why
            returncode = process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        returncode = f"a time-out after {time_limit:g} s"
    finally:
        os.close(report_read)
        kill_process_tree(process.pid)  # learner processes included, stopped ones too
        process.wait()
    tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
    return returncode, ("\n" + "\n".join(tail)) if tail else "", signed


class _ForkedGrading:
    """The grading process as a fork of this (warm) process: what Popen gives, for what
    grading uses."""

    def __init__(self, args: list[str], log_fd: int, cwd: Path, keep_fds: tuple[int, ...]):
        self.pid = os.fork()
        if self.pid == 0:
            code = 70  # anything below that escapes: a crash of the grading process
            try:
                os.setsid()
                os.chdir(cwd)
                os.environ["TMPDIR"] = str(cwd)  # learner processes' too
                tempfile.tempdir = None  # read TMPDIR again
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                os.dup2(log_fd, 1)
                os.dup2(log_fd, 2)
                bounds = [2, *sorted(keep_fds), os.sysconf("SC_OPEN_MAX")]
                for low, high in zip(bounds, bounds[1:]):
                    os.closerange(low + 1, high)  # all but stdio and the two pipes
                from course.graders.engine.grading_process import run

                code = run(args)
            finally:
                os._exit(int(code))
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired("grading process", timeout)
            time.sleep(0.01)
        return self.returncode


def _any_missing(declared: dict[str, list], reported: dict) -> bool:
    """Whether some declared check has no entry in the report."""
    for exercise_name, checks in declared.items():
        entries = reported.get(exercise_name, [])
        names = {entry.get("name") for entry in entries if isinstance(entry, dict)}
        if any(check.name not in names for check in checks):
            return True
    return False


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
                message=message,  # a passed check's: what it measured, or ""
                seconds=float(entry.get("seconds", 0.0)) if entry else 0.0,
            )
        )
    return ExerciseResult(exercise.name, checks)
