"""The static scan over every file of the learner's that grading would run, not only the
graded one.

A learner's file may import other files of its folder (`import helpers`, or the exercises it
builds on): each is scanned as the graded file is, with the same forbidden names, however
deep the imports go. An import that names neither a file of the folder nor an installed
module is refused: it could only be a module learner code writes while it runs, which no
scan has read.
"""

import ast
import importlib.util
from dataclasses import replace
from pathlib import Path

from course.graders.engine.forbidden.static_scan import StaticUse, is_main_guard, static_uses

UNREADABLE_MODULE = (
    "imports a module that is neither a file of your folder nor installed here, so the "
    "grader cannot read it"
)
COMPILED_MODULE = (
    "imports a compiled file of your folder (.pyc or .so, without its source), which would "
    "run before any installed module of that name, so the grader cannot read it"
)


def static_uses_of_learner_files(graded: Path, forbidden: tuple[str, ...]) -> list[StaticUse]:
    """`static_uses` of `graded` and of every file of its folder it imports (each use
    naming its file when it is not the graded one), and each import of a module that is
    nowhere to be read."""
    folder = graded.parent
    uses: list[StaticUse] = []
    scanned: set[Path] = set()
    waiting = [graded]
    while waiting:
        path = waiting.pop(0)
        if path in scanned:
            continue
        scanned.add(path)
        source = path.read_text(encoding="utf-8", errors="replace")
        file = "" if path == graded else path.name
        uses += [replace(use, file=file) for use in static_uses(source, forbidden)]
        for name, line in _imported_top_names(source):
            local = _local_files(folder, name)
            if _compiled_files(folder, name):
                uses.append(StaticUse(name, line, tampering=True, why=COMPILED_MODULE, file=file))
            elif local:
                waiting += local
            elif not _installed(name):
                uses.append(StaticUse(name, line, tampering=True, why=UNREADABLE_MODULE, file=file))
    return uses


def _imported_top_names(source: str) -> list[tuple[str, int]]:
    """(top-level module name, line) of every absolute import outside the `__main__` block."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for statement in tree.body:
        if is_main_guard(statement):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Import):
                names += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append((node.module.split(".")[0], node.lineno))
    return names


def _local_files(folder: Path, name: str) -> list[Path]:
    """The files of `folder` that `import name` would run: name.py, or a package's files."""
    module = folder / f"{name}.py"
    if module.is_file():
        return [module]
    package = folder / name
    if (package / "__init__.py").is_file():
        return sorted(package.rglob("*.py"))
    return []


def _compiled_files(folder: Path, name: str) -> list[Path]:
    """Compiled files that `import name` could run from `folder` without a source beside
    them: name.pyc, an extension module name.*.so, or any such file in a package `name`."""
    beside = [*folder.glob(f"{name}.pyc"), *folder.glob(f"{name}.so"), *folder.glob(f"{name}.*.so")]
    package = folder / name
    inside = [*package.rglob("*.pyc"), *package.rglob("*.so")] if package.is_dir() else []
    return beside + [path for path in inside if "__pycache__" not in path.parts]


def _installed(name: str) -> bool:
    """Whether a top-level module `name` is importable here (found, never run)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
