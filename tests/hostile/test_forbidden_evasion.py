"""Learner files that reach PyTorch's own version of an exercise past the three nets of
graders/engine/forbidden/ earn nothing for it, sandboxed (as `course grade` runs by default).

Each file of tests/hostile/evasion/ is named `<exercise>_<how>.py` and, unrefused, would earn
full marks: every check it would forge must earn nothing.
"""

import importlib.util
import os
import shutil
from importlib._bootstrap_external import _code_to_timestamp_pyc
from pathlib import Path

import pytest

from course.graders.kit.stubs import pristine_stub
from tests.kit import grade_file

pytestmark = pytest.mark.slow
EVASION_DIR = Path(__file__).parent / "evasion"


def graded_copy(evasion_file: str, folder: Path) -> tuple[str, Path]:
    """(exercise, the file copied as folder/<exercise>.py)."""
    exercise = next(
        name for name in ("lstm_cell", "attention", "clipping") if evasion_file.startswith(name)
    )
    target = folder / f"{exercise}.py"
    shutil.copyfile(EVASION_DIR / evasion_file, target)
    return exercise, target


def assert_earns_nothing(result) -> None:
    passed = [check.name for check in result.checks if check.passed]
    assert result.earned == 0 and not passed, f"{result.earned} points, passed: {passed}"


@pytest.mark.parametrize(
    "evasion_file",
    [
        # torch._decomp's Python LSTM: no blocked operation runs, no forbidden name is written
        "lstm_cell_through_its_decomposition.py",
        # getattr on a parameter with a joined name: the guard found in a wrapper's closure
        "clipping_with_the_guard_switched_off.py",
        "attention_with_the_guard_switched_off.py",
        # no built name: inspect.getmembers and inspect.getclosurevars find the guard
        "clipping_with_the_guard_found_by_inspect.py",
        # what the guard records struck off the reply (torch.save replaced); the functions
        # reached through gc.get_referents and a built key
        "clipping_with_its_reply_rewritten.py",
        "lstm_cell_through_its_decomposition_reply_rewritten.py",
    ],
)
def test_pytorchs_own_version_reached_past_the_nets_earns_nothing(evasion_file, tmp_path):
    exercise, graded = graded_copy(evasion_file, tmp_path)
    assert_earns_nothing(grade_file(exercise, graded))


def test_a_compiled_file_beside_an_untouched_stub_is_not_what_runs(tmp_path):
    """__pycache__/clipping.<tag>.pyc whose header copies the stub's mtime and size, holding
    code the static scan would refuse: Python would run it instead of the stub it scanned."""
    graded = tmp_path / "clipping.py"
    graded.write_text(pristine_stub("clipping"), encoding="utf-8")
    hostile = (EVASION_DIR / "clipping_compiled_beside_its_stub.py").read_text(encoding="utf-8")
    code = compile(hostile, str(graded), "exec")
    stat = os.stat(graded)
    compiled = Path(importlib.util.cache_from_source(str(graded)))
    compiled.parent.mkdir()
    compiled.write_bytes(_code_to_timestamp_pyc(code, int(stat.st_mtime), stat.st_size))
    assert_earns_nothing(grade_file("clipping", graded))


def test_a_compiled_file_shadowing_an_installed_module_is_refused(tmp_path):
    """tabnanny.pyc in the learner's folder, the graded file only `from tabnanny import ...`:
    the compiled file would run before the installed module, and no scan has read it."""
    graded = tmp_path / "clipping.py"
    graded.write_text("from tabnanny import clip_grad_norm_, clip_grad_value_\n", encoding="utf-8")
    hostile = (EVASION_DIR / "clipping_compiled_beside_its_stub.py").read_text(encoding="utf-8")
    code = compile(hostile, str(tmp_path / "tabnanny.py"), "exec")
    (tmp_path / "tabnanny.pyc").write_bytes(_code_to_timestamp_pyc(code, 0, 0))
    assert_earns_nothing(grade_file("clipping", graded))
