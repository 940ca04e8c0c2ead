"""`course quiz --export anki FILE` writes a tab-separated file Anki imports."""

from typer.testing import CliRunner

from course.cli.main import app
from course.quiz.asking.bank import load_bank

runner = CliRunner()


def test_the_anki_export_has_one_three_column_note_per_entry(tmp_path):
    target = tmp_path / "week4.txt"
    result = runner.invoke(app, ["quiz", "--export", "anki", str(target)])
    assert result.exit_code == 0, result.output
    bank = load_bank()
    lines = target.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    notes = [line for line in lines if not line.startswith("#")]
    assert header == ["#separator:tab", "#html:true", "#tags column:3"]
    assert len(notes) == len(bank.entries)
    assert f"Wrote {len(notes)} notes" in result.output
    assert all(line.count("\t") == 2 for line in notes)
    tags = [line.split("\t")[2] for line in notes]
    assert sorted(tag.split("course::id::")[1] for tag in tags) == sorted(
        e.id for e in bank.entries
    )


def test_exported_notes_carry_the_answer_the_explanation_and_escaped_html(tmp_path):
    target = tmp_path / "week4.txt"
    runner.invoke(app, ["quiz", "--export", "anki", str(target)])
    notes = {line.split("\t")[2].split("course::id::")[1]: line.split("\t")
             for line in target.read_text(encoding="utf-8").splitlines()[3:]}  # fmt: skip
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
