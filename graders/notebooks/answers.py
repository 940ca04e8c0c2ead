"""The answer cells of a submission's notebooks, and grader messages told in notebook terms.

An exercise that builds on others (`builds_on` in the manifest, kit/staging.py) uses the
learner's own answers to them: the answer cells of the other notebooks of the same
assignment folder (residual_block.ipynb beside cifar_challenge.ipynb). No notebook holds
another exercise's code, so releasing one hands out no answer, and the learner writes each
part once. The same answers are read in three places:
    the kernel          load_builds_on() makes them importable (`from residual_block import
                        ResidualBlock` in the answer cell); kernel_checks.py and training.py
                        stage them beside the answer cell
    autograde           autograde.py stages them from the submitted notebooks
Under autograde, ExecuteForTheEngine tells the kernel where the submission is
(SUBMISSION_VARIABLE); otherwise it is the kernel's folder, the notebook's own.
Nothing here imports nbgrader or torch: the student's kernel imports it.
"""

import json
import os
import re
import sys
import types
from pathlib import Path

from course.graders.kit.manifest import find_exercise
from course.graders.kit.staging import builds_on_missing_message, needed_exercises
from course.graders.notebooks.cells import answer_grade_id

SUBMISSION_VARIABLE = "COURSE_KIT_SUBMISSION"
"""Set in the kernel's environment while nbgrader autogrades: the submitted notebooks' folder."""


def answers_folder() -> Path:
    """Where the kernel reads the other notebooks: the submission under autograde, else here."""
    return Path(os.environ.get(SUBMISSION_VARIABLE) or Path.cwd())


def read_answers(folder: Path, exercise_names: list[str]) -> dict[str, str]:
    """{exercise: source of its answer cell} from folder/<exercise>.ipynb, for those found."""
    answers = {}
    for name in exercise_names:
        try:
            notebook = json.loads((Path(folder) / f"{name}.ipynb").read_text(encoding="utf-8"))
            cells = [
                cell
                for cell in notebook["cells"]
                if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                == answer_grade_id(name)
            ]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if cells:
            source = cells[0].get("source", "")
            answers[name] = "".join(source) if isinstance(source, list) else str(source)
    return answers


def builds_on_answers(exercise_name: str, folder: Path) -> dict[str, str]:
    """The answers `exercise_name` builds on, from the notebooks in `folder`; if one is
    missing, raises AnswersMissing saying which notebook to save or submit."""
    exercise = find_exercise(exercise_name)
    needed = needed_exercises(exercise)[:-1]
    answers = read_answers(folder, needed)
    missing = [name for name in needed if name not in answers]
    if missing:
        notebooks = ", ".join(f"{name}.ipynb" for name in missing)
        raise AnswersMissing(
            builds_on_missing_message(
                exercise, missing, f"in {notebooks} beside this notebook (save it there)"
            )
        )
    return answers


class AnswersMissing(Exception):
    """An exercise builds on an answer cell that is not in the submission's folder."""


def load_builds_on(exercise_name: str) -> None:
    """In the kernel: each exercise `exercise_name` builds on, made importable by its name from
    the answer cell of its notebook beside this one."""
    folder = answers_folder()
    for name, source in builds_on_answers(exercise_name, folder).items():
        module = types.ModuleType(name, f"Your answer cell of {name}.ipynb.")
        module.__file__ = str(folder / f"{name}.ipynb")
        code = compile(source, f"answer cell of {name}.ipynb", "exec")
        sys.modules[name] = module
        exec(code, module.__dict__)
        print(f"{name}: your answer cell of {name}.ipynb, as last saved")


def in_notebook_terms(message: str, exercise_name: str, staged_folder: Path) -> str:
    """A grader message about files staged in `staged_folder`, as a notebook learner reads it:
    paths relative to the notebook, `<name>.py` as that notebook's answer cell, and the
    command that trains as the notebook's training cell."""
    message = message.replace(f"{staged_folder}{os.sep}", "")
    for name in needed_exercises(find_exercise(exercise_name)):
        message = re.sub(
            rf"(?<![\w./]){re.escape(name)}\.py\b", f"answer cell of {name}.ipynb", message
        )
    return re.sub(
        r"`course train (\w+)`(?: \([^)]*--data[^)]*\))?",
        r"the training cell of \1.ipynb",
        message,
    )
