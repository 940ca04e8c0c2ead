"""The manifest and the tree agree both ways: what the manifest lists exists, and nothing
exists for an exercise it does not list (every test is generated from the manifest, so an
orphan would pass silently)."""

import shutil
from pathlib import Path

import pytest

from course.graders.kit.tree_check import disagreements, main

REPO = Path(__file__).resolve().parents[1]


def test_this_repository_has_no_disagreement():
    assert disagreements(REPO) == []


@pytest.fixture
def copy_of_the_tree(tmp_path) -> Path:
    """The parts of this repository that the check reads, copied."""
    for folder in ("exercises", "solutions", "graders", "tests/mutants", "tests/variants",
                   "tests/trained_runs", "tests/exercises"):  # fmt: skip
        shutil.copytree(
            REPO / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


@pytest.mark.parametrize(
    "orphan, reported",
    [
        ("graders/test_gru_cell.py", "graders/test_gru_cell.py"),
        ("solutions/gru_cell.py", "solutions/gru_cell.py"),
        ("exercises/gru_cell.py", "exercises/gru_cell.py"),
        ("tests/mutants/gru_cell/gate_swapped.py", "tests/mutants/gru_cell"),
        ("tests/variants/gru_cell/fused.py", "tests/variants/gru_cell"),
        ("tests/exercises/test_gru_cell.py", "tests/exercises/test_gru_cell.py"),
        ("tests/trained_runs/gru_cell.py", "tests/trained_runs/gru_cell.py"),
    ],
)
def test_a_file_for_an_exercise_the_manifest_does_not_list_is_reported(
    copy_of_the_tree, orphan, reported
):
    path = copy_of_the_tree / orphan
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    assert disagreements(copy_of_the_tree) == [
        f"{reported} belongs to no exercise of the manifest (gru_cell)"
    ]


@pytest.mark.parametrize(
    "removed, says",
    [
        ("solutions/lstm_cell.py", "lstm_cell: solutions/lstm_cell.py is missing"),
        ("exercises/attention.py", "attention: exercises/attention.py is missing"),
        ("graders/test_clipping.py", "clipping: graders/test_clipping.py is missing"),
        ("tests/trained_runs/cifar_challenge.py", "cifar_challenge: tests/trained_runs/cifar_challenge.py is missing"),
        ("tests/variants/early_stopping", "early_stopping: tests/variants/early_stopping/ has 0 files, at least 1 needed"),
    ],
)  # fmt: skip
def test_a_missing_file_of_a_listed_exercise_is_reported(copy_of_the_tree, removed, says):
    path = copy_of_the_tree / removed
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    assert says in disagreements(copy_of_the_tree)


def test_fewer_than_four_mutants_are_reported(copy_of_the_tree):
    for mutant in sorted((copy_of_the_tree / "tests/mutants/residual_block").glob("*.py"))[3:]:
        mutant.unlink()
    assert disagreements(copy_of_the_tree) == [
        "residual_block: tests/mutants/residual_block/ has 3 files, at least 4 needed"
    ]


def test_the_command_exits_1_and_prints_each_disagreement(copy_of_the_tree, capsys):
    (copy_of_the_tree / "solutions/gru_cell.py").write_text("")
    assert main([str(copy_of_the_tree)]) == 1
    assert "solutions/gru_cell.py belongs to no exercise" in capsys.readouterr().out
