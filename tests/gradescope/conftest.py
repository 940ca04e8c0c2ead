"""One autograder zip per test session, made by the command and shared by the tests that read
or run it."""

import pytest
from typer.testing import CliRunner

from course.cli.main import app

EXPORTED = ["early_stopping", "cifar_challenge"]
"""A fast exercise to grade many submissions with, and the one that reads a dataset."""


@pytest.fixture(scope="session")
def export_output(tmp_path_factory) -> tuple:
    """(zip, what the command printed) of `course export gradescope --exercises ... --out ...`."""
    out = tmp_path_factory.mktemp("export") / "autograder.zip"
    result = CliRunner().invoke(
        app,
        ["export", "gradescope", "--exercises", ",".join(EXPORTED), "--out", str(out)],
        env={"COLUMNS": "400"},  # one line per message
    )
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="session")
def autograder_zip(export_output):
    return export_output[0]
