"""The grading process starts the learner processes before it imports pytest and torch, so
one grade pays torch's import about once in wall time (graders/engine/grading_process.py);
the grader files still run under plain pytest; grade.py stops it once its report holds every
check, without waiting for its interpreter to shut down."""

import subprocess
import sys
import time

import pytest

from course.graders.engine import grade, signed_report
from course.graders.engine.declared import declared_checks
from course.graders.engine.stop_detection import StopWatch
from course.graders.kit.paths import grader_path, solution_path

EXERCISE = "lstm_cell"


def test_what_starts_the_learners_imports_neither_pytest_nor_torch():
    imported = subprocess.run(
        [sys.executable, "-c",
         "import sys, course.graders.engine.grading_process; "
         "print(sorted({'pytest', 'torch'} & set(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert imported == "[]"


@pytest.mark.slow
def test_a_grader_file_still_runs_on_its_own_under_pytest(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", str(grader_path(EXERCISE)),
         "--impl", str(solution_path(EXERCISE))],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stdout[-2000:]
    total = sum(check.points for check in declared_checks(grader_path(EXERCISE)))
    assert f"{EXERCISE}: {total}/{total} points" in finished.stdout


FAKE_GRADING_PROCESS = """
import os, sys, time
from course.graders.engine import signed_report
arguments = sys.argv[1:]
key_fd = int(arguments[arguments.index("--key-fd") + 1])
report_fd = int(arguments[arguments.index("--report-fd") + 1])
key = os.read(key_fd, 64).decode()
checks = [{"name": "test_x", "passed": True, "message": "", "seconds": 0.1}]
checks += [{"name": "test_y", "passed": True, "message": "", "seconds": 0.1}] * COMPLETE
os.write(report_fd, signed_report.sign({"lstm_cell": checks}, key))
os.close(report_fd)
time.sleep(SLEEP)  # an interpreter full of torch, shutting down
sys.exit(3)
"""


def run_fake_grading_process(tmp_path, monkeypatch, complete: bool, sleep: float):
    """grade.py's _run_grading_process on a stand-in that writes its report and then lingers."""
    script = tmp_path / "fake_grading_process.py"
    source = FAKE_GRADING_PROCESS.replace("COMPLETE", str(int(complete)))
    script.write_text(source.replace("SLEEP", str(sleep)))
    monkeypatch.setattr(grade, "python_command", lambda module: [sys.executable, str(script)])
    key = "k" * 64

    def holds_every_check(signed):
        names = {check["name"] for check in signed_report.open_signed(signed, key)["lstm_cell"]}
        return names == {"test_x", "test_y"}

    started = time.monotonic()
    with StopWatch() as stops:
        returncode, _, signed = grade._run_grading_process(
            [], key, tmp_path, 60.0, holds_every_check, stops
        )
    return returncode, signed_report.open_signed(signed, key), time.monotonic() - started


def test_the_grading_process_is_stopped_as_soon_as_its_report_holds_every_check(
    tmp_path, monkeypatch
):
    returncode, report, seconds = run_fake_grading_process(tmp_path, monkeypatch, True, 30)
    assert returncode is None and seconds < 15
    assert len(report["lstm_cell"]) == 2


def test_an_incomplete_report_waits_for_the_exit_code_that_says_why(tmp_path, monkeypatch):
    returncode, report, _ = run_fake_grading_process(tmp_path, monkeypatch, False, 1)
    assert returncode == 3
    assert [check["name"] for check in report["lstm_cell"]] == ["test_x"]
