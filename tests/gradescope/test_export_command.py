"""`course export gradescope` writes a zip in Gradescope's format, and bad input gets one line."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course.graders.engine.declared import declared_checks
from course.graders.gradescope import autograder_zip
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import GRADERS_DIR, grader_path
from tests.gradescope.conftest import EXPORTED

COURSE = Path(sys.executable).with_name("course")
README = GRADERS_DIR.parent / "README.md"
PINS = re.search(r"pip install (torch==\S+ torchvision==\S+)", README.read_text())[1]
"""What the README installs: `torch==X torchvision==Y`."""


def course(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(COURSE), *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize(
    "args, says",
    [
        (["--exercises", "lstm_cel"], "Did you mean 'lstm_cell'?"),
        (["--exercises", "lstm_cell,nope"], "unknown exercise 'nope'"),
        (["--exercises", ","], "name at least one exercise"),
        (["--out", "missing/autograder.zip"], "does not exist"),
        (["--out", "."], "is a folder"),
    ],
)
def test_bad_input_gets_one_line_and_exit_code_2(tmp_path, args, says):
    result = course("export", "gradescope", *args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == [], "nothing is written on bad input"


@pytest.mark.slow
def test_the_zip_holds_the_two_scripts_at_its_root_and_the_kits_wheel(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        entries = {entry.filename: entry for entry in archive.infolist()}
        scripts = {name: archive.read(name).decode() for name in ("setup.sh", "run_autograder")}
    (wheel,) = [name for name in entries if name.endswith(".whl")]
    assert set(entries) == {"setup.sh", "run_autograder", wheel}
    assert re.fullmatch(r"course_kit-[\d.]+-py3-none-any\.whl", wheel)
    for name, text in scripts.items():
        assert entries[name].external_attr >> 16 & 0o111, f"{name} is not executable"
        assert text.startswith("#!/usr/bin/env bash\n")
        assert 'ROOT="${AUTOGRADER_ROOT:-/autograder}"' in text
        assert f"--exercises {','.join(EXPORTED)}" in text
    assert wheel in scripts["setup.sh"]
    with zipfile.ZipFile(autograder_zip) as archive:
        assert archive.getinfo(wheel).file_size < 2_000_000, "the zip carries no dataset"


@pytest.mark.slow
def test_setup_installs_torch_and_torchvision_pinned_as_the_readme_installs_them(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        setup = archive.read("setup.sh").decode()
    assert f"--index-url https://download.pytorch.org/whl/cpu {PINS}\n" in setup


@pytest.mark.slow
def test_the_command_says_what_it_wrote_and_the_points_to_give_the_assignment(export_output):
    path, output = export_output
    points = sum(check.points for name in EXPORTED for check in declared_checks(grader_path(name)))
    assert f"wrote {path}: {', '.join(EXPORTED)}; {points} points in all." in output
    assert f"installs {' and '.join(PINS.split())} (CPU)" in output


def test_a_kit_installed_without_its_source_tree_is_told_to_export_from_a_clone(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(autograder_zip, "GRADERS_DIR", tmp_path / "site-packages" / "graders")
    with pytest.raises(UserError, match="run it from a clone of the kit"):
        autograder_zip.build_autograder(tmp_path / "a.zip", [find_exercise("lstm_cell")])
    assert not (tmp_path / "a.zip").exists()
