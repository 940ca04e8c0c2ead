"""pytest hooks for grader files, in lifecycle order.

Options: `--impl PATH` grades one implementation file with the given grader files;
`--workspace DIR` grades DIR/exercises/<name>.py with graders/test_<name>.py; `--data DIR`
is the dataset folder of exercises that declare one (fixture `dataset_folder`), and the
fixture `run_folder` is where `course train` saved an exercise's run. With
`--report-fd FD` the results are written to that pipe at the end, signed with the key read
from `--key-fd` (report.py), so a report forged by learner code is not taken for ours.
Learner processes start before pytest does when grading_process.py runs it (`course grade`),
else at configure time: either way their torch import overlaps ours.
"""

import os
import time
from pathlib import Path

import pytest

from course.graders.engine import signed_report
from course.graders.engine.checks import (  # noqa: F401 - check re-exported
    PASS_NOTE,
    check,
    register_check_marker,
)
from course.graders.engine.grading_process import GRADING_OPTIONS, grader_files, start_learner
from course.graders.engine.learner.limits import (
    become_subreaper,
    keep_memory_private,
    kill_all_descendants,
)
from course.graders.engine.learner.process import LearnerFailure, LearnerProcess
from course.graders.engine.stop_detection import STOPPED, StopWatch, keep_parent_running
from course.graders.kit.paths import exercise_of_grader
from course.graders.kit.workspace import run_folder, workspace_of


class LearnersStartedEarly:
    """The learner processes grading_process.py started before pytest, by exercise name."""

    def __init__(self, learners: dict[str, LearnerProcess]):
        self.learners = learners


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("course", "course kit grading")
    for name, settings in GRADING_OPTIONS.items():
        group.addoption(name, **settings)


def pytest_configure(config: pytest.Config) -> None:
    register_check_marker(config)
    key_fd, report_fd = config.getoption("key_fd"), config.getoption("report_fd")
    if (key_fd is None) != (report_fd is None):
        raise pytest.UsageError("--report-fd and --key-fd go together")
    config.course_key = _read_key(key_fd) if key_fd is not None else None
    if report_fd is not None:
        os.set_inheritable(report_fd, False)  # no learner process may hold the report pipe
        config.course_stops = StopWatch().start()
        keep_parent_running()  # `course grade`, whose stop would otherwise stall the run
    config.course_results = {}
    config.course_learners = {}
    keep_memory_private()
    become_subreaper()
    for started in config.pluginmanager.get_plugins():
        if isinstance(started, LearnersStartedEarly):
            config.course_learners.update(started.learners)
    if config.getoption("impl") is None and config.getoption("workspace") is None:
        return
    for grader_file in grader_files(config.args):
        exercise_name = exercise_of_grader(grader_file)
        if exercise_name not in config.course_learners:
            config.course_learners[exercise_name] = start_learner(exercise_name, config.option)


@pytest.fixture(scope="module")
def learner_process(request: pytest.FixtureRequest) -> LearnerProcess:
    """The learner process serving this grader file's exercise."""
    learners = request.config.course_learners
    exercise_name = exercise_of_grader(request.module.__file__)
    if exercise_name not in learners:
        if (
            request.config.getoption("impl") is None
            and request.config.getoption("workspace") is None
        ):
            raise pytest.UsageError("grader files need --impl FILE or --workspace DIR")
        learners[exercise_name] = start_learner(exercise_name, request.config.option)
    return learners[exercise_name]


class LearnerForOneCheck:
    """What a check sees: runs probes in the learner process within the check's time limit."""

    def __init__(self, process: LearnerProcess, seconds: float):
        self._process = process
        self._seconds = seconds
        self._deadline: float | None = None

    def run(self, probe, *args, **kwargs) -> object:
        """`probe(learner_module, *args, **kwargs)`, run in the learner process."""
        self._process.ensure_ready()
        if self._deadline is None:
            self._deadline = time.monotonic() + self._seconds
        return self._process.run(probe, args, kwargs, self._deadline)


@pytest.fixture
def learner(request: pytest.FixtureRequest, learner_process: LearnerProcess) -> LearnerForOneCheck:
    """The learner's exercise, for one check."""
    marker = request.node.get_closest_marker("check")
    timeout = marker.kwargs.get("timeout") if marker else None
    return LearnerForOneCheck(learner_process, timeout or learner_process.exercise.check_timeout)


@pytest.fixture(scope="module")
def run_folder_of_exercise(request: pytest.FixtureRequest) -> Path:
    """Where `course train` saved this grader file's exercise: <workspace>/runs/<name>/
    (with --impl FILE, the workspace holding FILE)."""
    config = request.config
    workspace = config.getoption("workspace")
    if workspace is None and config.getoption("impl") is None:
        raise pytest.UsageError("grader files need --impl FILE or --workspace DIR")
    root = Path(workspace) if workspace else workspace_of(Path(config.getoption("impl")))
    return run_folder(root, exercise_of_grader(request.module.__file__))


@pytest.fixture(scope="session")
def dataset_folder(pytestconfig: pytest.Config) -> Path | None:
    """The dataset folder given with --data, or None (the exercise's default location)."""
    data = pytestconfig.getoption("data")
    return Path(data) if data else None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call" or (report.failed and report.when == "setup"):
        exercise_name = exercise_of_grader(item.fspath)
        item.config.course_results.setdefault(exercise_name, []).append(
            {
                "name": item.name,
                "passed": report.passed,
                "message": _pass_note(report) if report.passed else _failure_message(report, call),
                "seconds": round(report.duration, 3),
            }
        )
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    for learner_process in config.course_learners.values():
        learner_process.close()
    kill_all_descendants()  # no learner code is alive while the verdicts are written
    report_fd = config.getoption("report_fd")
    if report_fd is not None:
        if config.course_stops.happened:
            for entry in (entry for results in config.course_results.values() for entry in results):
                entry.update(passed=False, message=STOPPED)
        with open(report_fd, "wb") as channel:
            channel.write(signed_report.sign(config.course_results, config.course_key))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    from course.graders.engine.declared import declared_checks
    from course.graders.kit.paths import grader_path

    for exercise_name, results in config.course_results.items():
        points = {c.name: c.points for c in declared_checks(grader_path(exercise_name))}
        earned = sum(points.get(r["name"], 0) for r in results if r["passed"])
        total = sum(points.values())
        terminalreporter.write_line(f"{exercise_name}: {earned}/{total} points")


def _pass_note(report: pytest.TestReport) -> str:
    """What a passed check measured, if its grader said (`record_property(PASS_NOTE, ...)`)."""
    return " ".join(str(value) for key, value in report.user_properties if key == PASS_NOTE)


def _failure_message(report: pytest.TestReport, call: pytest.CallInfo) -> str:
    if report.skipped:
        return "This check was skipped, so it earns nothing."
    from course.graders.engine.compare import CheckFailed  # imports torch: not at start-up

    error = call.excinfo.value if call.excinfo else None
    if isinstance(error, (CheckFailed, LearnerFailure)):
        return str(error)
    if isinstance(error, AssertionError):
        return f"Check failed: {error}"
    return (
        f"The grader could not finish this check ({type(error).__name__}: {error}); "
        "it earns nothing. If your code looks right, please report this."
    )


def _read_key(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 256):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode()
