"""The steps `nbgrader_config.py` gives nbgrader's autograde, and what a test cell does under them."""

import os

import pytest
from nbgrader.preprocessors import Execute

from course.graders.engine.grade import CheckResult
from course.graders.engine.learner import sandbox
from course.graders.engine.learner.sandbox import ALLOW_UNISOLATED_VARIABLE
from course.graders.kit.errors import UserError
from course.graders.notebooks import kernel_checks as notebook_checks
from course.graders.notebooks.answers import SUBMISSION_VARIABLE
from course.graders.notebooks.autograde import (
    EngineVerdicts,
    ExecuteForTheEngine,
    autograde_preprocessors,
    verdict_outputs,
)
from course.graders.notebooks.kernel_sandbox import SandboxedKernelManager


def test_autograde_executes_with_a_kernel_told_the_engine_decides_then_sets_the_verdicts():
    steps = autograde_preprocessors()
    assert Execute not in steps
    position = steps.index(ExecuteForTheEngine)
    assert steps[position + 1] is EngineVerdicts


def test_the_kernel_is_told_only_while_the_notebook_executes_where_the_submission_is(
    monkeypatch, tmp_path
):
    monkeypatch.delenv(notebook_checks.ENGINE_DECIDES_VARIABLE, raising=False)
    monkeypatch.setenv(ALLOW_UNISOLATED_VARIABLE, "1")  # sandboxed or not: not the point here
    seen = []

    def execute(self, nb, resources):
        seen.append(
            (
                os.environ.get(notebook_checks.ENGINE_DECIDES_VARIABLE),
                os.environ.get(SUBMISSION_VARIABLE),
            )
        )
        return nb, resources

    monkeypatch.setattr(Execute, "preprocess", execute)
    monkeypatch.chdir(tmp_path)
    ExecuteForTheEngine().preprocess({}, {"nbgrader": {"student": "ada", "assignment": "week"}})
    assert seen == [("1", str(tmp_path / "submitted" / "ada" / "week"))]
    assert notebook_checks.ENGINE_DECIDES_VARIABLE not in os.environ
    assert SUBMISSION_VARIABLE not in os.environ


@pytest.fixture
def kernels_started(monkeypatch, tmp_path) -> list:
    """The kernel manager class of each notebook nbgrader's Execute would run (it runs none)."""
    started = []

    def execute(self, nb, resources):
        started.append(self.kernel_manager_class)
        return nb, resources

    monkeypatch.setattr(Execute, "preprocess", execute)
    monkeypatch.chdir(tmp_path)
    return started


AUTOGRADED = {"nbgrader": {"student": "ada", "assignment": "week"}}


def test_where_the_machine_can_sandbox_the_students_kernel_runs_sandboxed(
    monkeypatch, kernels_started
):
    monkeypatch.setattr(sandbox, "_probe", lambda: None)
    ExecuteForTheEngine().preprocess({}, AUTOGRADED)
    assert kernels_started == [SandboxedKernelManager]


def test_where_it_cannot_autograde_refuses_each_notebook_in_one_line_unless_the_risk_is_accepted(
    monkeypatch, kernels_started
):
    monkeypatch.setattr(sandbox, "_probe", lambda: "bubblewrap (`bwrap`) is not installed")
    monkeypatch.delenv(ALLOW_UNISOLATED_VARIABLE, raising=False)
    with pytest.raises(UserError) as refusal:
        ExecuteForTheEngine().preprocess({}, AUTOGRADED)
    assert kernels_started == []
    assert "\n" not in str(refusal.value)
    assert "bubblewrap" in str(refusal.value) and "COURSE_ALLOW_UNISOLATED=1" in str(refusal.value)
    monkeypatch.setenv(ALLOW_UNISOLATED_VARIABLE, "1")
    ExecuteForTheEngine().preprocess({}, AUTOGRADED)
    assert len(kernels_started) == 1 and kernels_started[0] is not SandboxedKernelManager


def test_under_autograde_a_test_cell_grades_nothing_in_the_kernel(monkeypatch, capsys):
    monkeypatch.setenv(notebook_checks.ENGINE_DECIDES_VARIABLE, "1")

    def no_grading(*args):
        raise AssertionError("the kernel graded the answer")

    monkeypatch.setattr(notebook_checks, "_verdicts", no_grading)
    notebook_checks.expect_check_passes("lstm_cell", "test_hx_none_means_a_zero_state")
    assert "scored by the kit's engine" in capsys.readouterr().out


def test_outside_autograde_a_test_cell_needs_the_answer_cell_run_first(monkeypatch):
    monkeypatch.delenv(notebook_checks.ENGINE_DECIDES_VARIABLE, raising=False)
    with pytest.raises(AssertionError, match="Run the answer cell of lstm_cell first"):
        notebook_checks.expect_check_passes("lstm_cell", "test_hx_none_means_a_zero_state")


def test_a_passed_test_cell_shows_its_points_and_what_the_check_measured():
    check = CheckResult("a", "Reaches 80%.", 6, True, "81.18% of the 10000 test images.", 1.0)
    (output,) = verdict_outputs(check)
    assert output.text == "✓ Reaches 80%. (6/6 points)\n  81.18% of the 10000 test images.\n"
    (output,) = verdict_outputs(CheckResult("b", "Shapes.", 2, True, "", 0.1))
    assert output.text == "✓ Shapes. (2/2 points)\n"
