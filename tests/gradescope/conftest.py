"""One autograder zip per test session, shared by the tests that read or run it."""

import pytest

from course.graders.gradescope.autograder_zip import build_autograder
from course.graders.kit.manifest import find_exercise

EXPORTED = ["early_stopping", "cifar_challenge"]
"""A fast exercise to grade many submissions with, and the one that reads a dataset."""


@pytest.fixture(scope="session")
def autograder_zip(tmp_path_factory):
    """`course export gradescope --exercises early_stopping,cifar_challenge`'s zip."""
    out = tmp_path_factory.mktemp("export") / "autograder.zip"
    build_autograder(out, [find_exercise(name) for name in EXPORTED])
    return out
