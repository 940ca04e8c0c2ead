"""The scores of submissions that came from nbgrader, into nbgrader's own gradebook.

Through nbgrader's API (nbgrader.api.Gradebook), so `nbgrader export` and the formgrader
show them as if `nbgrader autograde` had scored them: each kit test cell's grade gets the
points of its check. The assignment must have been generated (`nbgrader generate_assignment`)
in that course folder, which is what records its notebooks and grade cells.
"""

import warnings
from pathlib import Path

from course.graders.classroom.runner import StudentResult
from course.graders.engine.declared import declared_checks
from course.graders.kit.errors import UserError
from course.graders.kit.paths import grader_path
from course.graders.notebooks.cells import check_grade_ids

GRADEBOOK_FILE = "gradebook.db"


def record_in_gradebook(results: list[StudentResult]) -> int:
    """Set the kit cells' scores of every nbgrader submission; returns how many were recorded."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    recorded = 0
    by_course: dict[str, list[StudentResult]] = {}
    for result in results:
        if result.from_nbgrader:
            by_course.setdefault(result.from_nbgrader[0], []).append(result)
    for course, course_results in by_course.items():
        database = Path(course) / GRADEBOOK_FILE
        if not database.is_file():
            raise UserError(
                f"{database} does not exist: run `nbgrader generate_assignment` in {course} first."
            )
        with warnings.catch_warnings(), Gradebook(f"sqlite:///{database}") as gradebook:
            # nbgrader's own add_submission trips SQLAlchemy's autoflush warnings: not ours to fix
            warnings.simplefilter("ignore", SAWarning)
            for result in course_results:
                assignment = result.from_nbgrader[1]
                try:
                    gradebook.update_or_create_student(result.student)
                    gradebook.update_or_create_submission(assignment, result.student)
                    for exercise in result.exercises:
                        _record_exercise(gradebook, assignment, result.student, exercise)
                except MissingEntry as error:
                    raise UserError(
                        f"nbgrader's gradebook in {course} does not know {assignment}'s "
                        f"cells ({error}): run `nbgrader generate_assignment {assignment}` there."
                    ) from None
                recorded += 1
            gradebook.db.commit()
    return recorded


def _record_exercise(gradebook, assignment: str, student: str, exercise) -> None:
    checks = declared_checks(grader_path(exercise.exercise))
    earned = {check.name: check.earned for check in exercise.checks}
    for check, grade_id in zip(checks, check_grade_ids(exercise.exercise, checks)):
        grade = gradebook.find_grade(grade_id, exercise.exercise, assignment, student)
        grade.auto_score = earned.get(check.name, 0)
