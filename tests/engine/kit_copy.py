"""A copy of the kit's packages in a folder of its own, for tests whose learner code writes
into the kit it is graded by: what it writes can never reach the checkout the tests run from."""

import shutil
import tomllib
from pathlib import Path

from course.graders.kit.paths import GRADERS_DIR


def copy_of_the_kit(folder: Path) -> Path:
    """folder/course/<package> for every package pyproject.toml maps, without compiled files.
    Returns `folder`: first on sys.path, `import course...` finds the copy."""
    root = GRADERS_DIR.parent
    settings = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    for package, source in settings["tool"]["setuptools"]["package-dir"].items():
        target = folder.joinpath(*package.split("."))
        shutil.copytree(root / source, target, ignore=shutil.ignore_patterns("__pycache__"))
    return folder
