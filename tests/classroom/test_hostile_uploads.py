"""What a review found, as a determined student would, kept as the specification: whatever a
submission holds, it is that student's problem, never the class run's, and it never reaches
another student's grade, the reference solutions, or the grader's memory."""

import json
import os
import zipfile
from pathlib import Path

import pytest

from course.graders.classroom.submissions import (
    MAX_SUBMISSION_BYTES,
    find_submissions,
    student_id,
)
from course.graders.engine.learner import sandbox, wire
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import solution_path

LSTM = find_exercise("lstm_cell")
REFERENCE = solution_path("lstm_cell").read_text()


def notebook(cells: object, metadata: object = None) -> str:
    return json.dumps({"cells": cells, "metadata": metadata or {}, "nbformat": 4})


@pytest.mark.parametrize(
    "name, content",
    [
        ("metadata_list.ipynb", notebook([{"cell_type": "code", "source": "", "metadata": [1]}])),
        ("nbgrader_null.ipynb", notebook([{"cell_type": "code", "source": "", "metadata": {"nbgrader": None}}])),
        ("deep.ipynb", "[" * 100_000 + "]" * 100_000),
        ("not_json.ipynb", "{"),
    ],
)  # fmt: skip
def test_a_malformed_notebook_is_that_students_problem(tmp_path, name, content):
    (tmp_path / "class" / "mallory").mkdir(parents=True)
    (tmp_path / "class" / "mallory" / name).write_text(content)
    (tmp_path / "class" / "alice").mkdir()
    (tmp_path / "class" / "alice" / "lstm_cell.py").write_text(REFERENCE)
    found = {s.student: s for s in find_submissions(tmp_path / "class", [LSTM])}
    assert found["alice"].sources["lstm_cell"] == REFERENCE
    assert found["mallory"].sources == {}


def test_a_corrupt_zip_is_that_students_problem(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    with zipfile.ZipFile(folder / "mallory.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lstm_cell.py", REFERENCE * 20)
    data = bytearray((folder / "mallory.zip").read_bytes())
    data[60:90] = b"\xff" * 30  # inside the deflated data
    (folder / "mallory.zip").write_bytes(bytes(data))
    (submission,) = find_submissions(folder, [LSTM])
    assert submission.student == "mallory" and submission.problems


def test_names_that_differ_stay_different_students_and_long_names_are_shortened(tmp_path):
    assert student_id("alice_smith") == "alice_smith"
    assert student_id("alice smith") != student_id("alice_smith")
    assert student_id("bob.") != student_id("bob")
    assert len(student_id("m" * 240)) <= 80
    for name in ("alice smith", "alice_smith"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "lstm_cell.py").write_text(REFERENCE)
    assert len({s.student for s in find_submissions(tmp_path, [LSTM])}) == 2


def test_a_symlinked_student_folder_is_not_graded(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "lstm_cell.py").write_text(REFERENCE)
    (tmp_path / "mallory").symlink_to(tmp_path / "alice")
    found = {s.student: s for s in find_submissions(tmp_path, [LSTM])}
    assert found["mallory"].sources == {} and "symbolic link" in found["mallory"].problems[0]


def test_a_zip_of_many_large_files_is_read_only_as_far_as_the_limits(tmp_path):
    with zipfile.ZipFile(tmp_path / "mallory.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lstm_cell.py", REFERENCE)
        for number in range(8):  # run files of an exercise that does not train: never read
            archive.writestr(f"runs/lstm_cell/f{number}", b"\0" * (40 * 2**20))
    (submission,) = find_submissions(tmp_path, [LSTM])
    assert submission.runs == {} and submission.sources["lstm_cell"] == REFERENCE
    cifar = find_exercise("cifar_challenge")
    with zipfile.ZipFile(tmp_path / "ben.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(8):
            archive.writestr(f"runs/cifar_challenge/f{number}", b"\0" * (40 * 2**20))
    ben = next(s for s in find_submissions(tmp_path, [cifar]) if s.student == "ben")
    assert sum(len(data) for data in ben.runs.values()) <= MAX_SUBMISSION_BYTES
    assert any("past the" in problem for problem in ben.problems)


def test_a_compressed_message_that_would_expand_in_the_grader_is_refused():
    import io

    import torch

    buffer = io.BytesIO()
    torch.save({"kind": "ready", "value": torch.zeros(1000)}, buffer)
    squeezed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as plain,
        zipfile.ZipFile(squeezed, "w", zipfile.ZIP_DEFLATED) as compressed,
    ):
        for info in plain.infolist():
            compressed.writestr(info.filename, plain.read(info))
    with pytest.raises(wire.ChannelGarbled, match="compressed"):
        wire.decode(squeezed.getvalue())
    assert wire.decode(buffer.getvalue())["kind"] == "ready"


@pytest.mark.skipif(sandbox.unavailable_reason() is not None and not os.environ.get("CI"),
                    reason="no isolation here")  # fmt: skip
def test_the_sandbox_hides_the_reference_solutions(tmp_path):
    command = sandbox.sandboxed(["/bin/ls", str(solution_path("lstm_cell").parent)], tmp_path,
                                sandbox.Sandbox())  # fmt: skip
    import subprocess

    listed = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "lstm_cell.py" not in listed.stdout
    assert Path(solution_path("lstm_cell")).is_file()


@pytest.mark.skipif(
    not os.access("/sys/fs/cgroup/memory", os.W_OK), reason="no writable memory control group"
)
def test_memory_and_processes_are_limits_of_the_whole_sandbox_where_control_groups_allow():
    limits = sandbox.SandboxLimits(memory_bytes=2**30, processes=32)
    group = sandbox.SandboxGroup(limits)
    settings = {folder.relative_to(group.ROOT).parts[0]: folder for folder in group.folders}
    assert (settings["memory"] / "memory.limit_in_bytes").read_text().strip() == str(2**30)
    assert (settings["pids"] / "pids.max").read_text().strip() == "32"
    assert group.command(["true"])[:2] == ["/bin/sh", "-c"]
    group.remove()
    assert not any(folder.exists() for folder in settings.values())


@pytest.mark.parametrize(
    ("membership", "made_in"),
    [("0::/\n", ""), ("0::/system.slice/grading.service\n", "system.slice")],
)
def test_with_cgroup_v2_one_group_beside_the_callers_own_holds_both_limits(
    tmp_path, monkeypatch, membership, made_in
):
    (tmp_path / "cgroup.controllers").write_text("memory pids\n")
    (tmp_path / "system.slice").mkdir()
    (tmp_path / "self").write_text(membership)
    monkeypatch.setattr(sandbox.SandboxGroup, "ROOT", tmp_path)
    monkeypatch.setattr(sandbox.SandboxGroup, "MEMBERSHIP", tmp_path / "self")
    group = sandbox.SandboxGroup(sandbox.SandboxLimits(memory_bytes=2**30, processes=32))
    [folder] = group.folders
    assert folder.parent == tmp_path / made_in and folder.name.startswith("course-kit-")
    assert (folder / "memory.max").read_text() == str(2**30)
    assert (folder / "pids.max").read_text() == "32"
    (folder / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert group.ran_out_of_memory()
