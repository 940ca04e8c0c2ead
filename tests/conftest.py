"""Shared fixtures of the kit's own tests."""

import os
import signal
import threading

import pytest

from course.graders.engine.checks import register_check_marker
from tests.kit import MutantGrades


def pytest_configure(config: pytest.Config) -> None:
    register_check_marker(config)  # tests import grader files, whose checks carry it


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's data or cache folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture(autouse=True)
def _default_ctrl_c():
    """Each test starts with Python's own Ctrl-C handling, unblocked, whatever a library used
    by an earlier test in this worker left: the processes a test starts inherit both, and the
    tests that press Ctrl-C in them need it delivered (in full runs they saw it ignored)."""
    if threading.current_thread() is threading.main_thread():
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _one_thread_per_grading_process(monkeypatch):
    """pytest-xdist already runs one test per core: the grading processes a test starts each
    use one thread, instead of every process asking torch for all the cores at once."""
    monkeypatch.setenv("OMP_NUM_THREADS", "1")


@pytest.fixture(scope="session")
def mutant_grades(tmp_path_factory) -> MutantGrades:
    """Mutants graded once per test run, in a folder all pytest-xdist workers of it share."""
    run_folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_folder = run_folder.parent  # each worker's basetemp sits in the run's own folder
    return MutantGrades(run_folder / "mutant-grades")
