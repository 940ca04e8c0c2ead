"""Hostile learner files graded by `course grade`, sandboxed: whatever each one tries, it earns
nothing, `course grade` exits with 1, nothing it started is alive afterwards, nothing outside
its private scratch space was written, and the next run of the reference earns full marks.

One `course grade --all` run carries every attack (attacks.py): each rides on the untouched
stub of one exercise, so all its checks fail with the attack's own report of what it reached.
(cifar_challenge's stub imports early_stopping first, so it runs that exercise's attack again.)
"""

import json
import os
import socket
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from course.graders.engine.grade import ExerciseResult, grader_fingerprint
from course.graders.engine.learner import sandbox
from course.graders.engine.learner.sandbox import SandboxLimits
from course.graders.kit.manifest import load_manifest
from course.graders.kit.paths import (
    EXERCISES_DIR,
    GRADERS_DIR,
    SOLUTIONS_DIR,
    grader_path,
    solution_path,
)
from tests.hostile import attacks
from tests.kit import grade_file

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sandbox.unavailable_reason() is not None and not os.environ.get("CI"),
        reason=f"no isolation here: {sandbox.unavailable_reason()}",
    ),
]
LIMITS = SandboxLimits()
MB = 2**20
PLANTED = "planted_by_a_submission.py"
SITE_PACKAGES = Path(sysconfig.get_path("purelib"))
KIT_FILES = [grader_path("lstm_cell"), GRADERS_DIR / "engine" / "grade.py",
             EXERCISES_DIR / "manifest.toml", solution_path("lstm_cell"),
             SITE_PACKAGES / "torch" / "__init__.py"]  # fmt: skip
KIT_FOLDERS = [GRADERS_DIR, GRADERS_DIR / "engine" / "__pycache__", SOLUTIONS_DIR, SITE_PACKAGES]


def attacks_for(port: int, workspace: Path) -> dict[str, tuple]:
    """Exercise -> (the attack its file carries, the attack's arguments)."""
    return {
        "residual_block": (attacks.rewrite_the_kit, {
            "existing": [str(path) for path in KIT_FILES],
            "folders": [str(folder) for folder in [*KIT_FOLDERS, workspace / "exercises"]],
            "planted": PLANTED,
        }),
        "early_stopping": (attacks.reach_the_grader, {"port": port}),
        "lstm_cell": (attacks.outlive_the_run, {"links": 70, "bombs": 200}),
        "attention": (
            attacks.allocate_past_the_memory_limit, {"most_mb": LIMITS.memory_bytes // MB + 1024}
        ),
        "clipping": (
            attacks.flood_the_disk, {"most_mb": LIMITS.disk_bytes // MB + 64, "files": 20_000}
        ),
    }  # fmt: skip


@pytest.fixture(scope="module")
def listener():
    """A server on the grader's machine (127.0.0.1) recording whatever connects to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections, stop = [], threading.Event()

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


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, listener):
    """`course grade --all --json` on the hostile workspace, and what was left after it."""
    assert sandbox.unavailable_reason() is None, "hostile code is only ever graded sandboxed"
    port, _ = listener
    workspace = tmp_path_factory.mktemp("hostile") / "workspace"
    (workspace / "exercises").mkdir(parents=True)
    carried = attacks_for(port, workspace)
    for exercise in load_manifest():
        source = (EXERCISES_DIR / f"{exercise.name}.py").read_text()
        if exercise.name in carried:
            attack, arguments = carried[exercise.name]
            source = attacks.learner_file(exercise.name, attack, **arguments)
        (workspace / "exercises" / f"{exercise.name}.py").write_text(source)
    kit_before = grader_fingerprint()
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("course")), "grade", "--all", "--json",
         "--workspace", str(workspace)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    yield SimpleNamespace(
        returncode=completed.returncode,
        stderr=completed.stderr,
        results={
            result["exercise"]: ExerciseResult.from_json(result)
            for result in json.loads(completed.stdout or "[]")
        },
        survivors=processes_mentioning(str(workspace)),
        kit_changed=grader_fingerprint() != kit_before,
        workspace=workspace,
    )
    for folder in KIT_FOLDERS:  # only there if the sandbox failed: the test says so
        (folder / PLANTED).unlink(missing_ok=True)


def processes_mentioning(marker: str) -> list[str]:
    """The command lines of live processes that contain `marker` (learner processes have
    the learner's file in theirs, and so have their forks)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in command and pid != str(os.getpid()):
            found.append(f"{pid}: {command[:200]}")
    return found


def reports(hostile, exercise_name: str) -> list[dict]:
    """What the attack of `exercise_name` reported, once per check."""
    result = hostile.results[exercise_name]
    return [attacks.reached(check.message) for check in result.checks]


def the_report(hostile, exercise_name: str) -> dict:
    found = reports(hostile, exercise_name)
    assert found[0] is not None, hostile.results[exercise_name].checks[0].message
    assert all(report == found[0] for report in found)  # imported once, every check failed
    return found[0]


def test_every_hostile_file_earns_nothing_and_course_grade_exits_with_1(hostile):
    assert hostile.returncode == 1, hostile.stderr
    assert sorted(hostile.results) == sorted(exercise.name for exercise in load_manifest())
    for name, result in hostile.results.items():
        assert result.earned == 0 and not any(check.passed for check in result.checks), name
    assert not hostile.kit_changed, "the kit's grader files changed"


def test_nothing_a_hostile_file_started_outlives_course_grade(hostile):
    assert hostile.survivors == []


def test_the_grading_processes_are_out_of_sight_so_no_report_can_be_forged(hostile):
    report = the_report(hostile, "early_stopping")
    assert any("course.graders.engine.learner.worker" in seen for seen in report["processes"])
    assert not any("pytest" in seen or "course grade" in seen for seen in report["processes"])
    assert report["opened"] == []
    assert hostile.results["early_stopping"].earned == 0


def test_no_network_reaches_the_graders_machine(hostile, listener):
    _, connections = listener
    assert the_report(hostile, "early_stopping")["network"] != "connected"
    assert connections == []


def test_a_setsid_fork_chain_and_a_fork_bomb_stop_at_the_process_limit(hostile):
    report = the_report(hostile, "lstm_cell")
    assert report["chain_refused"] and report["bomb_refused"] is not None, report
    assert 20 <= report["chain"] + report["bomb"] < LIMITS.processes, report


def test_a_memory_bomb_stops_at_the_memory_limit(hostile):
    messages = [check.message for check in hostile.results["attention"].checks]
    report = attacks.reached(messages[0])
    if report is None:  # the control group's limit: the process was killed for it
        assert "GB of memory" in messages[0], messages[0]
    else:  # the address-space limit: MemoryError
        assert 0 < report["allocated_mb"] <= LIMITS.memory_bytes // MB, report


def test_a_disk_flood_fills_only_the_capped_scratch_space(hostile):
    """The scratch folder (where it works), /tmp and /dev/shm: in memory, each capped."""
    report = the_report(hostile, "clipping")
    written = report["written_mb"]
    assert 0 < written["working folder"] <= LIMITS.disk_bytes // MB, report
    assert 0 < written["/tmp"] <= LIMITS.disk_bytes // MB, report
    assert 0 < written["/dev/shm"] <= LIMITS.shared_memory_bytes // MB, report
    assert report["small_files"] == 20_000
    inside = ("/scratch", "/tmp", "/dev/shm")
    outside = [path for path in report["writable"] if not path.startswith(inside)]
    assert outside == []
    assert not any(Path(folder, "flood-0.bin").exists() for folder in ("/tmp", "/dev/shm"))
    assert sorted(path.name for path in (hostile.workspace / "exercises").iterdir()) == sorted(
        f"{exercise.name}.py" for exercise in load_manifest()
    )


def test_the_kit_its_references_and_site_packages_cannot_be_written(hostile):
    assert the_report(hostile, "residual_block")["writable"] == []
    assert [folder for folder in KIT_FOLDERS if (folder / PLANTED).exists()] == []
    assert not hostile.kit_changed


def test_the_next_run_of_the_reference_earns_full_marks(hostile):
    result = grade_file("lstm_cell", solution_path("lstm_cell"), isolated=True)
    assert result.passed and result.earned == result.total
