"""Untrusted submissions graded side by side: each hostile one loses only its own checks,
every other submission gets exactly its score when graded alone, and the run ends.

Each hostile submission is the reference solution with an attack at its top level."""

import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

import course.graders
from course.graders.classroom.runner import grade_class
from course.graders.classroom.submissions import find_submissions
from course.graders.engine.learner import sandbox
from course.graders.engine.learner.sandbox import SANDBOX_UID
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import EXERCISES_DIR, solution_path

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sandbox.unavailable_reason() is not None and not os.environ.get("CI"),
        reason=f"no isolation here: {sandbox.unavailable_reason()}",
    ),
]
LSTM = find_exercise("lstm_cell")
PLANTED = Path(course.graders.__file__).parent / "planted_by_a_submission.py"


def attacks(class_folder: Path, port: int) -> dict[str, str]:
    """Student -> the code run at the top of their file, before the reference solution."""
    return {
        "reader": f"open({str(class_folder / 'alice' / 'lstm_cell.py')!r}).read()\n",
        "writer": f"open({str(PLANTED)!r}, 'w').write('x = 1')\n",
        "caller": (
            "import socket\n"
            f"socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'leak')\n"
        ),
        "forker": (
            "import os, time\n"
            "for _ in range(300):\n"
            "    try:\n"
            "        if os.fork() == 0:\n"
            "            time.sleep(3600)\n"
            "            os._exit(0)\n"
            "    except OSError:\n"
            "        break\n"
        ),
        "hog": "hoard = b'x' * (12 * 2**30)\n",
        "looper": "while True:\n    pass\n",
        "peeker": "import course.solutions.lstm_cell\n",
        "switcher": (
            "import sys\n"
            "frame = sys._getframe()\n"
            "while frame is not None and 'guard' not in frame.f_locals:\n"
            "    frame = frame.f_back\n"
        ),
    }


@pytest.fixture
def listener():
    """A server on 127.0.0.1 that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connections.append(server.accept())
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


def test_hostile_submissions_lose_only_their_own_checks_and_leave_nothing_behind(
    tmp_path, listener
):
    port, connections = listener
    folder = tmp_path / "class"
    reference = solution_path("lstm_cell").read_text()
    for student, source in {
        "alice": reference,
        "bob": (EXERCISES_DIR / "lstm_cell.py").read_text(),
    }.items():
        (folder / student).mkdir(parents=True)
        (folder / student / "lstm_cell.py").write_text(source)
    for student, attack in attacks(folder, port).items():
        (folder / student).mkdir()
        (folder / student / "lstm_cell.py").write_text(attack + reference)
    started = time.monotonic()
    results = grade_class(find_submissions(folder, [LSTM]), [LSTM], tmp_path / "out", jobs=2)
    seconds = time.monotonic() - started
    by_student = {result.student: result for result in results}
    total = by_student["alice"].total
    assert (by_student["alice"].earned, by_student["bob"].earned) == (total, 0)
    messages = {
        s: " ".join(c.message for c in r.exercises[0].checks) for s, r in by_student.items()
    }
    assert by_student["reader"].earned == 0 and "No such file" in messages["reader"]
    assert by_student["writer"].earned == 0 and "Read-only file system" in messages["writer"]
    assert by_student["caller"].earned == 0 and connections == []
    assert by_student["hog"].earned == 0 and "MemoryError" in messages["hog"]
    assert by_student["looper"].earned == 0 and "did not finish within" in messages["looper"]
    assert by_student["peeker"].earned == 0 and "No module named" in messages["peeker"]
    assert by_student["switcher"].earned == 0 and "reaches into" in messages["switcher"]
    assert by_student["forker"].earned == total  # its forks hit the process limit; its code ran
    assert not PLANTED.exists()
    assert seconds < 600
    leftovers = subprocess.run(
        ["ps", "-eo", "uid=,pid=,args="], capture_output=True, text=True
    ).stdout.splitlines()
    sandbox_users = {str(SANDBOX_UID + slot) for slot in range(2)}
    assert [line for line in leftovers if line.split()[0] in sandbox_users] == []
