"""Without isolation the learner process still has limits of its own
(graders/engine/learner/limits.py): its address space, the processes of its user, the size of
each file it writes; and what it writes into its working or temporary folder goes with the run.

Learner code runs unsandboxed here (the sandbox adds control groups and private, size-capped
/tmp and scratch folders: tests/classroom/test_isolation.py).
"""

import mmap
import os
import time
from pathlib import Path

import pytest

from course.graders.kit.paths import solution_path
from tests.engine.test_stopped_runs import processes_running
from tests.kit import grade_file

pytestmark = pytest.mark.slow

ADDRESS_SPACE_BOMB = (
    "import mmap\n"  # address space only, never touched: without a limit it costs no memory
    "_reserved = mmap.mmap(-1, 64 * 2**30, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | 0x4000)\n"
)
"""0x4000: MAP_NORESERVE on Linux, so that without a limit the kernel grants it."""
PROCESS_BOMB = (
    "import os, time\n"
    "for _ in range(300):\n"
    "    if os.fork() == 0:\n"
    "        time.sleep(600)\n"
    "        os._exit(0)\n"
)
WRITES_AROUND = (
    "import os, pathlib, tempfile\n"
    "_places = [os.getcwd(), tempfile.gettempdir()]\n"
    "for _place in _places:\n"
    "    pathlib.Path(_place, 'learner-was-here.txt').write_text('x' * 1000)\n"
    "pathlib.Path(__file__).with_name('places.txt').write_text('\\n'.join(_places))\n"
)


def learner_file(folder: Path, hostile: str) -> Path:
    path = folder / "lstm_cell.py"  # the reference solution: it would earn every point
    path.write_text(solution_path("lstm_cell").read_text() + "\n" + hostile)
    return path


def test_more_address_space_than_the_limit_fails_every_check(tmp_path):
    result = grade_file("lstm_cell", learner_file(tmp_path, ADDRESS_SPACE_BOMB), isolated=False)
    assert result.earned == 0
    for check in result.checks:
        assert "Cannot allocate memory" in check.message, (check.name, check.message)


@pytest.mark.skipif(os.geteuid() == 0, reason="RLIMIT_NPROC does not bind root")
def test_more_processes_than_the_headroom_fail_every_check(tmp_path):
    path = learner_file(tmp_path, PROCESS_BOMB)
    result = grade_file("lstm_cell", path, isolated=False)
    assert result.earned == 0
    for check in result.checks:
        assert "BlockingIOError" in check.message, (check.name, check.message)
    time.sleep(0.5)
    assert processes_running(str(path)) == []


def test_processes_learner_code_leaves_behind_are_gone_after_the_run(tmp_path):
    path = learner_file(tmp_path, PROCESS_BOMB.replace("300", "20"))
    grade_file("lstm_cell", path, isolated=False)
    time.sleep(0.5)
    assert processes_running(str(path)) == []


def test_files_written_into_the_working_and_temporary_folders_go_with_the_run(tmp_path):
    path = learner_file(tmp_path, WRITES_AROUND)
    result = grade_file("lstm_cell", path, isolated=False)
    assert result.earned == result.total
    places = [Path(place) for place in (tmp_path / "places.txt").read_text().splitlines()]
    assert len(places) == 2 and Path("/tmp") not in places and tmp_path not in places
    for place in places:
        assert not place.exists(), place


def test_the_address_space_bomb_would_be_granted_without_the_limit():
    """The bomb above proves the limit only because the kernel grants it otherwise."""
    reserved = mmap.mmap(-1, 64 * 2**30, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | 0x4000)
    reserved.close()
