"""`course export gradescope`: the kit as an autograder zip in Gradescope's format.

At the zip's root, where Gradescope looks for them:
    setup.sh          run once when Gradescope builds the image: Python's venv if the image
                      lacks it, bubblewrap (the sandbox of learner code), CPU torch and
                      torchvision pinned as pyproject.toml pins them, the kit from the wheel
                      beside it (so grading never needs this repository), then the test sets
                      of the exercises that declare a dataset
    run_autograder    run per submission: grades ROOT/submission/ into ROOT/results/results.json
                      (container.py), learner code sandboxed; where the container cannot
                      sandbox, it refuses unless exported with `--no-isolation`
    course_kit-<version>-py3-none-any.whl
Both scripts take the root from AUTOGRADER_ROOT (default /autograder) and install into, and
run from, ROOT/course-kit-venv. With COURSE_KIT_DEPENDENCIES set to a site-packages folder
that already holds the kit's dependencies, setup.sh installs none and reads them from there,
still installing the kit itself from the wheel (the kit's tests do so, offline).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from course.graders.engine.declared import declared_checks
from course.graders.engine.learner.sandbox import ALLOW_UNISOLATED_VARIABLE
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise, find_exercise, load_manifest
from course.graders.kit.paths import GRADERS_DIR, grader_path
from course.graders.kit.training import load_trainer

DEFAULT_ZIP = Path("autograder.zip")
VENV_FOLDER = "course-kit-venv"
"""Under the autograder root: the environment setup.sh makes and run_autograder runs."""
DEPENDENCIES_VARIABLE = "COURSE_KIT_DEPENDENCIES"
CPU_PACKAGES = ("torch", "torchvision")
"""Installed first from PyTorch's CPU-only index: the default builds carry GPU libraries."""
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
CONTAINER_MODULE = "course.graders.gradescope.container"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (made by
# `course export gradescope`). It installs CPU torch and torchvision pinned as the kit pins
# them, the kit from the wheel beside this file, and the test sets its checks read.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$ROOT/@VENV@"
NEW_ENOUGH='import sys; sys.exit(sys.version_info < (3, 11))'

if ! python3 -c "import ensurepip; $NEW_ENOUGH" 2>/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-venv python3-pip
fi
if ! python3 -c "$NEW_ENOUGH"; then
    echo "The course kit needs Python 3.11 or newer, and this image has $(python3 --version):" \\
        "choose an Ubuntu 24.04 base image in the autograder settings." >&2
    exit 1
fi
if ! command -v bwrap >/dev/null; then
    # the sandbox learner code runs in: without it run_autograder refuses to grade (unless
    # exported with --no-isolation)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap \
        || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap; } \
        || echo "Could not install bubblewrap: run_autograder will refuse to grade." >&2
fi
rm -rf "$VENV"
python3 -m venv "$VENV"
if [[ -n "${@DEPENDENCIES@:-}" ]]; then
    # the kit's dependencies are installed in that site-packages folder already
    "$VENV/bin/python" -c 'import pathlib, sys, sysconfig
pathlib.Path(sysconfig.get_path("purelib"), "course_kit_dependencies.pth").write_text(sys.argv[1] + "\\n")' "$@DEPENDENCIES@"
    "$VENV/bin/pip" install --quiet --no-deps "$HERE/@WHEEL@"
else
    "$VENV/bin/pip" install --quiet --index-url @CPU_INDEX@ @PINS@
    "$VENV/bin/pip" install --quiet "$HERE/@WHEEL@"
fi
"$VENV/bin/python" -I -m @MODULE@ fetch-data --root "$ROOT" --exercises @EXERCISES@
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for each submission: the course kit grades ROOT/submission/ with the
# checks of `course grade` and writes ROOT/results/results.json.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
@UNISOLATED@exec "$ROOT/@VENV@/bin/python" -I -m @MODULE@ grade --root "$ROOT" --exercises @EXERCISES@
"""


UNISOLATED_EXPORT = f"""# Exported with --no-isolation: where this container cannot sandbox learner code, it
# runs unsandboxed (its fresh container per submission is then all that isolates it).
export {ALLOW_UNISOLATED_VARIABLE}=1
"""


@dataclass
class Export:
    """What `build_autograder` wrote."""

    path: Path
    exercises: list[Exercise]
    points: int
    """The autograder's total: the assignment's points on Gradescope."""
    pins: list[str]


def chosen_exercises(names: str | None) -> list[Exercise]:
    """The exercises named in `a,b,...` (None: all), in course order; a UserError for a bad name."""
    manifest = load_manifest()
    if names is None:
        return manifest
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    if not wanted:
        raise UserError("--exercises: name at least one exercise, e.g. --exercises lstm_cell.")
    chosen = {find_exercise(name, manifest).name for name in wanted}
    return [exercise for exercise in manifest if exercise.name in chosen]


def build_autograder(out: Path, exercises: list[Exercise], unisolated: bool = False) -> Export:
    """Write the autograder zip for `exercises` to `out`; `unisolated`: its run_autograder
    grades unsandboxed where the container cannot sandbox (else it refuses)."""
    out = Path(out)
    _expect_writable(out)
    for exercise in exercises:
        if exercise.dataset and not hasattr(load_trainer(exercise), "fetch_test_set"):
            raise UserError(
                f"{exercise.name} declares the dataset {exercise.dataset}, but its trainer "
                f"{exercise.trainer} has no fetch_test_set(folder) for the Gradescope image."
            )
    source = _kit_source()
    pins = cpu_pins(source / "pyproject.toml")
    names = ",".join(exercise.name for exercise in exercises)
    with tempfile.TemporaryDirectory(prefix="course-export-") as scratch:
        wheel = build_wheel(source, Path(scratch))
        scripts = autograder_scripts(names, wheel.name, pins, unisolated)
        partial = out.with_name(f".{out.name}.{os.getpid()}.part")
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, text in scripts.items():
                    entry = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
                    entry.external_attr = 0o100755 << 16  # a regular file, executable
                    archive.writestr(entry, text, zipfile.ZIP_DEFLATED)
                archive.write(wheel, wheel.name)
            os.replace(partial, out)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise UserError(f"--out {out}: cannot write it ({error.strerror}).") from None
    points = sum(
        check.points
        for exercise in exercises
        for check in declared_checks(grader_path(exercise.name))
    )
    return Export(out, exercises, points, pins)


def autograder_scripts(
    names: str, wheel: str, pins: list[str], unisolated: bool = False
) -> dict[str, str]:
    """setup.sh and run_autograder for the exercises `names` (a,b,...), the kit's `wheel`
    and the CPU `pins`; `unisolated`: as build_autograder's."""
    return {
        "setup.sh": _fill(SETUP_SH, names, wheel, pins),
        "run_autograder": _fill(RUN_AUTOGRADER, names, wheel, pins).replace(
            "@UNISOLATED@", UNISOLATED_EXPORT if unisolated else ""
        ),
    }


def cpu_pins(pyproject: Path) -> list[str]:
    """`torch==X`, `torchvision==Y`: the upper bounds pyproject.toml's dependencies give them
    (the versions the kit is tested with and the README installs)."""
    from packaging.requirements import Requirement

    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = {}
    for text in dependencies:
        requirement = Requirement(text)
        upper = [spec.version for spec in requirement.specifier if spec.operator in ("<=", "==")]
        if requirement.name in CPU_PACKAGES and upper:
            pins[requirement.name] = f"{requirement.name}=={upper[0]}"
    missing = [name for name in CPU_PACKAGES if name not in pins]
    if missing:
        raise UserError(f"{pyproject}: no '<=' or '==' version bound for {', '.join(missing)}.")
    return [pins[name] for name in CPU_PACKAGES]


def build_wheel(source: Path, folder: Path) -> Path:
    """The kit's wheel, built with pip into `folder` from a copy of its source tree (a build
    writes build/ beside the sources: not in the instructor's clone)."""
    tree = folder / "source"
    _copy_source(source, tree)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(folder),
            str(tree),
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    wheels = sorted(folder.glob("*.whl"))
    if completed.returncode != 0 or len(wheels) != 1:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise UserError(f"building the kit's wheel from {source} failed: {last}")
    return wheels[0]


def _copy_source(source: Path, tree: Path) -> None:
    """pyproject.toml, the readme it names and the package folders it maps, copied to `tree`."""
    config = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    tree.mkdir()
    for name in ("pyproject.toml", config["project"].get("readme")):
        if name:
            shutil.copy2(source / name, tree / name)
    for folder in sorted(set(config["tool"]["setuptools"]["package-dir"].values())):
        shutil.copytree(
            source / folder, tree / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )


def _kit_source() -> Path:
    """The kit's source tree (the folder holding pyproject.toml), which the wheel is built from."""
    source = GRADERS_DIR.parent
    if not (source / "pyproject.toml").is_file():
        raise UserError(
            "`course export gradescope` builds the kit's wheel from its source tree, and this "
            f"kit is installed without one ({GRADERS_DIR}): run it from a clone of the kit "
            "installed with `pip install -e`."
        )
    return source


def _expect_writable(out: Path) -> None:
    folder = out.parent
    if out.is_dir():
        raise UserError(
            f"--out {out} is a folder: name the zip file to write, e.g. {out / DEFAULT_ZIP}."
        )
    if not folder.is_dir():
        raise UserError(f"--out {out}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK):
        raise UserError(f"--out {out}: the folder {folder} is not writable.")


def _fill(template: str, names: str, wheel: str, pins: list[str]) -> str:
    values = {
        "@VENV@": VENV_FOLDER,
        "@DEPENDENCIES@": DEPENDENCIES_VARIABLE,
        "@WHEEL@": wheel,
        "@CPU_INDEX@": CPU_INDEX,
        "@PINS@": " ".join(pins),
        "@MODULE@": CONTAINER_MODULE,
        "@EXERCISES@": names,
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template
