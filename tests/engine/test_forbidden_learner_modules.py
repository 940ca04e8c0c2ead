"""The static scan reads every file of the learner's folder that the graded file imports,
however deep, and refuses imports of modules nobody can read before they run."""

from pathlib import Path

from course.graders.engine.forbidden import static_use_message, static_uses_of_learner_files
from course.graders.kit.manifest import find_exercise
from course.graders.kit.paths import solution_path

LSTM = find_exercise("lstm_cell").forbidden


def folder_with(tmp_path: Path, files: dict[str, str] | None = None, **modules: str) -> Path:
    """A learner folder holding `modules` ({module name: source}) and `files` ({path:
    source}); the graded file is `cell`."""
    files = {**(files or {}), **{f"{name}.py": source for name, source in modules.items()}}
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return tmp_path / "cell.py"


def test_a_forbidden_call_in_an_imported_file_of_the_folder_is_found_and_named(tmp_path):
    graded = folder_with(
        tmp_path,
        cell="import helpers\n",
        helpers="import torch\nT = torch\nstep = T._VF.lstm_cell\n",
    )
    (use,) = static_uses_of_learner_files(graded, LSTM)
    assert (use.forbidden, use.line, use.file, use.tampering) == (
        "torch._VF.lstm_cell",
        3,
        "helpers.py",
        False,
    )
    assert "line 3 of helpers.py" in static_use_message([use])


def test_imports_are_followed_through_files_and_packages_of_the_folder(tmp_path):
    graded = folder_with(
        tmp_path,
        cell="from first import go\n",
        first="import tools.inner\n",
        files={"tools/__init__.py": "", "tools/inner.py": "import threading\n"},
    )
    (use,) = static_uses_of_learner_files(graded, LSTM)
    assert (use.forbidden, use.file, use.tampering) == ("threading", "inner.py", True)


def test_a_module_that_is_neither_in_the_folder_nor_installed_is_refused(tmp_path):
    graded = folder_with(tmp_path, cell="import math\nimport torch\nimport written_while_running\n")
    (use,) = static_uses_of_learner_files(graded, LSTM)
    assert (use.forbidden, use.line, use.tampering) == ("written_while_running", 3, True)
    assert "neither a file of your folder nor installed" in static_use_message([use])


def test_imports_under_the_main_block_and_files_not_imported_are_not_read(tmp_path):
    graded = folder_with(
        tmp_path,
        cell='import torch\nif __name__ == "__main__":\n    import scratch_pad\n',
        scratch_pad="import torch\nprint(torch.nn.LSTMCell(2, 2))\n",
        unrelated="import threading\n",
    )
    assert static_uses_of_learner_files(graded, LSTM) == []


def test_an_exercise_that_imports_the_ones_it_builds_on_is_clean(tmp_path):
    for name in ("cifar_challenge", "residual_block", "early_stopping"):
        (tmp_path / f"{name}.py").write_text(solution_path(name).read_text(encoding="utf-8"))
    forbidden = find_exercise("cifar_challenge").forbidden
    assert static_uses_of_learner_files(tmp_path / "cifar_challenge.py", forbidden) == []
