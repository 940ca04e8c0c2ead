"""Shared fixtures of the kit's own tests."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's data or cache folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture(autouse=True)
def _one_thread_per_grading_process(monkeypatch):
    """pytest-xdist already runs one test per core: the grading processes a test starts each
    use one thread, instead of every process asking torch for all the cores at once."""
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
