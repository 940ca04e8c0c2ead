"""Every exercise: reference full marks, stub zero, each mutant loses points, variants pass.

Parametrized over the manifest and the mutants/variants folders, so a new exercise is
covered by adding its files, with no edit here.
"""

import pytest

from course.graders.kit.paths import EXERCISES_DIR, solution_path
from course.graders.kit.stubs import pristine_stub
from tests.kit import (
    EXERCISE_NAMES,
    grade_file,
    mutant_declaration,
    mutant_files,
    variant_files,
    variant_to_grade,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("exercise", EXERCISE_NAMES)
def test_reference_solution_earns_full_marks(exercise):
    result = grade_file(exercise, solution_path(exercise), warm=True)
    failed = {check.name: check.message for check in result.checks if not check.passed}
    assert result.total > 0
    assert result.earned == result.total, failed


@pytest.mark.parametrize("exercise", EXERCISE_NAMES)
def test_untouched_stub_scores_zero_with_a_not_implemented_message(exercise, tmp_path):
    stub = tmp_path / f"{exercise}.py"
    stub.write_text(pristine_stub(exercise), encoding="utf-8")
    result = grade_file(exercise, stub, warm=True)
    assert result.earned == 0
    for check in result.checks:
        assert "Not implemented yet" in check.message, (check.name, check.message)


@pytest.mark.parametrize(
    "exercise, mutant",
    [(name, path) for name in EXERCISE_NAMES for path in mutant_files(name)],
    ids=lambda value: getattr(value, "stem", value),
)
def test_each_mutant_loses_points_on_the_checks_it_names_with_the_message_it_names(
    exercise, mutant, mutant_grades
):
    result = mutant_grades.grade(exercise, mutant)
    declared = mutant_declaration(mutant)
    failed = {check.name: check.message for check in result.checks if not check.passed}
    assert result.earned < result.total
    assert set(declared["LOSES"]) <= set(failed), failed
    for check, message in failed.items():
        assert message and "grader could not finish" not in message, (check, message)
    for check, phrase in declared["MESSAGES"].items():
        assert phrase in failed.get(check, ""), (check, phrase, failed.get(check))


@pytest.mark.parametrize(
    "exercise, variant",
    [(name, path) for name in EXERCISE_NAMES for path in variant_files(name)],
    ids=lambda value: getattr(value, "stem", value),
)
def test_correct_variant_written_differently_earns_full_marks(exercise, variant, tmp_path):
    result = grade_file(exercise, variant_to_grade(exercise, variant, tmp_path), warm=True)
    failed = {check.name: check.message for check in result.checks if not check.passed}
    assert result.earned == result.total, failed


@pytest.mark.parametrize("exercise", EXERCISE_NAMES)
def test_stub_in_exercises_is_the_solution_with_its_marked_regions_cleared(exercise):
    assert (EXERCISES_DIR / f"{exercise}.py").read_text(encoding="utf-8") == pristine_stub(exercise)
