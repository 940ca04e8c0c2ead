"""The bypasses an adversarial review used to get full marks with PyTorch's own version of
an exercise (tests/mutants/<exercise>/pytorchs_*.py: an alias of torch, a name built at run
time, a thread, TorchScript compiled from a string, the guard switched off through the
stack, torch functions disabled, an operator of the learner's own) earn nothing: the static
scan refuses each file, and should it be fooled, the learner process refuses each call."""

import json
import subprocess
import sys
import time

import pytest
import torch

from course.graders.engine.learner.process import ForbiddenCallUsed, LearnerProcess
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import solution_path
from tests.kit import mutant_declaration, mutant_files, write_mutant

pytestmark = pytest.mark.slow

PYTORCHS_OWN = {
    "lstm_cell": "torch.lstm_cell",
    "attention": "torch.nn.functional.scaled_dot_product_attention",
}
BYPASSES = [
    (exercise, path)
    for exercise in PYTORCHS_OWN
    for path in mutant_files(exercise)
    if path.stem.startswith("pytorchs_")
]


def bypass_source(exercise: str, bypass, folder) -> str:
    return write_mutant(exercise, bypass, folder).read_text(encoding="utf-8")


def test_there_is_each_bypass_for_each_exercise():
    for exercise in PYTORCHS_OWN:
        stems = {path.stem.split("_", 2)[2] for name, path in BYPASSES if name == exercise}
        assert stems == {
            "reached_through_an_alias_of_torch", "reached_by_a_name_built_at_run_time",
            "called_in_a_thread", "compiled_from_a_string_by_torchscript",
            "called_after_switching_the_guard_off_through_the_stack",
            "called_with_torch_functions_disabled", "hidden_in_an_operator_of_its_own",
        }, exercise  # fmt: skip


UNDEFENDED = """
import json, sys, types
import torch
from torch.nn import functional as F

def forged_error(exercise, source):
    module = types.ModuleType("forged")
    exec(compile(source, "forged.py", "exec"), module.__dict__)
    torch.manual_seed(0)
    if exercise == "lstm_cell":
        cell, x = module.LSTMCell(3, 4), torch.randn(2, 3)
        reference = torch.nn.LSTMCell(3, 4)
        reference.load_state_dict(cell.state_dict())
        return max(float((got - want).abs().max()) for got, want in zip(cell(x), reference(x)))
    q, k, v = torch.randn(3, 2, 5, 4).unbind(0)
    mask = torch.ones(5, 5, dtype=torch.bool).tril()
    output, _ = module.scaled_dot_product_attention(q, k, v, mask)
    return float((output - F.scaled_dot_product_attention(q, k, v, attn_mask=mask)).abs().max())

print(json.dumps({name: forged_error(*case) for name, case in json.load(sys.stdin).items()}))
"""


def test_each_bypass_forges_pytorchs_result_where_nothing_stops_it(tmp_path):
    """The bypasses are real: in a plain Python process they compute PyTorch's result."""
    cases = {
        path.stem: (exercise, bypass_source(exercise, path, tmp_path))
        for exercise, path in BYPASSES
    }
    completed = subprocess.run(
        [sys.executable, "-c", UNDEFENDED], input=json.dumps(cases),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    errors = json.loads(completed.stdout.strip().splitlines()[-1])
    assert errors.keys() == cases.keys()
    assert all(error < 1e-5 for error in errors.values()), errors


@pytest.mark.parametrize(
    "exercise, bypass", BYPASSES, ids=lambda value: getattr(value, "stem", value)
)
def test_each_bypass_earns_nothing_and_the_forged_checks_say_why(exercise, bypass, mutant_grades):
    result = mutant_grades.grade(exercise, bypass)
    declared = mutant_declaration(bypass)
    failed = {check.name: check.message for check in result.checks if not check.passed}
    assert result.earned == 0
    for check in declared["LOSES"]:
        assert declared["MESSAGES"][check] in failed[check], failed[check]
        assert "no check can give points" in failed[check] or "own version" in failed[check]


def forged_lstm_cell_step(impl, source):
    """Probe: one step of the bypass's cell, its module made from `source` in this process."""
    import types

    bypass = types.ModuleType("bypass")
    exec(compile(source, "bypass.py", "exec"), bypass.__dict__)
    torch.manual_seed(0)
    return bypass.LSTMCell(3, 4)(torch.randn(2, 3))


def forged_attention(impl, source):
    """Probe: the bypass's attention, its module made from `source` in this process."""
    import types

    bypass = types.ModuleType("bypass")
    exec(compile(source, "bypass.py", "exec"), bypass.__dict__)
    q, k, v = torch.randn(3, 2, 5, 4).unbind(0)
    return bypass.scaled_dot_product_attention(q, k, v, torch.ones(5, 5, dtype=torch.bool))


class UnscannedLearnerProcess(LearnerProcess):
    """A learner process as grading starts it, as if the static scan had been fooled."""

    def _find_static_failure(self):
        return None


@pytest.mark.parametrize("exercise", PYTORCHS_OWN)
def test_with_the_static_scan_fooled_the_learner_process_still_refuses_each_bypass(
    exercise, tmp_path
):
    probe = {"lstm_cell": forged_lstm_cell_step, "attention": forged_attention}[exercise]
    learner = UnscannedLearnerProcess(solution_path(exercise), find_exercise(exercise))
    try:
        for name, bypass in BYPASSES:
            if name != exercise:
                continue
            source = bypass_source(exercise, bypass, tmp_path)
            with pytest.raises(ForbiddenCallUsed) as refused:
                learner.run(probe, (source,), {}, deadline=time.monotonic() + 60)
            assert PYTORCHS_OWN[exercise] in str(refused.value), (bypass.stem, refused.value)
    finally:
        learner.close()
