"""The nbgrader autograde step that scores the kit's test cells from the engine.

nbgrader gives a test cell its points when the cell ran without an error in the student's
kernel, and the student controls that kernel (a cell can patch any module the test cell
uses). This step runs right after nbgrader executed the notebook, in nbgrader's own
process: it grades each exercise's answer cell, read from the notebook, with
grade_exercises (the engine of `course grade`, learner code in its own process) and
replaces the outputs of every kit test cell with the engine's verdict, so nbgrader's
scores and the feedback are the engine's whatever the kernel printed.

A kit test cell is a grade cell whose source (restored by nbgrader from the instructor's
copy, hidden tests included) calls `expect_check_passes("<exercise>", "<check>")`; the
answer cell has the grade_id `<exercise>-answer`. Other cells, e.g. ones an instructor
added, are left to nbgrader. The generated nbgrader_config.py installs this step with
`autograde_preprocessors()`, which also swaps nbgrader's Execute for ExecuteForTheEngine:
the kernel it starts is told that the engine decides, so its test cells do not grade the
answer a second time (a slow answer would otherwise run out of the cell time limit in every
test cell, one after the other).
"""

import os
import tempfile
from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute, NbGraderPreprocessor

from course.graders.engine.declared import declared_checks
from course.graders.engine.grade import CheckResult, grade_exercises
from course.graders.kit.manifest import find_exercise, load_manifest
from course.graders.kit.paths import grader_path
from course.graders.notebooks.cells import checked_by, exercise_of_answer
from course.graders.notebooks.kernel_checks import ENGINE_DECIDES_VARIABLE, passed_text

GONE = "{check} is not a check of the kit's grader any more: run `course release` again."
MISSING_ANSWER = "The answer cell of {name} is not in this notebook, so this check earns nothing."


class ExecuteForTheEngine(Execute):
    """nbgrader's Execute, with a kernel whose kit test cells leave the verdicts to EngineVerdicts."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        os.environ[ENGINE_DECIDES_VARIABLE] = "1"  # the kernel inherits nbgrader's environment
        try:
            return super().preprocess(nb, resources)
        finally:
            os.environ.pop(ENGINE_DECIDES_VARIABLE, None)


class EngineVerdicts(NbGraderPreprocessor):
    """Set every kit test cell's outputs from the engine's verdict on the answer cell."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        exercise_names = {exercise.name for exercise in load_manifest()}
        answers: dict[str, list[str]] = {}
        test_cells: dict[str, list[tuple[NotebookNode, str]]] = {}
        for cell in nb.cells:
            nbgrader = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code":
                continue
            if nbgrader.get("grade"):
                called = checked_by(cell.source)
                if called and called[0] in exercise_names:
                    test_cells.setdefault(called[0], []).append((cell, called[1]))
            elif nbgrader.get("solution"):
                exercise_name = exercise_of_answer(nbgrader.get("grade_id", ""))
                if exercise_name:
                    answers.setdefault(exercise_name, []).append(cell.source)
        for exercise_name, cells in test_cells.items():
            verdicts = self._grade(exercise_name, answers.get(exercise_name))
            for cell, check_name in cells:
                cell.outputs = verdict_outputs(verdicts.get(check_name) or _gone(check_name))
        return nb, resources

    def _grade(self, exercise_name: str, sources: list[str] | None) -> dict[str, CheckResult]:
        """Every check's verdict on the answer cell(s), graded as one file."""
        if sources is None:
            message = MISSING_ANSWER.format(name=exercise_name)
            return {
                check.name: CheckResult(
                    check.name, check.description, check.points, False, message, 0.0
                )
                for check in declared_checks(grader_path(exercise_name))
            }
        with tempfile.TemporaryDirectory(prefix="course-autograde-") as folder:
            impl = Path(folder) / f"{exercise_name}.py"
            impl.write_text("\n\n".join(sources), encoding="utf-8")
            exercise = find_exercise(exercise_name)
            result = grade_exercises(Path(folder), [exercise], impl=impl)[0]
        self.log.info(
            "%s: %d/%d points from the kit's engine", exercise_name, result.earned, result.total
        )
        return {check.name: check for check in result.checks}


def _gone(check_name: str) -> CheckResult:
    message = GONE.format(check=check_name)
    return CheckResult(check_name, check_name, 0, False, message, 0.0)


def verdict_outputs(check: CheckResult) -> list[NotebookNode]:
    """What the test cell shows: a line when it passed, the teaching message as an error if not."""
    if check.passed:
        text = passed_text(check.description, check.points, check.message)
        return [new_output("stream", name="stdout", text=text)]
    return [
        new_output(
            "error",
            ename="AssertionError",
            evalue=check.message,
            traceback=[f"✗ {check.description} (0/{check.points} points)", check.message],
        )
    ]


def autograde_preprocessors() -> list[type]:
    """nbgrader's autograde steps, executing with ExecuteForTheEngine, then EngineVerdicts."""
    from nbgrader.converters import Autograde

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    execute = steps.index(Execute)
    return steps[:execute] + [ExecuteForTheEngine, EngineVerdicts] + steps[execute + 1 :]
