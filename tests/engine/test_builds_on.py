"""An exercise that builds on others (`builds_on` in the manifest) runs beside the learner's own
code of them, wherever it is graded: one rule, declared once."""

import pytest

from course.graders.engine.learner.process import LearnerFailure, LearnerProcess
from course.graders.kit.errors import UserError
from course.graders.kit.manifest import Exercise, load_manifest
from course.graders.kit.staging import needed_exercises, stage_exercise
from course.graders.kit.workspace import run_folder

ENTRY = (
    '[[exercise]]\nname="{0}"\ntitle="T"\ntopic="T"\norder={1}\nnotes_section="§1"\nhints=["h"]\n'
    "builds_on = {2}\n"
)


def manifest(tmp_path, *entries: tuple[str, int, str]) -> list[Exercise]:
    path = tmp_path / "manifest.toml"
    path.write_text("".join(ENTRY.format(*entry) for entry in entries))
    return load_manifest(path)


def test_an_exercise_builds_only_on_exercises_before_it(tmp_path):
    loaded = manifest(tmp_path, ("block", 1, "[]"), ("model", 2, '["block"]'))
    assert [exercise.builds_on for exercise in loaded] == [(), ("block",)]
    with pytest.raises(UserError, match="model builds on later, which is not an exercise before"):
        manifest(tmp_path, ("model", 1, '["later"]'), ("later", 2, "[]"))
    with pytest.raises(UserError, match="itself builds on itself, which is not an exercise before"):
        manifest(tmp_path, ("itself", 1, '["itself"]'))
    with pytest.raises(UserError, match="builds_on must be a list of exercise names"):
        manifest(tmp_path, ("model", 1, '"block"'))


def test_the_course_declares_what_the_cifar_challenge_builds_on():
    (cifar,) = [exercise for exercise in load_manifest() if exercise.name == "cifar_challenge"]
    assert needed_exercises(cifar) == ["residual_block", "early_stopping", "cifar_challenge"]


def test_staging_writes_the_learners_files_side_by_side_with_the_run(tmp_path):
    (cifar,) = [exercise for exercise in load_manifest() if exercise.name == "cifar_challenge"]
    run = tmp_path / "submitted-run"
    run.mkdir()
    (run / "model.pt2").write_bytes(b"model")
    sources = {"cifar_challenge": "# mine\n", "residual_block": "# block\n"}
    sources["early_stopping"] = "# stopper\n"
    sources["attention"] = "# not needed\n"
    staged = stage_exercise(cifar, sources, tmp_path / "stage", run=run)
    assert staged == tmp_path / "stage" / "cifar_challenge.py"
    written = sorted(path.name for path in staged.parent.glob("*.py"))
    assert written == ["cifar_challenge.py", "early_stopping.py", "residual_block.py"]
    assert (staged.parent / "residual_block.py").read_text() == "# block\n"
    assert (run_folder(staged.parent, "cifar_challenge") / "model.pt2").read_bytes() == b"model"


def test_staging_without_the_code_an_exercise_builds_on_says_which(tmp_path):
    (cifar,) = [exercise for exercise in load_manifest() if exercise.name == "cifar_challenge"]
    sources = {"cifar_challenge": "", "early_stopping": ""}
    with pytest.raises(UserError, match="no code of residual_block in the upload"):
        stage_exercise(cifar, sources, tmp_path, where="in the upload")


def test_course_grade_without_a_file_it_builds_on_fails_every_check_saying_which(tmp_path):
    (cifar,) = [exercise for exercise in load_manifest() if exercise.name == "cifar_challenge"]
    (tmp_path / "cifar_challenge.py").write_text("")
    (tmp_path / "residual_block.py").write_text("")
    learner = LearnerProcess(tmp_path / "cifar_challenge.py", cifar)
    with pytest.raises(LearnerFailure) as failure:
        learner.ensure_ready()
    learner.close()
    assert "cifar_challenge builds on your residual_block, early_stopping" in str(failure.value)
    assert "no code of early_stopping beside cifar_challenge.py" in str(failure.value)
