"""The kit's modules run from their source only, whatever compiled file lies beside them
(graders/engine/source_only_import.py), and a compiled file is told apart from a planted one
(graders/engine/foreign_files.py). In a copy of the kit: nothing is planted in the checkout."""

import importlib._bootstrap_external as bootstrap_external
import importlib.machinery
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from course.graders.engine.foreign_files import compiled_from_its_source
from tests.engine.kit_copy import copy_of_the_kit

IMPORT_ERRORS = """
import runpy, sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "policy":  # as cli/__init__.py puts it in place
    runpy.run_path(sys.argv[3], run_name="policy")["install"]()
try:
    import course.graders.kit.errors as errors
except ImportError as error:
    print("ImportError")
else:
    print("planted" if hasattr(errors, "PLANTED") else "source")
"""


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    return copy_of_the_kit(tmp_path_factory.mktemp("kit"))


def import_errors_module(kit: Path, policy: bool) -> str:
    """What `import course.graders.kit.errors` runs in a fresh process using `kit`."""
    policy_file = kit / "course" / "graders" / "engine" / "source_only_import.py"
    command = [sys.executable, "-c", IMPORT_ERRORS, str(kit), "policy" if policy else "none"]
    done = subprocess.run([*command, str(policy_file)], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def plant_compiled(source: Path, extra: str) -> Path:
    """A compiled file for `source` with `extra` appended, its header copying the source's
    mtime and size: Python's own loader takes it for the source's."""
    code = compile(source.read_text() + extra, str(source), "exec")
    stat = source.stat()
    pyc = Path(importlib.util.cache_from_source(str(source)))
    pyc.parent.mkdir(exist_ok=True)
    pyc.write_bytes(bootstrap_external._code_to_timestamp_pyc(code, stat.st_mtime, stat.st_size))
    return pyc


def test_a_planted_compiled_file_is_run_by_python_but_never_by_the_kit(kit):
    source = kit / "course" / "graders" / "kit" / "errors.py"
    pyc = plant_compiled(source, "\nPLANTED = True\n")
    try:
        assert import_errors_module(kit, policy=False) == "planted"
        assert import_errors_module(kit, policy=True) == "source"
    finally:
        pyc.unlink()


def test_an_extension_module_planted_beside_a_source_is_never_imported_by_the_kit(kit):
    source = kit / "course" / "graders" / "kit" / "errors.py"
    extension = source.with_name("errors" + importlib.machinery.EXTENSION_SUFFIXES[0])
    extension.write_bytes(b"not a shared library")  # Python's finder prefers it to the .py
    try:
        assert import_errors_module(kit, policy=False) == "ImportError"
        assert import_errors_module(kit, policy=True) == "source"
    finally:
        extension.unlink()


def test_a_compiled_file_python_wrote_is_told_apart_from_a_planted_one(tmp_path):
    source = tmp_path / "module.py"
    source.write_text("def double(x):\n    return 2 * x\n")
    pyc = plant_compiled(source, "")
    assert compiled_from_its_source(pyc)
    plant_compiled(source, "\ndef double(x):\n    return x\n")
    assert not compiled_from_its_source(pyc)
    pyc.write_bytes(b"garbage")
    assert not compiled_from_its_source(pyc)
    assert not compiled_from_its_source(tmp_path / "module.py")  # not a compiled file at all
