"""What the kit's own tests share: grading a file, and building mutants from solutions.

A mutant is a tiny file in tests/mutants/<exercise>/ named for one learner mistake:
    '''Which learner makes this mistake, in one line.'''
    REPLACE = {"text in the solution": "the same text with the mistake"}
    LOSES = ["test_name_of_a_check_it_must_fail", ...]
    MESSAGES = {"test_name_of_a_check": "words its failure message must contain"}  # optional
Each REPLACE key must occur exactly once in the solution, so a mutant cannot silently
stop mutating when the solution is edited. A variant (tests/variants/<exercise>/) is a
correct implementation written differently, which must earn full marks: a whole file, or,
where it differs from the solution in a few lines, a REPLACE of the solution like a mutant's
(without LOSES).

An exercise that builds on others (`builds_on` in the manifest) is graded beside the
reference versions of those (kit/staging.py); one that trains (its manifest entry
names a trainer) is graded with a run of its reference on a small synthetic dataset, which
tests/trained_runs/<exercise>.py makes with `reference_run() -> (dataset folder, run folder)`.
"""

import ast
import atexit
import hashlib
import importlib
import json
import os
import tempfile
from pathlib import Path

from course.graders.engine.grade import ExerciseResult, grade_exercises
from course.graders.engine.warm_grader import WarmGrader
from course.graders.kit.manifest import find_exercise, load_manifest
from course.graders.kit.paths import solution_path
from course.graders.kit.staging import stage_exercise

TESTS_DIR = Path(__file__).parent
EXERCISE_NAMES = [exercise.name for exercise in load_manifest()]


def reference_run(exercise_name: str) -> tuple[Path, Path] | None:
    """(dataset folder, run folder) of the reference of an exercise that trains, else None."""
    if find_exercise(exercise_name).trainer is None:
        return None
    return importlib.import_module(f"tests.trained_runs.{exercise_name}").reference_run()


def grade_file(
    exercise_name: str, impl: Path, warm: bool = False, isolated: bool | None = None
) -> ExerciseResult:
    """Grade one implementation file with the exercise's grader, as `course grade` does.

    `warm`: in a fork of this test process's warm grading process (as class grading does),
    which spares Python's and torch's start-up: same engine, same verdicts. `isolated`: as
    grade_exercises' (None: sandboxed wherever this machine can).
    """
    impl, exercise = Path(impl), find_exercise(exercise_name)
    grade = _warm_grade if warm else grade_exercises
    if not exercise.builds_on and exercise.trainer is None:
        return grade(impl.parent, [exercise], impl=impl, isolated=isolated)[0]
    with tempfile.TemporaryDirectory(prefix=f"course-{exercise_name}-") as scratch:
        data, run = reference_run(exercise_name) or (None, None)
        sources = {name: solution_path(name).read_text(encoding="utf-8") for name in EXERCISE_NAMES}
        sources[exercise_name] = impl.read_text(encoding="utf-8")
        staged = stage_exercise(exercise, sources, Path(scratch), run=run)
        return grade(Path(scratch), [exercise], impl=staged, data=data, isolated=isolated)[0]


_warm_grader = WarmGrader()
atexit.register(_warm_grader.close)


def _warm_grade(
    workspace: Path, exercises: list, impl: Path, data: Path | None = None, isolated=None
) -> list:
    names = [exercise.name for exercise in exercises]
    results = _warm_grader.grade(workspace, names, data=data, impl=impl, isolated=isolated)
    return [ExerciseResult.from_json(result) for result in results]


def mutant_files(exercise_name: str) -> list[Path]:
    return sorted((TESTS_DIR / "mutants" / exercise_name).glob("*.py"))


def variant_files(exercise_name: str) -> list[Path]:
    return sorted((TESTS_DIR / "variants" / exercise_name).glob("*.py"))


def is_replacement(file: Path) -> bool:
    """Whether a mutant or variant file is a REPLACE of the solution (not a whole file)."""
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == "REPLACE" for target in node.targets)
        for node in ast.parse(file.read_text(encoding="utf-8")).body
    )


def mutant_declaration(mutant_file: Path) -> dict:
    """The REPLACE, LOSES and MESSAGES literals of a mutant (or variant) file, read without
    importing it."""
    values = {}
    for node in ast.parse(mutant_file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return {
        "REPLACE": values["REPLACE"],
        "LOSES": values.get("LOSES", []),
        "MESSAGES": values.get("MESSAGES", {}),
    }


def write_mutant(exercise_name: str, mutant_file: Path, folder: Path) -> Path:
    """The solution with the file's REPLACE applied, written as folder/<exercise>.py."""
    source = solution_path(exercise_name).read_text(encoding="utf-8")
    for original, mistaken in mutant_declaration(mutant_file)["REPLACE"].items():
        count = source.count(original)
        assert count == 1, f"{mutant_file.name}: {original!r} occurs {count} times in the solution"
        source = source.replace(original, mistaken)
    target = folder / f"{exercise_name}.py"
    target.write_text(source, encoding="utf-8")
    return target


def variant_to_grade(exercise_name: str, variant_file: Path, folder: Path) -> Path:
    """The variant as a whole file: itself, or the solution with its REPLACE applied."""
    if is_replacement(variant_file):
        return write_mutant(exercise_name, variant_file, folder)
    return variant_file


class MutantGrades:
    """Each mutant graded once per test run, its verdict shared by every test that reads it.

    The verdicts are kept as JSON files in `folder`, which all pytest-xdist workers of the
    run share: a mutant whose failure messages one test reads and whose lost points the
    obligations test counts is graded once, not twice.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def grade(self, exercise_name: str, mutant_file: Path) -> ExerciseResult:
        """The solution with the mutant's mistake applied, graded as `course grade` does."""
        mutant_file = Path(mutant_file)
        text = mutant_file.read_text(encoding="utf-8")
        digest = hashlib.sha256(f"{exercise_name}\0{text}".encode()).hexdigest()[:16]
        stored = self.folder / f"{exercise_name}-{mutant_file.stem}-{digest}.json"
        if stored.exists():
            return ExerciseResult.from_json(json.loads(stored.read_text(encoding="utf-8")))
        with tempfile.TemporaryDirectory(prefix=f"course-mutant-{exercise_name}-") as scratch:
            result = grade_file(
                exercise_name, write_mutant(exercise_name, mutant_file, Path(scratch)), warm=True
            )
        partial = stored.with_suffix(f".{os.getpid()}.part")
        partial.write_text(json.dumps(result.to_json()), encoding="utf-8")
        partial.replace(stored)  # atomic: another worker reads a whole verdict or none
        return result

    def failure_messages(self, exercise_name: str, mutant_name: str) -> dict[str, str]:
        """{check name: message} when the mutant named `mutant_name` of the exercise is graded."""
        (mutant_file,) = [path for path in mutant_files(exercise_name) if path.stem == mutant_name]
        return {
            check.name: check.message for check in self.grade(exercise_name, mutant_file).checks
        }
