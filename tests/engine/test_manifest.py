"""The manifest is the one list of exercises; a broken one is refused with a clear message."""

import pytest

from course.graders.engine.declared import declared_checks
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import find_exercise, load_manifest
from course.graders.kit.paths import EXERCISES_DIR, grader_path, solution_path


def test_every_exercise_has_a_stub_a_solution_and_a_grader_with_points():
    for exercise in load_manifest():
        assert (EXERCISES_DIR / f"{exercise.name}.py").is_file(), exercise.name
        assert solution_path(exercise.name).is_file(), exercise.name
        checks = declared_checks(grader_path(exercise.name))
        assert checks and all(check.points > 0 and check.description for check in checks)


def test_exercises_come_in_course_order():
    orders = [exercise.order for exercise in load_manifest()]
    assert orders == sorted(orders)


def test_an_unknown_name_suggests_the_closest_one():
    with pytest.raises(UserError, match="Did you mean 'lstm_cell'"):
        find_exercise("lstmcell")


@pytest.mark.parametrize(
    "text, says",
    [
        ("[[exercise]\nname=", "cannot read the exercise manifest"),
        ('[[exercise]]\nname = "a"\ntitle = "A"', "lacks topic, order, notes_section, hints"),
        (
            '[[exercise]]\nname="a"\ntitle="A"\ntopic="T"\norder=1\nnotes_section="§1"\nhints=[]',
            "hints must be",
        ),
        (
            '[[exercise]]\nname="a"\ntitle="A"\ntopic="T"\norder=1\nnotes_section="§1"\nhints=["h"]\n'
            '[[exercise]]\nname="a"\ntitle="B"\ntopic="T"\norder=2\nnotes_section="§1"\nhints=["h"]',
            "share the name a",
        ),
    ],
)
def test_a_malformed_manifest_is_refused_naming_the_problem(tmp_path, text, says):
    path = tmp_path / "manifest.toml"
    path.write_text(text)
    with pytest.raises(UserError, match=says):
        load_manifest(path)
