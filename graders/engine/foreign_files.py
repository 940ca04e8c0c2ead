"""Files in the kit's code folders (graders/, cli/) other than its .py sources: compiled files
and anything else written there. grade.py compares them before and after a run, as it does the
sources (grader_fingerprint): a run during which one appeared or changed earns nothing.

The kit never runs such a file (engine/source_only_import.py), but learner code that plants
one means harm: a compiled file for a kit module with a header copying its source's mtime
and size would be run by any process without that policy. One kind of change is innocent:
a compiled file that Python wrote for an unchanged source (another process of the user
importing the kit for the first time). Its code is exactly what its source compiles to, which
is checked here, so only such files are let through.
"""

import hashlib
import importlib.util
import marshal
from pathlib import Path

from course.graders.kit.paths import GRADERS_DIR, package_folder

PYC_HEADER_BYTES = 16
"""magic, flags and the source's mtime and size (or hash): what comes before the code."""


def foreign_files() -> dict[str, str]:
    """{path relative to the kit: sha256} of every file in graders/ and cli/ but the .py sources."""
    folders = (GRADERS_DIR, package_folder("cli"))
    return {
        str(path.relative_to(GRADERS_DIR.parent)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix != ".py"
    }


def planted_since(before: dict[str, str]) -> list[str]:
    """The files of foreign_files() that are new or changed since `before` (or gone), except
    compiled files whose code is exactly their source's."""
    after = foreign_files()
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    return [name for name in changed if not compiled_from_its_source(GRADERS_DIR.parent / name)]


def compiled_from_its_source(path: Path) -> bool:
    """Whether `path` is __pycache__/NAME.TAG.pyc holding exactly the code NAME.py compiles to."""
    try:
        source = Path(importlib.util.source_from_cache(str(path)))
        code = marshal.loads(path.read_bytes()[PYC_HEADER_BYTES:])
        return code == compile(source.read_bytes(), str(source), "exec", dont_inherit=True)
    except (ValueError, OSError, EOFError, TypeError, SyntaxError):
        return False
