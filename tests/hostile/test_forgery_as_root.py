"""Learner code graded as root without the sandbox (a container's usual user, e.g. Gradescope
with --no-isolation) cannot read the grading processes' memory, and so cannot sign a report
of its own: its learner process gives up every capability (learner/limits.py)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kit import grade_file

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0, reason="only root holds the capabilities it drops"),
]
FORGERY = Path(__file__).parent / "forgery" / "lstm_cell_signed_with_the_key_read_as_root.py"


def test_a_report_signed_with_a_key_read_from_memory_as_root_earns_nothing(tmp_path):
    """As a learner runs it: `course grade` where bwrap cannot be found, so unsandboxed."""
    course = str(Path(sys.executable).with_name("course"))
    environment = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no bwrap on it
    subprocess.run([course, "init", "ws"], cwd=tmp_path, env=environment, check=True)
    shutil.copyfile(FORGERY, tmp_path / "ws" / "exercises" / "lstm_cell.py")
    graded = subprocess.run(
        [course, "grade", "lstm_cell", "--json"],
        cwd=tmp_path / "ws", env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    result = json.loads(graded.stdout)
    passed = [check["name"] for check in result["checks"] if check["passed"]]
    assert result["earned"] == 0 and not passed, f"{result['earned']} points, passed: {passed}"


def test_root_learner_code_runs_without_capabilities_and_cannot_read_roots_processes(tmp_path):
    probe = tmp_path / "lstm_cell.py"
    probe.write_text(
        "import os\n"
        "status = open('/proc/self/status').read()\n"
        "capabilities = [line for line in status.splitlines() if line.startswith('Cap')]\n"
        "try:\n"
        "    open(f'/proc/{os.getppid()}/environ', 'rb').read()\n"
        "    readable = 'the grading process is readable'\n"
        "except PermissionError:\n"
        "    readable = 'refused'\n"
        "raise RuntimeError(repr((capabilities, readable)))\n"
    )
    result = grade_file("lstm_cell", probe, isolated=False)
    message = result.checks[0].message
    assert "CapEff:\\t0000000000000000" in message and "CapBnd:\\t0000000000000000" in message
    assert "refused" in message, message
