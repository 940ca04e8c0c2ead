"""`course quiz --export anki FILE` writes a tab-separated file Anki imports."""

from dataclasses import replace

from typer.testing import CliRunner

from course.cli.main import app
from course.quiz.anki import anki_rows
from course.quiz.asking.bank import load_bank

runner = CliRunner()


def test_the_anki_export_has_one_four_column_note_per_entry_with_its_id_as_guid(tmp_path):
    target = tmp_path / "week4.txt"
    result = runner.invoke(app, ["quiz", "--export", "anki", str(target)])
    assert result.exit_code == 0, result.output
    bank = load_bank()
    lines = target.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    notes = [line for line in lines if not line.startswith("#")]
    assert header == [
        "#separator:tab", "#html:true", "#notetype:Basic", "#deck:Course kit::Week 4",
        "#guid column:1", "#tags column:4",
    ]  # fmt: skip
    assert len(notes) == len(bank.entries)
    assert f"Wrote {len(notes)} notes" in result.output
    assert all(line.count("\t") == 3 for line in notes)
    ids = sorted(e.id for e in bank.entries)
    tags = [line.split("\t")[3] for line in notes]
    assert sorted(tag.split("course::id::")[1] for tag in tags) == ids
    assert sorted(line.split("\t")[0] for line in notes) == [f"course-kit:{i}" for i in ids]


def test_a_reworded_question_keeps_its_guid_so_anki_updates_its_card(tmp_path):
    bank = load_bank()
    question = next(q for q in bank.questions if q.id == "cnn.relu")
    reworded = replace(bank, questions=(replace(question, prompt="What is max(0, x) called?"),))
    before = next(row for row in anki_rows(bank) if row.startswith("course-kit:cnn.relu\t"))
    (after,) = anki_rows(replace(reworded, templates=()))
    assert before.split("\t")[0] == after.split("\t")[0] == "course-kit:cnn.relu"
    assert before.split("\t")[1] != after.split("\t")[1]


def test_a_select_all_card_says_so_once_on_its_front(tmp_path):
    rows = anki_rows(load_bank())
    front = next(r for r in rows if r.startswith("course-kit:cnn.three-operations\t")).split("\t")[
        1
    ]
    assert front.count("Select all that apply.") == 1


def test_exported_notes_carry_the_answer_the_explanation_and_escaped_html(tmp_path):
    target = tmp_path / "week4.txt"
    runner.invoke(app, ["quiz", "--export", "anki", str(target)])
    notes = {line.split("\t")[3].split("course::id::")[1]: line.split("\t")[1:]
             for line in target.read_text(encoding="utf-8").splitlines()[6:]}  # fmt: skip
    front, back, tags = notes["interview.q02"]
    assert front == "What problem do skip connections in ResNet solve?"
    assert back.startswith("Vanishing gradients in very deep networks.") and "<li>" in back
    assert "course::cnn-architectures" in tags
    front, back, _ = notes["arch.residual-output"]
    assert back.startswith("F(x) + x<br><br>Output = F(x) + x")
    assert notes["formula.head-dimension"][1] == "d_k = d_model / num_heads"
    assert "Moderate sequence length (&lt; 500 steps)" in notes["choose.when-gru"][1]


def test_an_unknown_export_format_is_a_user_error(tmp_path):
    result = runner.invoke(app, ["quiz", "--export", "quizlet", str(tmp_path / "out.txt")])
    assert "unknown export format 'quizlet'; use: anki" in str(result.exception)
    assert not (tmp_path / "out.txt").exists()
