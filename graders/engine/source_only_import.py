"""The kit runs only from its source: each of its modules is compiled in memory from its .py
file, never loaded from a compiled file (__pycache__/*.pyc, or a .pyc or .so beside it).

Without isolation, learner code runs as the same user as the kit, so it can write a compiled
file for a kit module whose header copies the source's mtime and size: Python would run that
instead of the unchanged .py, in every later run. So each grading process (pytest, the
learner worker, the warm grader) starts as this file run as a script,
`python -P -B source_only_import.py MODULE ARGS...` (a script is always compiled from its
source), which puts the policy below in place before any kit module is imported and then runs
MODULE as `python -m MODULE ARGS...` would; -P keeps the current folder off sys.path, -B
writes no compiled file. The `course` command puts it in place first thing too
(cli/__init__.py). Kit modules are those named course.*, and the files in graders/ that
pytest imports under other names (the grader files, conftest.py).

What it costs: compiling the kit modules a process imports (bench/source_only_startup.py:
50 to 80 ms for the 54 of `course grade`, 20 ms for the learner worker's 10).
"""

import os
import runpy
import sys
from importlib.machinery import ModuleSpec, SourceFileLoader
from importlib.util import spec_from_file_location
from pathlib import Path

# Found here, as kit/paths.py finds them: no kit module may be imported before install().
GRADERS_DIR = Path(__file__).resolve().parents[1]
KIT_ROOT = GRADERS_DIR.parent
"""The folder holding the kit's packages (a checkout, or site-packages/course/)."""
PYTHON_OPTIONS = ("-P", "-B")


def python_command(module: str) -> list[str]:
    """The command that runs `python -m MODULE` with every kit module compiled from source."""
    return [sys.executable, *PYTHON_OPTIONS, str(Path(__file__).resolve()), module]


def install() -> None:
    """From now on, every kit module this process imports is compiled from its source."""
    if getattr(SourceFileLoader.get_code, "compiles_the_kit_from_source", False):
        return
    compiled_or_cached = SourceFileLoader.get_code

    def get_code(loader: SourceFileLoader, fullname: str):
        in_learner_folder = os.path.realpath(loader.path).startswith(tuple(learner_folders))
        if not is_kit_module(fullname, loader.path) and not in_learner_folder:
            return compiled_or_cached(loader, fullname)
        return loader.source_to_code(loader.get_data(loader.path), loader.path)

    learner_folders: list[str] = []
    get_code.compiles_the_kit_from_source = True
    get_code.learner_folders = learner_folders  # one list, whichever copy of this file runs
    SourceFileLoader.get_code = get_code
    sys.meta_path.insert(0, KitSourceFinder())


def compile_learner_files_from_source(folder: str | os.PathLike) -> None:
    """From now on, every module this process imports from a file in `folder` is compiled
    from its source too: the learner writes that folder's __pycache__, where a compiled file
    whose header copies an untouched file's mtime and size would run instead of the source
    that the static scan read."""
    install()  # this file may run as a script too: the list lives on the installed get_code
    SourceFileLoader.get_code.learner_folders.append(os.path.join(os.path.realpath(folder), ""))


def is_kit_module(fullname: str, path: str) -> bool:
    """Whether the module `fullname` at `path` is the kit's own."""
    in_graders = os.path.realpath(path).startswith(str(GRADERS_DIR) + os.sep)
    return fullname == "course" or fullname.startswith("course.") or in_graders


class KitSourceFinder:
    """Finds course.* modules as .py files only. Python's own finder prefers an extension
    module (.so) or a compiled file beside a missing .py: neither is ever the kit's."""

    def find_spec(self, fullname: str, path=None, target=None) -> ModuleSpec | None:
        if not fullname.startswith("course."):
            return None
        parent, _, name = fullname.rpartition(".")
        folders = [str(KIT_ROOT)] if parent == "course" else list(path or [])
        for folder in folders:
            package = os.path.join(folder, name)
            if os.path.isfile(os.path.join(package, "__init__.py")):
                init = os.path.join(package, "__init__.py")
                return spec_from_file_location(fullname, init, submodule_search_locations=[package])
            if os.path.isfile(package + ".py"):
                return spec_from_file_location(fullname, package + ".py")
        raise ModuleNotFoundError(f"No module named {fullname!r} (as source)", name=fullname)


def main(argv: list[str]) -> None:
    """MODULE ARGS...: install the policy, then run MODULE as `python -m MODULE ARGS...`."""
    install()
    module, *arguments = argv
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
