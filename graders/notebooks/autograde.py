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
test cell, one after the other), and where the submitted notebooks are (answers.py).

Both steps run the student's code sandboxed (engine/learner/sandbox.py): the kernel
(kernel_sandbox.py) and the engine's learner process. Where this machine cannot sandbox,
autograde refuses each notebook (nbgrader then records no score for it and exits non-zero)
unless COURSE_ALLOW_UNISOLATED=1 is in nbgrader's environment.

An exercise that builds on others (`builds_on`) is graded beside the answer cells of the
student's submitted notebooks of those exercises; one that trains is graded with the run
submitted beside its notebook (runs/<exercise>/: autograde never trains), on the dataset
folder the instructor sets once: `c.EngineVerdicts.data_folder` (`course release --data DIR`).
Messages name the cells, not the files graded (answers.in_notebook_terms).
"""

import dataclasses
import os
import tempfile
from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Unicode

from course.graders.engine.declared import declared_checks
from course.graders.engine.grade import CheckResult, grade_exercises
from course.graders.engine.learner.sandbox import instructor_isolation
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import find_exercise, load_manifest
from course.graders.kit.paths import grader_path
from course.graders.kit.staging import stage_exercise
from course.graders.kit.workspace import run_folder
from course.graders.notebooks.answers import (
    SUBMISSION_VARIABLE,
    AnswersMissing,
    builds_on_answers,
    in_notebook_terms,
)
from course.graders.notebooks.cells import checked_by, exercise_of_answer
from course.graders.notebooks.kernel_checks import ENGINE_DECIDES_VARIABLE, passed_text
from course.graders.notebooks.kernel_sandbox import SandboxedKernelManager

GONE = "{check} is not a check of the kit's grader any more: run `course release` again."
MISSING_ANSWER = "The answer cell of {name} is not in this notebook, so this check earns nothing."
NO_DATA_FOLDER = (
    "%s reads %s and no data folder is set: its result checks look in the default place. "
    "Set c.EngineVerdicts.data_folder in nbgrader_config.py (`course release --data DIR`)."
)


def submission_folder(preprocessor: NbGraderPreprocessor, resources: dict) -> Path:
    """The submitted folder of the notebook being autograded: the student's other notebooks."""
    coursedir = CourseDirectory(config=preprocessor.config)
    student, assignment = resources["nbgrader"]["student"], resources["nbgrader"]["assignment"]
    return Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))


def isolation(preprocessor: NbGraderPreprocessor) -> bool:
    """Whether the student's code runs sandboxed (False: unavailable, and the risk accepted);
    a refusal is logged in one line and raised."""
    try:
        return instructor_isolation()
    except UserError as refusal:
        preprocessor.log.error("%s", refusal)
        raise


class ExecuteForTheEngine(Execute):
    """nbgrader's Execute, with a kernel, sandboxed, whose kit test cells leave the verdicts
    to EngineVerdicts."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        if isolation(self):
            self.kernel_manager_class = SandboxedKernelManager
        # the kernel inherits nbgrader's environment
        os.environ[ENGINE_DECIDES_VARIABLE] = "1"
        os.environ[SUBMISSION_VARIABLE] = str(submission_folder(self, resources))
        try:
            return super().preprocess(nb, resources)
        finally:
            os.environ.pop(ENGINE_DECIDES_VARIABLE, None)
            os.environ.pop(SUBMISSION_VARIABLE, None)


class EngineVerdicts(NbGraderPreprocessor):
    """Set every kit test cell's outputs from the engine's verdict on the answer cell."""

    data_folder = Unicode(
        "",
        help="The dataset folder of exercises whose manifest entry declares a dataset (their "
        "result checks evaluate the submitted model on its test set); empty: the default place.",
    ).tag(config=True)

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
            verdicts = self._grade(exercise_name, answers.get(exercise_name), resources)
            for cell, check_name in cells:
                cell.outputs = verdict_outputs(verdicts.get(check_name) or _gone(check_name))
        return nb, resources

    def _grade(
        self, exercise_name: str, sources: list[str] | None, resources: dict
    ) -> dict[str, CheckResult]:
        """Every check's verdict on the answer cell(s), graded as one file beside the answers
        it builds on (from the submitted notebooks) and the run submitted beside the notebook."""
        exercise = find_exercise(exercise_name)
        if sources is None:
            return _all_failed(exercise_name, MISSING_ANSWER.format(name=exercise_name))
        try:
            learner_sources = {
                **builds_on_answers(exercise_name, submission_folder(self, resources)),
                exercise_name: "\n\n".join(sources),
            }
        except AnswersMissing as error:
            return _all_failed(exercise_name, str(error))
        if exercise.dataset and not self.data_folder:
            self.log.warning(NO_DATA_FOLDER, exercise_name, exercise.dataset)
        notebook_folder = Path(resources["metadata"]["path"])
        with tempfile.TemporaryDirectory(prefix="course-autograde-") as scratch:
            folder = Path(scratch).resolve()
            run = run_folder(notebook_folder, exercise_name) if exercise.trainer else None
            impl = stage_exercise(exercise, learner_sources, folder, run=run)
            data = Path(self.data_folder) if self.data_folder else None
            result = grade_exercises(
                folder, [exercise], impl=impl, data=data, isolated=isolation(self)
            )[0]
        self.log.info(
            "%s: %d/%d points from the kit's engine", exercise_name, result.earned, result.total
        )
        return {
            check.name: dataclasses.replace(
                check, message=in_notebook_terms(check.message, exercise_name, folder)
            )
            for check in result.checks
        }


def _all_failed(exercise_name: str, message: str) -> dict[str, CheckResult]:
    return {
        check.name: CheckResult(check.name, check.description, check.points, False, message, 0.0)
        for check in declared_checks(grader_path(exercise_name))
    }


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
