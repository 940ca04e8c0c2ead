"""The kit never runs bytecode it did not compile itself: a compiled file that learner code
plants for an engine module, beside its unchanged source, is never run by a later grading,
and the run that planted it earns nothing.

The learner file plants graders/engine/__pycache__/compare.cpython-*.pyc, with a header
copying compare.py's mtime and size, whose expect_close accepts anything: Python's own
loader would run it in place of compare.py. It runs unsandboxed, as the same user as the kit,
so it grades with a copy of the kit (tests/engine/kit_copy.py): the compiled file it plants
can never reach the checkout these tests run from.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from course.graders.engine.learner.sandbox import unavailable_reason
from course.graders.kit.paths import solution_path
from tests.engine.kit_copy import copy_of_the_kit

pytestmark = pytest.mark.slow

POISON = "\nPOISONED = True\ndef expect_close(*args, **kwargs):\n    return None\n"
PLANT = """
try:  # bytes prepared beforehand and a written-out path: nothing the static scan refuses
    with open({target!r}, "wb") as _pyc:
        _pyc.write({payload!r})
except OSError:
    pass  # a read-only kit (the sandbox)
"""
"""What a determined learner appends: a compiled file for the engine's compare.py, prepared
on their own machine (a timestamp header copying the source's mtime and size, then the
poisoned code), written where Python's own loader would look for it."""


def plant_for(kit: Path) -> str:
    """PLANT filled in for `kit`'s compare.py."""
    import importlib._bootstrap_external as external
    import importlib.util

    source = next(kit.rglob("graders/engine/compare.py"))
    code = compile(source.read_text(encoding="utf-8") + POISON, str(source), "exec")
    stat = source.stat()
    payload = bytes(external._code_to_timestamp_pyc(code, stat.st_mtime, stat.st_size))
    target = importlib.util.cache_from_source(str(source))
    Path(target).parent.mkdir(exist_ok=True)  # Python's own __pycache__, as a first run leaves it
    return PLANT.format(target=target, payload=payload)


WRONG_GATE_ORDER = ("i, f, g, o = gates.chunk(4, dim=1)", "f, i, g, o = gates.chunk(4, dim=1)")
CELL_CHECK = "test_h_and_c_match_torch_lstm_cell_with_the_same_weights"
GRADE_WITH_THE_COPY = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import course.cli  # noqa: F401 - as the copy's `course` command starts: its policy first
from course.graders.engine.grade import grade_exercises
from course.graders.kit.manifest import find_exercise
impl = Path(sys.argv[2])
isolated = sys.argv[3] == "isolated"
result = grade_exercises(impl.parent, [find_exercise("lstm_cell")], impl=impl, isolated=isolated)
print(json.dumps({"engine": sys.modules[grade_exercises.__module__].__file__,
                  "checks": {check.name: [check.passed, check.message] for check in result[0].checks}}))
"""


def grade_with(kit: Path, impl: Path, isolated: bool) -> dict[str, list]:
    """{check: [passed, message]} of `impl` graded by `kit` as `course grade` does."""
    mode = "isolated" if isolated else "unisolated"
    done = subprocess.run(
        [sys.executable, "-c", GRADE_WITH_THE_COPY, str(kit), str(impl), mode],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    graded = json.loads(done.stdout.splitlines()[-1])
    assert graded["engine"].startswith(str(kit)), "graded by the checkout, not the copy"
    return graded["checks"]


def learner_file(folder: Path, plant: str, wrong: bool) -> Path:
    """The reference lstm_cell, its gates unpacked in the wrong order if `wrong`, with `plant`
    appended."""
    source = solution_path("lstm_cell").read_text(encoding="utf-8")
    if wrong:
        source = source.replace(*WRONG_GATE_ORDER)
    folder.mkdir(exist_ok=True)
    path = folder / "lstm_cell.py"
    path.write_text(source + plant, encoding="utf-8")
    return path


def runs_poisoned_outside_the_kits_policy(kit: Path) -> bool:
    """Whether a Python process without the source-only policy imports the planted code."""
    probe = "import sys; sys.path.insert(0, sys.argv[1]); import course.graders.engine.compare as c; print(hasattr(c, 'POISONED'))"  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe, str(kit)], capture_output=True, text=True)
    return done.stdout.strip() == "True"


def test_a_planted_compiled_engine_module_voids_its_run_and_is_never_run_by_a_later_one(
    tmp_path,
):
    kit = copy_of_the_kit(tmp_path / "kit")
    planting = grade_with(
        kit, learner_file(tmp_path / "planting", plant_for(kit), wrong=False), False
    )
    for passed, message in planting.values():  # the reference solution, but it planted a file
        assert not passed
        assert "changed while your code ran" in message and "compare.cpython" in message
    assert runs_poisoned_outside_the_kits_policy(kit), "the planted file is not a working plant"

    later = grade_with(kit, learner_file(tmp_path / "later", "", wrong=True), False)
    passed, message = later[CELL_CHECK]
    assert not passed and "the gates are unpacked in the wrong order" in message
    assert not any("changed while your code ran" in message for _, message in later.values())


@pytest.mark.skipif(unavailable_reason() is not None, reason=f"no sandbox: {unavailable_reason()}")
def test_in_the_sandbox_the_kit_cannot_be_planted_at_all(tmp_path):
    kit = copy_of_the_kit(tmp_path / "kit")
    graded = grade_with(kit, learner_file(tmp_path / "planting", plant_for(kit), wrong=False), True)
    assert all(passed for passed, _ in graded.values()), graded
    assert not list((kit / "course" / "graders").rglob("*.pyc"))
