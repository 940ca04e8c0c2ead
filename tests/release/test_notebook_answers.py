"""A notebook gets the answers its exercise builds on from the student's other notebooks, and
grader messages name cells, not files the student does not have."""

import sys

import nbformat
import pytest

from course.graders.notebooks.answers import (
    AnswersMissing,
    in_notebook_terms,
    load_builds_on,
    read_answers,
)
from course.graders.notebooks.cells import answer_grade_id


def write_notebook(folder, exercise_name: str, answer: str) -> None:
    cells = [nbformat.v4.new_markdown_cell("# explanation"), nbformat.v4.new_code_cell(answer)]
    cells[1].metadata["nbgrader"] = {"grade_id": answer_grade_id(exercise_name), "solution": True}
    nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / f"{exercise_name}.ipynb")


def test_answers_are_read_from_the_answer_cells_of_the_notebooks_found(tmp_path):
    write_notebook(tmp_path, "residual_block", "class ResidualBlock: ...\n")
    (tmp_path / "early_stopping.ipynb").write_text("not a notebook")
    assert read_answers(tmp_path, ["residual_block", "early_stopping", "attention"]) == {
        "residual_block": "class ResidualBlock: ...\n"
    }


def test_the_kernel_imports_the_answers_an_exercise_builds_on_by_their_names(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    write_notebook(tmp_path, "residual_block", "class ResidualBlock:\n    kind = 'mine'\n")
    write_notebook(tmp_path, "early_stopping", "class EarlyStopping:\n    kind = 'mine too'\n")
    monkeypatch.setitem(sys.modules, "residual_block", None)
    monkeypatch.setitem(sys.modules, "early_stopping", None)
    load_builds_on("cifar_challenge")
    from early_stopping import EarlyStopping
    from residual_block import ResidualBlock

    assert (ResidualBlock.kind, EarlyStopping.kind) == ("mine", "mine too")
    assert "residual_block: your answer cell of residual_block.ipynb" in capsys.readouterr().out


def test_a_notebook_missing_from_the_folder_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_notebook(tmp_path, "residual_block", "")
    with pytest.raises(AnswersMissing, match=r"no code of early_stopping in early_stopping\.ipynb"):
        load_builds_on("cifar_challenge")


def test_grader_messages_name_the_answer_cells_the_run_folder_and_the_training_cell(tmp_path):
    staged = tmp_path / "stage"
    message = (
        "Not implemented yet: ResidualBlock.forward (residual_block.py, line 12). "
        f"No trained model in {staged}/runs/cifar_challenge (model.pt2 missing): run "
        "`course train cifar_challenge` (add --data DIR if you have CIFAR-10 somewhere), "
        "which saves the best model there. See exercises/cifar_challenge.py."
    )
    assert in_notebook_terms(message, "cifar_challenge", staged) == (
        "Not implemented yet: ResidualBlock.forward (answer cell of residual_block.ipynb, "
        "line 12). No trained model in runs/cifar_challenge (model.pt2 missing): run the "
        "training cell of cifar_challenge.ipynb, which saves the best model there. See "
        "exercises/cifar_challenge.py."
    )
