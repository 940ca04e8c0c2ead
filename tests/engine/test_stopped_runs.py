"""A grading run that learner code stops with SIGSTOP ends at once, earns nothing, says why,
and leaves nothing running (graders/engine/stop_detection.py).

Learner code runs unsandboxed here, as the same user as the kit: it can stop the process
that called grade_exercises (in `course grade`, the command itself; here, this test process)
or the pytest grading process between them, where the deadlines live. In the sandbox it
sees neither (its own pid namespace: tests/classroom/test_isolation.py).
"""

import os
import time

import pytest

from course.graders.kit.paths import solution_path
from tests.kit import grade_file

pytestmark = pytest.mark.slow

STOP_THE_GRADING_PROCESS = "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\n"
STOP_THE_COMMAND = (
    "import os, signal\n"
    "with open(f'/proc/{os.getppid()}/stat') as _stat:\n"
    "    _command = int(_stat.read().rsplit(')', 1)[1].split()[1])\n"
    "os.kill(_command, signal.SIGSTOP)\n"
)
STOPS = {"the pytest grading process": STOP_THE_GRADING_PROCESS, "the command": STOP_THE_COMMAND}


def processes_running(fragment: str) -> list[int]:
    """Live processes whose command line mentions `fragment`."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read()
            with open(f"/proc/{entry}/stat", "rb") as stat:
                zombie = stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
        except OSError:
            continue
        if fragment.encode() in command and not zombie:
            found.append(int(entry))
    return found


@pytest.mark.parametrize("stopped", STOPS)
def test_a_stopped_run_ends_earns_nothing_and_leaves_nothing_running(tmp_path, stopped):
    path = tmp_path / "lstm_cell.py"  # the reference solution: it would earn every point
    path.write_text(solution_path("lstm_cell").read_text() + "\n" + STOPS[stopped])
    started = time.monotonic()
    result = grade_file("lstm_cell", path, isolated=False)
    assert time.monotonic() - started < 60
    assert result.earned == 0 and not result.passed
    for check in result.checks:
        assert "was stopped (SIGSTOP" in check.message, (check.name, check.message)
    time.sleep(0.5)  # SIGKILL is sent; the kernel may still be tearing the processes down
    assert processes_running(str(path)) == []
