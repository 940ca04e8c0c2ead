"""The report channel believes exactly one report signed with the run's key, and never
waits on a pipe that some other process keeps open."""

import os
import subprocess
import sys
import time

from course.graders.engine import signed_report

KEY = "k" * 64
RESULTS = {"lstm_cell": [{"name": "test_x", "passed": True, "message": "", "seconds": 0.1}]}


def test_a_report_signed_with_the_key_is_read_back_whole():
    assert signed_report.open_signed(signed_report.sign(RESULTS, KEY), KEY) == RESULTS


def test_a_report_signed_with_another_key_is_refused():
    assert signed_report.open_signed(signed_report.sign(RESULTS, "a guessed key"), KEY) == {}


def test_a_report_whose_results_were_edited_after_signing_is_refused():
    failed = {"lstm_cell": [{"name": "test_x", "passed": False, "message": "wrong", "seconds": 0}]}
    edited = signed_report.sign(failed, KEY).replace(b"false", b"true")
    assert edited != signed_report.sign(failed, KEY)
    assert signed_report.open_signed(edited, KEY) == {}


def test_two_reports_in_one_pipe_are_refused_even_if_one_is_genuine():
    forged = signed_report.sign({"lstm_cell": []}, "a guessed key")
    assert signed_report.open_signed(forged + signed_report.sign(RESULTS, KEY), KEY) == {}
    assert signed_report.open_signed(signed_report.sign(RESULTS, KEY) + forged, KEY) == {}


def test_nothing_garbage_or_a_report_of_the_wrong_shape_is_refused():
    for data in (None, b"", b"\xff\xfe", b"[]", b'{"body": 1, "mac": "x"}', b'{"mac": "x"}'):
        assert signed_report.open_signed(data, KEY) == {}, data
    assert signed_report.open_signed(signed_report.sign([1, 2], KEY), KEY) == {}


def writer(script: str, write_fd: int) -> subprocess.Popen:
    """A Python process holding the write end of a pipe (its number in $FD)."""
    return subprocess.Popen(
        [sys.executable, "-c", script],
        pass_fds=(write_fd,),
        env={**os.environ, "FD": str(write_fd)},
    )


def collected_from_a_writer_of(size: int) -> bytes | None:
    """What collect() returns from a process that writes `size` bytes and ends."""
    read_fd, write_fd = os.pipe()
    process = writer(f"import os; os.write(int(os.environ['FD']), b'x' * {size})", write_fd)
    os.close(write_fd)
    data = signed_report.collect(read_fd, process, time.monotonic() + 60)
    os.close(read_fd)
    process.wait()
    return data


def test_a_report_larger_than_the_pipe_buffer_is_read_whole():
    assert collected_from_a_writer_of(1_000_000) == b"x" * 1_000_000


def test_collecting_ends_soon_after_the_grading_process_even_if_another_holds_the_pipe():
    read_fd, write_fd = os.pipe()
    holder = writer("import time; time.sleep(60)", write_fd)  # keeps the pipe open
    grading = writer("import os; os.write(int(os.environ['FD']), b'done')", write_fd)
    os.close(write_fd)
    started = time.monotonic()
    try:
        data = signed_report.collect(read_fd, grading, started + 60)
    finally:
        holder.kill()
        holder.wait()
        os.close(read_fd)
    assert data == b"done"
    assert time.monotonic() - started < 10


def test_a_flood_beyond_the_limit_is_refused_not_kept(monkeypatch):
    monkeypatch.setattr(signed_report, "LIMIT_BYTES", 1000)
    assert collected_from_a_writer_of(1000) == b"x" * 1000
    assert collected_from_a_writer_of(5000) is None
