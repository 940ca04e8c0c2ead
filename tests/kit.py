"""What the kit's own tests share: grading a file, and building mutants from solutions.

A mutant is a tiny file in tests/mutants/<exercise>/ named for one learner mistake:
    '''Which learner makes this mistake, in one line.'''
    REPLACE = {"text in the solution": "the same text with the mistake"}
    LOSES = ["test_name_of_a_check_it_must_fail", ...]
Each REPLACE key must occur exactly once in the solution, so a mutant cannot silently
stop mutating when the solution is edited. A variant (tests/variants/<exercise>/) is a
whole, correct implementation written differently, which must earn full marks.
"""

import ast
from pathlib import Path

from course.graders.engine.grade import ExerciseResult, grade_exercises
from course.graders.engine.manifest import find_exercise, load_manifest
from course.graders.engine.paths import solution_path

TESTS_DIR = Path(__file__).parent
EXERCISE_NAMES = [exercise.name for exercise in load_manifest()]


def grade_file(exercise_name: str, impl: Path) -> ExerciseResult:
    """Grade one implementation file with the exercise's grader, as `course grade` does."""
    return grade_exercises(Path(impl).parent, [find_exercise(exercise_name)], impl=Path(impl))[0]


def mutant_files(exercise_name: str) -> list[Path]:
    return sorted((TESTS_DIR / "mutants" / exercise_name).glob("*.py"))


def variant_files(exercise_name: str) -> list[Path]:
    return sorted((TESTS_DIR / "variants" / exercise_name).glob("*.py"))


def mutant_declaration(mutant_file: Path) -> dict:
    """The REPLACE and LOSES literals of a mutant file, read without importing it."""
    values = {}
    for node in ast.parse(mutant_file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return {"REPLACE": values["REPLACE"], "LOSES": values.get("LOSES", [])}


def write_mutant(exercise_name: str, mutant_file: Path, folder: Path) -> Path:
    """The solution with the mutant's mistake applied, written as folder/<exercise>.py."""
    source = solution_path(exercise_name).read_text(encoding="utf-8")
    for original, mistaken in mutant_declaration(mutant_file)["REPLACE"].items():
        count = source.count(original)
        assert count == 1, f"{mutant_file.name}: {original!r} occurs {count} times in the solution"
        source = source.replace(original, mistaken)
    target = folder / f"{exercise_name}.py"
    target.write_text(source, encoding="utf-8")
    return target
