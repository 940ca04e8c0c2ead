"""The manifest is the one list of exercises; a broken one is refused with a clear message."""

import pytest

from course.graders.engine.declared import declared_checks
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import find_exercise, load_manifest
from course.graders.kit.paths import grader_path


def test_every_exercise_has_a_grader_whose_checks_have_points_and_descriptions():
    for exercise in load_manifest():
        checks = declared_checks(grader_path(exercise.name))
        assert checks and all(check.points > 0 and check.description for check in checks)


def test_exercises_load_in_course_order_whatever_their_order_in_the_file(tmp_path):
    entry = '[[exercise]]\nname="{0}"\ntitle="T"\ntopic="T"\norder={1}\nnotes_section="§1"\nhints=["h"]\n'
    path = tmp_path / "manifest.toml"
    path.write_text(entry.format("third", 3) + entry.format("first", 1) + entry.format("second", 2))
    assert [exercise.name for exercise in load_manifest(path)] == ["first", "second", "third"]


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
